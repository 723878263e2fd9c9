package io.jpod.core;

import io.jpod.json.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a containers-common seccomp profile (Docker's format: archMap, includes/excludes by capability, arch
 * and kernel) into the OCI linux.seccomp section for one container, as containers/common does for podman.
 */
public final class SeccompProfile {
    private SeccompProfile() {}

    /** Where Debian's containers-common puts podman's default profile. */
    public static final Path DEFAULT = Path.of("/usr/share/containers/seccomp.json");

    static final String NATIVE_ARCH = "SCMP_ARCH_X86_64";

    /** The OCI section, or null when the profile file is absent (seccomp "if available"). */
    public static Map<String, Object> load(Path profile, List<String> capabilities, String kernelRelease) {
        String text;
        try {
            text = Files.readString(profile);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new JpodException(ErrorCode.INTERNAL, "cannot read seccomp profile " + profile + ": " + e.getMessage(), e);
        }
        try {
            return convert(Json.parseObject(text), capabilities, kernelRelease);
        } catch (RuntimeException e) {
            throw new JpodException(ErrorCode.INVALID_ARGUMENT, "seccomp profile " + profile + " is not valid: "
                    + e.getMessage() + "; fix or remove it", e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> convert(Map<String, Object> p, List<String> caps, String kernelRelease) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("defaultAction", p.getOrDefault("defaultAction", "SCMP_ACT_ERRNO"));
        if (p.get("defaultErrnoRet") != null) out.put("defaultErrnoRet", p.get("defaultErrnoRet"));
        List<String> arches = new ArrayList<>();
        for (Map<String, Object> a : J.maps(p, "archMap")) {
            if (NATIVE_ARCH.equals(a.get("architecture"))) {
                arches.add(NATIVE_ARCH);
                arches.addAll(J.strings(a, "subArchitectures"));
            }
        }
        if (arches.isEmpty()) arches.addAll(J.strings(p, "architectures"));
        out.put("architectures", arches);
        List<Map<String, Object>> calls = new ArrayList<>();
        for (Map<String, Object> c : J.maps(p, "syscalls")) {
            Map<String, Object> inc = J.map(c, "includes"), exc = J.map(c, "excludes");
            List<String> incArch = J.strings(inc, "arches"), incCaps = J.strings(inc, "caps");
            if (!incArch.isEmpty() && !incArch.contains("amd64") && !incArch.contains("x86_64")) continue;
            if (!incCaps.isEmpty() && !caps.containsAll(incCaps)) continue;
            String minKernel = J.str(inc, "minKernel");
            if (minKernel != null && compareKernel(kernelRelease, minKernel) < 0) continue;
            List<String> excArch = J.strings(exc, "arches"), excCaps = J.strings(exc, "caps");
            if (excArch.contains("amd64") || excArch.contains("x86_64")) continue;
            if (excCaps.stream().anyMatch(caps::contains)) continue;
            Map<String, Object> sc = new LinkedHashMap<>();
            List<String> names = J.strings(c, "names");
            if (names.isEmpty() && c.get("name") != null) names = List.of(J.str(c, "name"));
            sc.put("names", names);
            sc.put("action", c.get("action"));
            Object args = c.get("args");
            sc.put("args", args instanceof List<?> l ? l : List.of());
            if (c.get("errnoRet") != null) sc.put("errnoRet", c.get("errnoRet"));
            calls.add(sc);
        }
        out.put("syscalls", calls);
        return out;
    }

    /** Compares "6.1.0-28-amd64" with "4.8": major, then minor. */
    static int compareKernel(String release, String min) {
        int[] a = version(release), b = version(min);
        return a[0] != b[0] ? Integer.compare(a[0], b[0]) : Integer.compare(a[1], b[1]);
    }

    private static int[] version(String s) {
        String[] parts = (s == null ? "0.0" : s).split("[.-]");
        int major = parts.length > 0 ? parseOr(parts[0]) : 0, minor = parts.length > 1 ? parseOr(parts[1]) : 0;
        return new int[] {major, minor};
    }

    private static int parseOr(String s) {
        try {
            return Integer.parseInt(s.replaceAll("\\D.*", ""));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
