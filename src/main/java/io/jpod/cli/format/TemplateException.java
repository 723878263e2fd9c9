package io.jpod.cli.format;

/**
 * A --format template that cannot be parsed or executed; the message is one line in podman's style,
 * e.g. {@code template: ps:1: function "foo" not defined}.
 */
public final class TemplateException extends RuntimeException {
    /** Creates an exception carrying the complete, user-facing message. */
    public TemplateException(String message) {
        super(message);
    }
}
