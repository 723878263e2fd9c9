package io.jpod.image;

/** Where pull, push, save and load report progress: podman's lines, and per-blob transfers for a terminal to draw. */
@FunctionalInterface
public interface Progress {
    void line(String s);

    /** A transfer of {@code total} bytes (-1: unknown) called {@code label}; plainly, the label is one line. */
    default Bar bar(String label, long total) {
        line(label);
        return Bar.NONE;
    }

    /** One transfer's progress. */
    @FunctionalInterface
    interface Bar {
        Bar NONE = n -> { };

        void advance(long bytes);

        /** The transfer ended ("done", or why not). */
        default void done(String how) { }
    }
}
