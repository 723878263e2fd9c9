package io.jpod.sys;

import java.nio.file.Path;

/**
 * File-system calls that java.nio cannot make: device nodes, raw-byte xattrs, nanosecond times and ownership on
 * the link itself, setuid-preserving modes and verbatim symlink targets. None of them follows a symlink at the
 * final path component. Failures throw {@link SysException} carrying errno and the call name.
 */
public interface FileOps {
    int S_IFIFO = 0010000;
    int S_IFCHR = 0020000;
    int S_IFBLK = 0060000;

    /** mknod(2); mode holds the file type (S_IFCHR, S_IFBLK, S_IFIFO) and the permission bits. */
    void mknod(Path path, int mode, int major, int minor);

    /** lsetxattr(2) with the value's exact bytes (binary values such as security.capability included). */
    void lsetxattr(Path path, String name, byte[] value);

    /** lgetxattr(2); null when the attribute is absent (ENODATA). */
    byte[] lgetxattr(Path path, String name);

    /** utimensat(AT_FDCWD, path, {atime, mtime}, AT_SYMLINK_NOFOLLOW): never opens the file, so FIFOs are safe. */
    void utimensat(Path path, long atimeSec, int atimeNsec, long mtimeSec, int mtimeNsec);

    /** lchown(2): changes the owner of a symlink itself, not of its target. */
    void lchown(Path path, int uid, int gid);

    /**
     * Sets all 12 mode bits (setuid, setgid and sticky included). Does not follow a final symlink: on a symlink it
     * fails with EOPNOTSUPP, as Linux symlinks have no mode of their own.
     */
    void chmod(Path path, int mode);

    /**
     * chmod for a path the caller has just created as a non-symlink in a directory nothing else writes to (a
     * layer being unpacked): one fchmodat, where the no-follow form costs glibc an O_PATH open, a stat and a
     * /proc chmod. The default is the no-follow form.
     */
    default void chmodCreated(Path path, int mode) {
        chmod(path, mode);
    }

    /**
     * A new regular file, opened for writing with O_CREAT|O_EXCL|O_NOFOLLOW (never through a symlink, never an
     * existing file), mode 0600 until the caller sets the real one; its fd.
     */
    int createExclusive(Path path);

    /** A file opened read-only (O_NOFOLLOW is not wanted here: the caller names a file it trusts); its fd. */
    int openRead(Path path);

    /** write(2) until all of b[off, off+len) is written. */
    void writeAll(int fd, byte[] b, int off, int len);

    /** copy_file_range(2) of len bytes from srcFd at srcOffset to dstFd's position, in the kernel; until done. */
    void copyRange(int srcFd, long srcOffset, int dstFd, long len);

    void closeFd(int fd);

    /** Whether path exists, a dangling symlink included; cheaper than an lstat that throws for a missing path. */
    default boolean existsNoFollow(Path path) {
        return java.nio.file.Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS);
    }

    /** symlink(2) storing target byte-for-byte (java.nio would normalise slashes away). */
    void symlink(String target, Path link);
}
