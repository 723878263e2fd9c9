package io.jpod.cli;

/** Bad command-line input: printed as one "Error: ..." line, exit 125. */
final class UsageException extends RuntimeException {
    UsageException(String message) { super(message); }
}
