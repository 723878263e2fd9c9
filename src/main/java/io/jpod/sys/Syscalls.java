package io.jpod.sys;

/** The handful of syscalls the engine makes directly. Errors are {@link SysException}s with errno. */
public interface Syscalls {
    int ESRCH = 3;
    int EPERM = 1;
    int ENOENT = 2;
    int EINTR = 4;
    int EAGAIN = 11;
    int EEXIST = 17;
    int EINVAL = 22;
    int EBUSY = 16;
    int EADDRINUSE = 98;

    /** kill(2); returns 0 or the errno (ESRCH for a gone process) instead of throwing. */
    int kill(int pid, int signal);

    /** Whether fd is a terminal (save and export refuse to write binary archives to one). */
    boolean isatty(int fd);

    default boolean alive(int pid) {
        return pid > 0 && kill(pid, 0) != ESRCH;
    }

    /** pipe2(O_CLOEXEC): [read end, write end]. */
    int[] pipe();

    void close(int fd);

    int write(int fd, byte[] data, int off, int len);

    /** read(2); 0 at EOF. */
    int read(int fd, byte[] buf, int off, int len);

    /** poll(2) for readability; true when data or EOF is ready within the timeout. */
    boolean pollIn(int fd, int timeoutMillis);

    void mount(String source, String target, String fsType, long flags, String data);

    void umount2(String target, int flags);

    /** socket(AF_UNIX, SOCK_SEQPACKET) connected to path; conmon's attach socket speaks this. */
    int connectSeqpacket(String path);

    void shutdownWrite(int fd);

    /**
     * Opens a FIFO for writing without blocking: -1 when nobody reads it (ENXIO: the process behind it is gone)
     * or it does not exist, where a plain open would wait for ever.
     */
    int openFifoWriter(String path);

    /**
     * Takes an exclusive flock(2) on the file (made if missing) without waiting: the fd holding it (closing it
     * releases), or -1 when another process holds it. flock, not fcntl: shell scripts test it with flock(1).
     */
    default int tryFlock(String path) {
        return -1;
    }

    /**
     * Binds (and for tcp, listens on) a host port; the fd is handed to conmon so no other process can take the
     * port while the container lives. hostIp empty means all addresses.
     */
    int bindPort(String protocol, String hostIp, int port);

    /** Moves fd above the given floor with FD_CLOEXEC set; returns the new fd. */
    int dupAbove(int fd, int floor);

}
