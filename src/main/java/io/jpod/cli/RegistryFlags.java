package io.jpod.cli;

import io.jpod.engine.RegistryOptions;

import java.util.ArrayList;
import java.util.List;

/** Flags every registry-facing verb shares: --tls-verify, --creds, --authfile, --cert-dir, and the platform choice. */
final class RegistryFlags {
    private RegistryFlags() {}

    static List<Flag> flags(boolean platform, boolean creds) {
        List<Flag> f = new ArrayList<>(List.of(
                Flag.bool("tls-verify", "require HTTPS and verify certificates when contacting registries (default true)"),
                Flag.value("authfile", "path of the authentication file"),
                Flag.value("cert-dir", "use certificates at the specified path to access the registry")));
        if (creds) f.add(Flag.value("creds", "use `[username[:password]]` for accessing the registry"));
        if (platform) {
            f.addAll(List.of(Flag.value("platform", "specify the platform for selecting the image (OS/ARCH[/VARIANT])"),
                    Flag.value("arch", "use ARCH instead of the architecture of the machine for choosing images"),
                    Flag.value("os", "use OS instead of the running OS for choosing images"),
                    Flag.value("variant", "use VARIANT instead of the running architecture variant for choosing images")));
        }
        return f;
    }

    static RegistryOptions parse(Args a) {
        Boolean tls = a.has("tls-verify") ? a.bool("tls-verify") : null;
        String platform = a.has("platform") ? a.get("platform") : null;
        if (platform != null && (a.has("arch") || a.has("os") || a.has("variant"))) {
            throw new UsageException("--platform cannot be combined with --arch, --os or --variant: use one or the other");
        }
        return new RegistryOptions(tls, a.has("creds") ? a.get("creds") : null, a.has("authfile") ? a.get("authfile") : null,
                a.has("cert-dir") ? a.get("cert-dir") : null, platform, a.has("os") ? a.get("os") : null,
                a.has("arch") ? a.get("arch") : null, a.has("variant") ? a.get("variant") : null);
    }
}
