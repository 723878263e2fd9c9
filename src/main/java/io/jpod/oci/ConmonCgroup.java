package io.jpod.oci;

import io.jpod.sys.ProcessLauncher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Moves conmon into the cgroup parent before it is let go (it blocks on the start pipe until then), so
 * conmon is accounted with its containers and not with the CLI that started it.
 */
public interface ConmonCgroup {
    /** Returns a warning to log, or null; a failure here never fails the create, as in libpod. */
    String move(int conmonPid, String cgroupParent, String containerId);

    static ConmonCgroup forKind(RuntimeConfig.CgroupManagerKind kind, ProcessLauncher launcher, Path cgroupRoot) {
        return kind == RuntimeConfig.CgroupManagerKind.SYSTEMD ? new SystemdScope(launcher) : new Cgroupfs(cgroupRoot);
    }

    /** cgroupfs: PARENT/conmon in every mounted hierarchy (v1 controllers, or the v2 unified tree). */
    record Cgroupfs(Path cgroupRoot) implements ConmonCgroup {
        @Override
        public String move(int conmonPid, String cgroupParent, String containerId) {
            List<String> failed = new ArrayList<>();
            List<Path> hierarchies = hierarchies(cgroupRoot);
            for (Path h : hierarchies) {
                // cpuset needs cpus/mems copied down before it accepts tasks; conmon doesn't need it.
                if (h.getFileName() != null && h.getFileName().toString().startsWith("cpuset")) continue;
                Path dir = h.resolve(stripSlash(cgroupParent)).resolve("conmon");
                try {
                    Files.createDirectories(dir);
                    Files.writeString(dir.resolve("cgroup.procs"), Integer.toString(conmonPid));
                } catch (IOException | RuntimeException e) {
                    failed.add(h.getFileName() + ": " + e.getMessage());
                }
            }
            return failed.isEmpty() ? null : "failed to add conmon to cgroupfs sandbox cgroup: " + String.join("; ", failed);
        }

        static List<Path> hierarchies(Path root) {
            List<Path> out = new ArrayList<>();
            if (Files.exists(root.resolve("cgroup.controllers"))) {
                out.add(root); // cgroup v2
                return out;
            }
            try (var s = Files.list(root)) {
                s.filter(p -> Files.isDirectory(p) && !Files.isSymbolicLink(p) && Files.exists(p.resolve("cgroup.procs")))
                        .sorted().forEach(out::add);
            } catch (IOException e) {
                return out;
            }
            return out;
        }
    }

    /**
     * systemd: a transient scope libpod-conmon-ID.scope holding conmon's pid, asked of systemd over D-Bus
     * (busctl keeps jpod free of a D-Bus library; the call happens once per container create).
     */
    record SystemdScope(ProcessLauncher launcher) implements ConmonCgroup {
        @Override
        public String move(int conmonPid, String cgroupParent, String containerId) {
            var r = launcher.run(argv(conmonPid, cgroupParent, containerId), List.of());
            return r.ok() ? null : "failed to create systemd scope for conmon: " + r.err();
        }

        static List<String> argv(int pid, String slice, String id) {
            String s = slice == null || slice.isEmpty() ? "machine.slice" : slice;
            return List.of("busctl", "call", "--system", "org.freedesktop.systemd1", "/org/freedesktop/systemd1",
                    "org.freedesktop.systemd1.Manager", "StartTransientUnit", "ssa(sv)a(sa(sv))",
                    "jpod-conmon-" + id + ".scope", "fail", "2",
                    "PIDs", "au", "1", Integer.toString(pid),
                    "Slice", "s", s,
                    "0");
        }
    }

    private static String stripSlash(String p) {
        return p.startsWith("/") ? p.substring(1) : p;
    }
}
