package io.jpod.engine;

import io.jpod.core.MountSpec;
import io.jpod.oci.PortMapping;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** What `create` and `run` take: the image, the command, and everything podman's flags set. Build with {@link #builder}. */
public record CreateOptions(String image, List<String> command, String name, List<String> entrypoint,
                            boolean entrypointSet, List<String> env, String workDir, String user, String hostname,
                            Map<String, String> labels, Integer stopSignal, Integer stopTimeout, List<MountSpec> mounts,
                            long memoryBytes, double cpus, long pidsLimit, List<String> capAdd, List<String> capDrop,
                            boolean privileged, boolean readOnly, long logMaxSize, List<PortMapping> ports,
                            boolean autoRemove, boolean interactive, boolean tty, String network, boolean init,
                            boolean sigProxy, DetachKeys detachKeys, io.jpod.core.RestartPolicy restartPolicy,
                            io.jpod.core.HealthConfig healthcheck, boolean healthcheckSet, boolean publishAll,
                            io.jpod.core.NetworkOptions netOptions) {
    public CreateOptions {
        Objects.requireNonNull(image, "image");
        command = List.copyOf(command);
        entrypoint = List.copyOf(entrypoint);
        env = List.copyOf(env);
        labels = Map.copyOf(labels);
        mounts = List.copyOf(mounts);
        capAdd = List.copyOf(capAdd);
        capDrop = List.copyOf(capDrop);
        ports = List.copyOf(ports);
        detachKeys = detachKeys == null ? DetachKeys.defaults() : detachKeys;
        netOptions = netOptions == null ? io.jpod.core.NetworkOptions.NONE : netOptions;
    }

    public static Builder builder(String image) { return new Builder(image); }

    /** A fluent builder for the Java API; unset fields take the image's or podman's defaults. */
    public static final class Builder {
        private final String image;
        private List<String> command = List.of(), entrypoint = List.of(), env = new ArrayList<>();
        private boolean entrypointSet, privileged, readOnly, autoRemove, interactive, tty, init;
        private boolean sigProxy = true;
        private DetachKeys detachKeys;
        private io.jpod.core.RestartPolicy restartPolicy;
        private io.jpod.core.HealthConfig healthcheck;
        private boolean healthcheckSet, publishAll;
        private io.jpod.core.NetworkOptions netOptions;
        private String name, workDir, user, hostname, network;
        private final Map<String, String> labels = new LinkedHashMap<>();
        private Integer stopSignal, stopTimeout;
        private final List<MountSpec> mounts = new ArrayList<>();
        private long memoryBytes, pidsLimit, logMaxSize = -1;
        private double cpus;
        private final List<String> capAdd = new ArrayList<>(), capDrop = new ArrayList<>();
        private final List<PortMapping> ports = new ArrayList<>();

        Builder(String image) { this.image = image; }

        public Builder command(String... c) { command = List.of(c); return this; }
        public Builder command(List<String> c) { command = List.copyOf(c); return this; }
        public Builder name(String n) { name = n; return this; }
        public Builder entrypoint(List<String> e) { entrypoint = List.copyOf(e); entrypointSet = true; return this; }
        public Builder env(String kv) { env.add(kv); return this; }
        public Builder workDir(String w) { workDir = w; return this; }
        public Builder user(String u) { user = u; return this; }
        public Builder hostname(String h) { hostname = h; return this; }
        public Builder label(String k, String v) { labels.put(k, v); return this; }
        public Builder stopSignal(int s) { stopSignal = s; return this; }
        public Builder stopTimeout(int t) { stopTimeout = t; return this; }
        public Builder mount(MountSpec m) { mounts.add(m); return this; }
        public Builder memoryBytes(long m) { memoryBytes = m; return this; }
        public Builder cpus(double c) { cpus = c; return this; }
        public Builder pidsLimit(long p) { pidsLimit = p; return this; }
        public Builder capAdd(String c) { capAdd.add(c); return this; }
        public Builder capDrop(String c) { capDrop.add(c); return this; }
        public Builder privileged(boolean p) { privileged = p; return this; }
        public Builder readOnly(boolean r) { readOnly = r; return this; }
        public Builder logMaxSize(long s) { logMaxSize = s; return this; }
        public Builder port(PortMapping p) { ports.add(p); return this; }
        public Builder autoRemove(boolean r) { autoRemove = r; return this; }
        public Builder interactive(boolean i) { interactive = i; return this; }
        public Builder tty(boolean t) { tty = t; return this; }
        public Builder network(String n) { network = n; return this; }
        public Builder init(boolean i) { init = i; return this; }
        /** Attached runs pass the signals jpod receives on to the container (podman's --sig-proxy, default on). */
        public Builder sigProxy(boolean p) { sigProxy = p; return this; }
        public Builder detachKeys(DetachKeys k) { detachKeys = k; return this; }
        public Builder restartPolicy(io.jpod.core.RestartPolicy p) { restartPolicy = p; return this; }
        /** -P: every port the image exposes, on a random free host port. */
        public Builder publishAll(boolean p) { publishAll = p; return this; }
        /** --ip, --mac-address, --network-alias, --dns*, --add-host, --no-hosts (validated: NetworkOptions.of). */
        public Builder netOptions(io.jpod.core.NetworkOptions o) { netOptions = o; return this; }
        /** The healthcheck; null with this call disables the image's (--no-healthcheck). */
        public Builder healthcheck(io.jpod.core.HealthConfig h) { healthcheck = h; healthcheckSet = true; return this; }

        public CreateOptions build() {
            return new CreateOptions(image, command, name, entrypoint, entrypointSet, env, workDir, user, hostname,
                    labels, stopSignal, stopTimeout, mounts, memoryBytes, cpus, pidsLimit, capAdd, capDrop, privileged,
                    readOnly, logMaxSize, ports, autoRemove, interactive, tty, network, init, sigProxy, detachKeys,
                    restartPolicy, healthcheck, healthcheckSet, publishAll, netOptions);
        }
    }
}
