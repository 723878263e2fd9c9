package io.jpod.core;

/** Error categories that survive the trip through the CLI (exit codes) and the REST API (HTTP status). */
public enum ErrorCode {
    NOT_FOUND(404), ALREADY_EXISTS(409), INVALID_STATE(409), INVALID_ARGUMENT(400), UNAVAILABLE(503), INTERNAL(500);

    private final int httpStatus;

    ErrorCode(int httpStatus) { this.httpStatus = httpStatus; }

    public int httpStatus() { return httpStatus; }
}
