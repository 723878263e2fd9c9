package io.jpod.engine;

/**
 * How to talk to registries for one command: --tls-verify (null: as registries.conf says), --creds USER:PASS,
 * --authfile, --cert-dir, and --platform/--os/--arch/--variant for choosing from an image index.
 */
public record RegistryOptions(Boolean tlsVerify, String creds, String authFile, String certDir, String platform,
                              String os, String arch, String variant) {
    public static RegistryOptions defaults() {
        return new RegistryOptions(null, null, null, null, null, null, null, null);
    }

    public RegistryOptions withTlsVerify(Boolean v) {
        return new RegistryOptions(v, creds, authFile, certDir, platform, os, arch, variant);
    }

    public RegistryOptions withCreds(String c) {
        return new RegistryOptions(tlsVerify, c, authFile, certDir, platform, os, arch, variant);
    }

    public RegistryOptions withAuthFile(String f) {
        return new RegistryOptions(tlsVerify, creds, f, certDir, platform, os, arch, variant);
    }
}
