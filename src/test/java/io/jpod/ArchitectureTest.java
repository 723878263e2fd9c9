package io.jpod;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dependencies point down: cli -> engine -> core -> (oci, state, image) -> sys. json is usable by all and uses
 * nothing. oci, state and image do not use each other, except image may use state (its index lives there). sys
 * uses nothing of jpod but itself. Checked on the sources (imports and fully qualified names outside comments and
 * strings), without ArchUnit.
 */
class ArchitectureTest {
    static final Path SRC = Path.of("src/main/java");

    /** Top-level package under io.jpod -> layer; higher numbers sit higher. Subpackages belong to their parent. */
    static final Map<String, Integer> LAYER = Map.ofEntries(
            Map.entry("cli", 5), Map.entry("api", 5),
            Map.entry("engine", 4),
            Map.entry("core", 3),
            Map.entry("oci", 2), Map.entry("state", 2), Map.entry("image", 2), Map.entry("network", 2), Map.entry("volume", 2),
            Map.entry("sys", 1),
            Map.entry("json", 0));

    /**
     * Same-layer uses that are allowed (everything else within a layer is not). network->oci: a published port is
     * one value type (oci.PortMapping), reserved by conmon and forwarded by the firewall. cli->api: `system service`
     * starts the API server.
     */
    static final Set<String> ALLOWED_SIDEWAYS = Set.of("image->state", "volume->state", "network->oci", "cli->api");

    private static final Pattern REF = Pattern.compile("\\bio\\.jpod\\.([a-z][a-z0-9_]*)\\b");

    /** Java source with comments, string and char literals and text blocks blanked out. */
    static String code(String src) {
        StringBuilder out = new StringBuilder(src.length());
        int i = 0, n = src.length();
        while (i < n) {
            char c = src.charAt(i);
            if (c == '/' && i + 1 < n && src.charAt(i + 1) == '/') {
                while (i < n && src.charAt(i) != '\n') i++;
            } else if (c == '/' && i + 1 < n && src.charAt(i + 1) == '*') {
                int end = src.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
                out.append(' ');
            } else if (src.startsWith("\"\"\"", i)) {
                int end = src.indexOf("\"\"\"", i + 3);
                while (end > 0 && src.charAt(end - 1) == '\\') end = src.indexOf("\"\"\"", end + 1);
                i = end < 0 ? n : end + 3;
                out.append("\"\"");
            } else if (c == '"' || c == '\'') {
                i++;
                while (i < n && src.charAt(i) != c) {
                    if (src.charAt(i) == '\\') i++;
                    i++;
                }
                i++;
                out.append(c).append(c);
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    static String topPackage(Path root, Path file) {
        Path rel = root.resolve("io/jpod").relativize(file);
        return rel.getNameCount() < 2 ? "" : rel.getName(0).toString();
    }

    static List<String> violations(Path root) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root.resolve("io/jpod"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                String from = topPackage(root, f);
                Integer fromLayer = LAYER.get(from);
                if (fromLayer == null) {
                    out.add(f + ": package io.jpod." + from + " has no layer: add it to ArchitectureTest.LAYER");
                    continue;
                }
                Set<String> uses = new TreeSet<>();
                Matcher m = REF.matcher(code(Files.readString(f)));
                while (m.find()) uses.add(m.group(1));
                for (String to : uses) {
                    if (to.equals(from)) continue;
                    Integer toLayer = LAYER.get(to);
                    String edge = from + "->" + to;
                    if (toLayer == null) {
                        out.add(f + ": uses io.jpod." + to + ", which has no layer");
                    } else if (from.equals("json") || from.equals("sys")) {
                        out.add(f + ": " + from + " must use nothing of jpod, but uses io.jpod." + to);
                    } else if (toLayer > fromLayer) {
                        out.add(f + ": " + edge + " points up (" + from + " is below " + to + ")");
                    } else if (toLayer.equals(fromLayer) && !ALLOWED_SIDEWAYS.contains(edge)) {
                        out.add(f + ": " + edge + " links two packages of the same layer");
                    }
                }
            }
        }
        return out;
    }

    @Test
    void noLayerUsesOneAboveIt() throws IOException {
        List<String> v = violations(SRC);
        assertTrue(v.isEmpty(), "architecture violations:\n" + String.join("\n", v));
    }

    @Test
    void theScannerSeesCodeButNotCommentsOrStrings() {
        String src = """
                package io.jpod.sys;
                import io.jpod.sys.linux.Libc; // io.jpod.cli in a comment
                /** {@link io.jpod.engine.LocalEngine} */
                class X { String s = "io.jpod.core.Thing"; char c = '"'; Object o = io.jpod.json.Json.parse("1"); }
                """;
        Matcher m = REF.matcher(code(src));
        Set<String> found = new TreeSet<>();
        while (m.find()) found.add(m.group(1));
        assertEquals(Set.of("json", "sys"), found);
    }

    @Test
    void theRulesCatchUpwardSidewaysAndSysUses(@TempDir Path root) throws IOException {
        write(root, "state/Bad.java", "package io.jpod.state; import io.jpod.core.Container; class Bad {}");
        write(root, "oci/Side.java", "package io.jpod.oci; class Side { io.jpod.image.Image i; }");
        write(root, "image/Ok.java", "package io.jpod.image; import io.jpod.state.StateStore; import io.jpod.json.Json; class Ok {}");
        write(root, "sys/Up.java", "package io.jpod.sys; import io.jpod.json.Json; class Up {}");
        write(root, "cli/Down.java", "package io.jpod.cli; import io.jpod.sys.Clock; import io.jpod.core.Signals; class Down {}");
        List<String> v = violations(root);
        assertEquals(3, v.size(), String.join("\n", v));
        assertTrue(v.get(0).endsWith("oci->image links two packages of the same layer"), v.get(0));
        assertTrue(v.get(1).endsWith("state->core points up (state is below core)"), v.get(1));
        assertTrue(v.get(2).endsWith("sys must use nothing of jpod, but uses io.jpod.json"), v.get(2));
    }

    static void write(Path root, String rel, String src) throws IOException {
        Path f = root.resolve("io/jpod").resolve(rel);
        Files.createDirectories(f.getParent());
        Files.writeString(f, src);
    }

    @Test
    void everyTopLevelPackageHasALayer() throws IOException {
        try (Stream<Path> dirs = Files.list(SRC.resolve("io/jpod"))) {
            for (Path d : dirs.filter(Files::isDirectory).toList()) {
                assertTrue(LAYER.containsKey(d.getFileName().toString()), d + " has no layer in ArchitectureTest.LAYER");
            }
        }
    }
}
