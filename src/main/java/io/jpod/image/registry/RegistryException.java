package io.jpod.image.registry;

import java.io.IOException;

/** A registry said no, or could not be reached; {@link #kind} tells the caller whether another registry may help. */
public final class RegistryException extends IOException {
    public enum Kind { NOT_FOUND, UNAUTHORIZED, DENIED, UNREACHABLE, TLS, PROTOCOL, TRANSIENT }

    private final Kind kind;

    public RegistryException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public RegistryException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
