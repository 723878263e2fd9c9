package io.jpod.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The AOT training run (bin/train-aot): jpod's everyday commands in one JVM against a scratch store, so the
 * cache holds the classes the hot path loads. Runs only what this machine can: without busybox or root it
 * still trains the parser, the database and the formatters.
 */
final class Train {
    private Train() {}

    public static void main(String[] a) throws Exception {
        Path scratch = Path.of(a[0]);
        String root = scratch.resolve("root").toString(), run = scratch.resolve("run").toString();
        Path tar = scratch.resolve("rootfs.tar");
        boolean image = Files.isExecutable(Path.of("/bin/busybox")) && writeTar(tar);
        List<List<String>> cmds = new ArrayList<>();
        cmds.add(List.of("version"));
        cmds.add(List.of("ps", "-a"));
        cmds.add(List.of("images"));
        if (image) {
            cmds.add(List.of("import", "--change", "CMD=[\"sh\"]", tar.toString(), "localhost/train"));
            cmds.add(List.of("images"));
            cmds.add(List.of("run", "--rm", "--network", "none", "localhost/train", "true"));
            cmds.add(List.of("run", "-d", "--name", "t1", "localhost/train", "sleep", "60"));
            cmds.add(List.of("ps"));
            cmds.add(List.of("ps", "-a", "--format", "{{.ID}} {{.Names}} {{.Status}}"));
            cmds.add(List.of("ps", "--format", "json"));
            cmds.add(List.of("inspect", "t1"));
            cmds.add(List.of("inspect", "--format", "{{.State.Pid}}", "t1"));
            cmds.add(List.of("exec", "t1", "true"));
            cmds.add(List.of("exec", "t1", "sh", "-c", "echo out; echo err >&2"));
            cmds.add(List.of("stats", "--no-stream"));
            cmds.add(List.of("stats", "--no-stream", "--format", "json"));
            cmds.add(List.of("top", "t1"));
            cmds.add(List.of("logs", "t1"));
            cmds.add(List.of("stop", "-t", "0", "t1"));
            cmds.add(List.of("start", "t1"));
            cmds.add(List.of("kill", "t1"));
            cmds.add(List.of("rm", "-f", "t1"));
            cmds.add(List.of("create", "--name", "t2", "localhost/train", "true"));
            cmds.add(List.of("rm", "t2"));
            cmds.add(List.of("run", "--name", "t3", "localhost/train", "echo", "trained"));
            cmds.add(List.of("logs", "t3"));
            cmds.add(List.of("rm", "t3"));
            cmds.add(List.of("rmi", "localhost/train"));
        }
        cmds.add(List.of("inspect", "nosuch"));
        cmds.add(List.of("run", "--memory", "12zz", "localhost/nosuch", "true"));
        for (List<String> c : cmds) {
            List<String> argv = new ArrayList<>(List.of("--root", root, "--runroot", run));
            argv.addAll(c);
            Cli cli = new Cli();
            int code = cli.execute(argv.toArray(String[]::new));
            cli.flush();
            System.err.println("train: " + String.join(" ", c) + " -> " + code);
        }
    }

    /** A tar of busybox and a few applet links, written by hand so training needs no tar binary. */
    private static boolean writeTar(Path out) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        entry(b, "bin/", '5', 0755, new byte[0], null);
        byte[] bb;
        try (InputStream in = Files.newInputStream(Path.of("/bin/busybox"))) {
            bb = in.readAllBytes();
        }
        entry(b, "bin/busybox", '0', 0755, bb, null);
        for (String app : List.of("sh", "true", "echo", "sleep", "cat", "ls")) entry(b, "bin/" + app, '2', 0777, new byte[0], "busybox");
        entry(b, "tmp/", '5', 01777, new byte[0], null);
        b.write(new byte[1024]);
        Files.write(out, b.toByteArray());
        return true;
    }

    private static void entry(ByteArrayOutputStream b, String name, char type, int mode, byte[] data, String link) throws IOException {
        byte[] h = new byte[512];
        put(h, 0, name);
        put(h, 100, String.format("%07o", mode));
        put(h, 108, "0000000");
        put(h, 116, "0000000");
        put(h, 124, String.format("%011o", data.length));
        put(h, 136, String.format("%011o", 1_700_000_000L));
        for (int i = 148; i < 156; i++) h[i] = ' ';
        h[156] = (byte) type;
        if (link != null) put(h, 157, link);
        put(h, 257, "ustar");
        h[262] = 0;
        put(h, 263, "00");
        int sum = 0;
        for (byte x : h) sum += x & 0xff;
        put(h, 148, String.format("%06o", sum));
        h[154] = 0;
        h[155] = ' ';
        b.write(h);
        b.write(data);
        int pad = (512 - data.length % 512) % 512;
        b.write(new byte[pad]);
    }

    private static void put(byte[] h, int off, String s) {
        byte[] x = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(x, 0, h, off, x.length);
    }
}
