package io.jpod.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.Map;

/**
 * A directory tree as a tar (export): names relative to the root without "./", directories with a trailing "/",
 * ownership, modes, mtimes, symlinks, device nodes, FIFOs, and hard links as link entries. Nothing is followed:
 * a symlink in the tree is archived as a symlink, never read through.
 */
public final class TreeArchiver {
    private static final int S_IFMT = 0170000, S_IFDIR = 0040000, S_IFLNK = 0120000, S_IFCHR = 0020000,
            S_IFBLK = 0060000, S_IFIFO = 0010000, S_IFREG = 0100000;

    private TreeArchiver() {}

    public static void write(Path root, OutputStream out) throws IOException {
        write(root, null, true, out);
    }

    /**
     * Archives {@code src} itself (a file, symlink or directory tree) under the name {@code top} (null: the children
     * of a directory at the archive's root, as export). keepOwners false records 0:0 (cp without --archive).
     */
    public static void write(Path src, String top, boolean keepOwners, OutputStream out) throws IOException {
        Map<Long, String> seenInodes = new HashMap<>();
        Path root = src;
        try (TarWriter tar = new TarWriter(out)) {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    if (!dir.equals(root) || top != null) add(dir);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    add(file);
                    return FileVisitResult.CONTINUE;
                }

                private void add(Path p) throws IOException {
                    Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,rdev,ino,nlink,lastModifiedTime",
                            LinkOption.NOFOLLOW_LINKS);
                    int mode = (Integer) a.get("mode");
                    int uid = keepOwners ? (Integer) a.get("uid") : 0, gid = keepOwners ? (Integer) a.get("gid") : 0;
                    long mtime = ((FileTime) a.get("lastModifiedTime")).toMillis() / 1000;
                    String rel = root.relativize(p).toString();
                    String name = top == null ? rel : rel.isEmpty() ? top : top + "/" + rel;
                    int fmt = mode & S_IFMT;
                    switch (fmt) {
                        case S_IFDIR -> tar.entry(name + "/", '5', 0, mode, uid, gid, mtime, "", 0, 0, null);
                        case S_IFLNK -> tar.entry(name, '2', 0, mode, uid, gid, mtime, Files.readSymbolicLink(p).toString(), 0, 0, null);
                        case S_IFCHR, S_IFBLK -> {
                            long rdev = (Long) a.get("rdev");
                            tar.entry(name, fmt == S_IFCHR ? '3' : '4', 0, mode, uid, gid, mtime, "",
                                    (int) ((rdev >>> 8) & 0xfff), (int) ((rdev & 0xff) | ((rdev >>> 12) & 0xfff00)), null);
                        }
                        case S_IFIFO -> tar.entry(name, '6', 0, mode, uid, gid, mtime, "", 0, 0, null);
                        case S_IFREG -> {
                            long ino = (Long) a.get("ino");
                            if ((Integer) a.get("nlink") > 1) {
                                String first = seenInodes.putIfAbsent(ino, name);
                                if (first != null) {
                                    tar.entry(name, '1', 0, mode, uid, gid, mtime, first, 0, 0, null);
                                    return;
                                }
                            }
                            long size = Files.size(p);
                            try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
                                tar.entry(name, '0', size, mode, uid, gid, mtime, "", 0, 0, in);
                            }
                        }
                        default -> { } // sockets are not archived, as tar does not
                    }
                }
            });
        }
    }
}
