package io.jpod.engine;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * The caller's standard streams. fds are the raw descriptors handed to processes in the container (runc
 * exec); the Java streams carry attached output. stdin null means no input.
 */
public record Streams(InputStream in, OutputStream out, OutputStream err, int inFd, int outFd, int errFd) {
    public static Streams system() {
        return new Streams(System.in, new java.io.FileOutputStream(java.io.FileDescriptor.out),
                new java.io.FileOutputStream(java.io.FileDescriptor.err), 0, 1, 2);
    }
}
