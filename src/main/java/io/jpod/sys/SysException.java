package io.jpod.sys;

/** A failed system call: carries the call's name and errno, and reads like "mount /x: No such file (errno 2)". */
public class SysException extends RuntimeException {
    private final String call;
    private final int errno;

    public SysException(String call, String subject, int errno, String strerror) {
        super(call + (subject == null || subject.isEmpty() ? "" : " " + subject) + ": " + strerror
                + " (errno " + errno + ")");
        this.call = call;
        this.errno = errno;
    }

    public String call() { return call; }

    public int errno() { return errno; }
}
