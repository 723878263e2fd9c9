package io.jpod.sys;

import java.nio.charset.StandardCharsets;

/** The outcome of a short helper command (runc state, runc kill, ...), both streams fully drained. */
public record ExecResult(int exitCode, byte[] stdout, byte[] stderr) {
    public String out() { return new String(stdout, StandardCharsets.UTF_8); }
    public String err() { return new String(stderr, StandardCharsets.UTF_8).strip(); }
    public boolean ok() { return exitCode == 0; }
}
