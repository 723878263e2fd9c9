package io.jpod.sys;

/** The caller's terminal, for run -t and start -a: raw mode and window size. */
public interface Terminal {
    boolean isTerminal(int fd);

    /** Switches fd to raw mode; closing the result restores what it was. */
    Restore makeRaw(int fd);

    /** {rows, columns}, or null when fd is no terminal. */
    int[] size(int fd);

    /** Undoes makeRaw. */
    interface Restore extends AutoCloseable {
        @Override
        void close();
    }
}
