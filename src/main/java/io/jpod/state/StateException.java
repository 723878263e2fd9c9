package io.jpod.state;

/** A state store failure; {@link #kind} lets the engine map it to NOT_FOUND, ALREADY_EXISTS and the like. */
public class StateException extends RuntimeException {
    public enum Kind { NOT_FOUND, ALREADY_EXISTS, AMBIGUOUS, STORAGE }

    private final Kind kind;

    public StateException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public StateException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() { return kind; }
}
