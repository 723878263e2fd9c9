package io.jpod.core;

/** An engine error with a category; the message says what failed, why, and what to do next. */
public class JpodException extends RuntimeException {
    private final ErrorCode code;

    public JpodException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public JpodException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ErrorCode code() { return code; }

    public static JpodException notFound(String what) { return new JpodException(ErrorCode.NOT_FOUND, what); }

    public static JpodException invalid(String what) { return new JpodException(ErrorCode.INVALID_ARGUMENT, what); }

    public static JpodException state(String what) { return new JpodException(ErrorCode.INVALID_STATE, what); }
}
