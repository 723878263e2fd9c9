package io.jpod.network;

/** A CNI plugin failed; the message names the plugin and carries its own error (code, msg, details). */
public final class CniException extends RuntimeException {
    private final int code;

    public CniException(String message, int code) {
        super(message);
        this.code = code;
    }

    /** The CNI error code (1..99 are the spec's; 0 when the plugin gave none). */
    public int code() { return code; }
}
