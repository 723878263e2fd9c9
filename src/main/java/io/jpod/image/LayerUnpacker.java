package io.jpod.image;

import io.jpod.sys.FileOps;
import io.jpod.sys.SysException;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * Writes an image layer tar (plain or gzip) into a directory the way containers/storage does for overlayfs:
 * whiteouts become 0:0 character devices, opaque markers become {@code trusted.overlay.opaque=y}, and ownership,
 * modes, xattrs and nanosecond mtimes are kept. The layer is hostile input: no entry may create or change anything
 * outside the root, so every parent component is checked with lstat and a symlinked parent is refused outright
 * (see {@link #unpack}). Meant to run into a fresh private directory the caller renames on success.
 */
public final class LayerUnpacker {
    /** diffId is "sha256:HEX" of the uncompressed tar; size its byte count; warnings name skipped xattrs. */
    public record UnpackResult(String diffId, long size, long entries, List<String> warnings) {}

    /** The layer itself is malformed, unsupported or malicious; the message is one line naming the entry. */
    public static final class InvalidLayerException extends IOException {
        public InvalidLayerException(String message) {
            super(message);
        }
    }

    private static final int BUF = 64 * 1024;
    private static final String WH = ".wh.";
    private static final String WH_META = ".wh..wh.";
    private static final String WH_OPAQUE = ".wh..wh..opq";
    private static final String OPAQUE_XATTR = "trusted.overlay.opaque";
    private static final int EPERM = 1;
    private static final int EOPNOTSUPP = 95;
    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};

    private final Path root;
    private final FileOps ops;
    private final byte[] buf = new byte[BUF];
    /** Relative paths already proven to be real directories (not symlinks), so deep trees cost one lstat per dir. */
    private final Set<String> dirs = new HashSet<>();
    /** Directory times, applied last: creating children would otherwise bump them. */
    private final Map<String, long[]> dirTimes = new LinkedHashMap<>();
    private final List<String> warnings = new ArrayList<>();

    /** false for cp: ".wh." names are ordinary files there, not overlay whiteouts. */
    private boolean layer = true;

    private LayerUnpacker(Path root, FileOps ops) {
        this.root = root;
        this.ops = ops;
    }

    /**
     * Unpacks {@code layer} (read to its end, not closed) into the existing directory {@code root}.
     *
     * <p>Security: entry and hardlink-target paths are cleaned lexically (a leading "/" or "./" is dropped, as
     * every layer tool does) and refused if ".." would leave the root; then each parent component is walked with
     * lstat from the root down and refused if it is a symlink or not a directory, and every final-component call
     * is a no-follow one (O_CREAT|O_EXCL|O_NOFOLLOW, lchown, lsetxattr, AT_SYMLINK_NOFOLLOW). This relies on nothing
     * else writing into {@code root} meanwhile, which holds for the caller's private temporary directory.
     *
     * @throws InvalidLayerException for a corrupt, unsupported or unsafe layer
     * @throws IOException for local failures, naming the entry being written
     */
    public static UnpackResult unpack(InputStream layer, Path root, FileOps ops) throws IOException {
        return unpack(layer, root, ops, null);
    }

    /** As {@link #unpack(InputStream, Path, FileOps)}; {@code tarCopy} (may be null) gets the uncompressed tar. */
    public static UnpackResult unpack(InputStream layer, Path root, FileOps ops, java.io.OutputStream tarCopy) throws IOException {
        return unpack(layer, root, ops, tarCopy, true);
    }

    /**
     * Extracts a plain archive (cp into a container, or out of one onto the host) with the same safety: no entry
     * leaves {@code root} or writes through a symlink; ".wh." names are kept as they are.
     */
    public static UnpackResult extract(InputStream tar, Path root, FileOps ops) throws IOException {
        return unpack(tar, root, ops, null, false);
    }

    private static UnpackResult unpack(InputStream layer, Path root, FileOps ops, java.io.OutputStream tarCopy,
                                       boolean layerMode) throws IOException {
        Path realRoot;
        try {
            realRoot = root.toRealPath();
        } catch (NoSuchFileException e) {
            throw new IOException("cannot unpack a layer into " + root + ": it does not exist; create the directory first", e);
        }
        if (!Files.isDirectory(realRoot, NOFOLLOW))
            throw new IOException("cannot unpack a layer into " + root + ": it is not a directory");
        BufferedInputStream src = new BufferedInputStream(new FilterInputStream(layer) {
            @Override
            public void close() { } // the caller owns the layer stream
        }, BUF);
        InputStream tarStream = decompress(src);
        io.jpod.sys.Trace.mark("unpack: start");
        try (HashingInputStream hashed = new HashingInputStream(tarStream, tarCopy)) {
            TarReader tar = new TarReader(hashed);
            LayerUnpacker u = new LayerUnpacker(realRoot, ops);
            u.layer = layerMode;
            long entries = u.applyAll(tar);
            tar.drain();
            io.jpod.sys.Trace.mark("unpack: entries written");
            u.finish();
            io.jpod.sys.Trace.mark("unpack: directory times set");
            return new UnpackResult(hashed.digest.digest().toString(), hashed.count,
                    entries, List.copyOf(u.warnings));
        }
    }

    /**
     * Unpacks an uncompressed layer from a file at the speed of the disk: contents go file to file in the kernel
     * (copy_file_range), while a second thread hashes the file (its diffID); then the file is copied to {@code blob}
     * (may be null), in the kernel too. A file that changes meanwhile (size or mtime) fails the import. Same checks
     * and safety as {@link #unpack}.
     */
    public static UnpackResult unpackFile(Path file, Path root, FileOps ops, io.jpod.image.BlobStore.Ingest blob) throws IOException {
        Path realRoot = root.toRealPath();
        BasicFileAttributes before = Files.readAttributes(file, BasicFileAttributes.class);
        try (FileChannel src = FileChannel.open(file, StandardOpenOption.READ);
             FileChannel side = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = src.size();
            java.util.concurrent.CompletableFuture<String> digest = new java.util.concurrent.CompletableFuture<>();
            Thread hasher = Thread.ofPlatform().daemon().name("jpod-layer-hash").start(() -> {
                try {
                    java.security.MessageDigest md = Digest.sha256();
                    java.nio.ByteBuffer bb = java.nio.ByteBuffer.allocateDirect(1 << 20);
                    for (long at = 0; at < size; ) {
                        bb.clear();
                        int n = side.read(bb, at);
                        if (n < 0) throw new IOException(file + " shrank while it was read");
                        bb.flip();
                        md.update(bb);
                        at += n;
                    }
                    digest.complete("sha256:" + java.util.HexFormat.of().formatHex(md.digest()));
                    io.jpod.sys.Trace.mark("unpack: hashed");
                } catch (Throwable t) {
                    digest.completeExceptionally(t);
                }
            });
            TarReader tar = new TarReader(java.nio.channels.Channels.newInputStream(src));
            LayerUnpacker u = new LayerUnpacker(realRoot, ops);
            u.source = src;
            u.sourceFd = ops.openRead(file);
            long entries;
            try {
                entries = u.applyAll(tar);
                u.finish();
                io.jpod.sys.Trace.mark("unpack: entries written");
                if (blob != null) blob.copyFrom(src);
                io.jpod.sys.Trace.mark("unpack: copied to the blob store");
            } finally {
                ops.closeFd(u.sourceFd);
                try {
                    hasher.join();
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
            }
            BasicFileAttributes after = Files.readAttributes(file, BasicFileAttributes.class);
            if (after.size() != before.size() || !after.lastModifiedTime().equals(before.lastModifiedTime()) || after.size() != size) {
                throw new IOException(file + " changed while it was imported: import it again once nothing writes to it");
            }
            try {
                return new UnpackResult(digest.join(), size, entries, List.copyOf(u.warnings));
            } catch (java.util.concurrent.CompletionException ce) {
                if (ce.getCause() instanceof IOException io) throw io;
                throw ce;
            }
        }
    }

    /** Set for {@link #unpackFile}: regular files' contents are copied from here in the kernel. */
    private FileChannel source;
    private int sourceFd = -1;

    /** Picks the decompressor (gzip, zstd, none) by magic bytes, not by media type: registries mislabel layers often enough. */
    private static InputStream decompress(BufferedInputStream src) throws IOException {
        src.mark(16);
        byte[] m = src.readNBytes(6);
        src.reset();
        if (startsWith(m, 0x1f, 0x8b)) return new GZIPInputStream(src, BUF);
        if (startsWith(m, 0x28, 0xb5, 0x2f, 0xfd)) return new io.jpod.sys.linux.ZstdInputStream(src);
        if (startsWith(m, 0xfd, '7', 'z', 'X', 'Z', 0x00))
            throw new InvalidLayerException("the layer is xz-compressed, which jpod does not support; "
                    + "use an image whose layers are gzip-compressed or uncompressed");
        if (startsWith(m, 'B', 'Z', 'h'))
            throw new InvalidLayerException("the layer is bzip2-compressed, which jpod does not support; "
                    + "use an image whose layers are gzip-compressed or uncompressed");
        return src;
    }

    private static boolean startsWith(byte[] b, int... magic) {
        if (b.length < magic.length) return false;
        for (int i = 0; i < magic.length; i++) if ((b[i] & 0xff) != magic[i]) return false;
        return true;
    }

    /** Applies every entry of the archive; their number. A local failure names the entry it hit. */
    private long applyAll(TarReader tar) throws IOException {
        long entries = 0;
        for (TarReader.Entry e; (e = tar.next()) != null; ) {
            entries++;
            try {
                apply(e, tar);
            } catch (InvalidLayerException x) {
                throw x;
            } catch (SysException | IOException | UncheckedIOException | IllegalArgumentException x) {
                throw new IOException("layer entry " + quote(e.name()) + " could not be unpacked: " + describe(x), x);
            }
        }
        return entries;
    }

    // --- one entry

    private void apply(TarReader.Entry e, TarReader tar) throws IOException {
        String rel = clean(e, e.name(), "path");
        if (rel.isEmpty()) {
            // containers/storage skips "./": the root's own metadata is the caller's to set
            if (e.type() == TarReader.DIR) return;
            throw refuse(e, "names the layer root itself but is not a directory");
        }
        // AUFS bookkeeping at the top (.wh..wh.plnk/, .wh..wh.aufs) means nothing to overlay; the root's opaque marker does
        if (layer && rel.startsWith(WH_META) && !rel.equals(WH_OPAQUE)) return;
        int slash = rel.lastIndexOf('/');
        String parentRel = slash < 0 ? "" : rel.substring(0, slash);
        String base = rel.substring(slash + 1);
        Path parent = walkParents(e, parentRel, true, "its parent");

        if (layer && base.startsWith(WH)) {
            whiteout(e, parentRel, parent, base);
            return;
        }
        Path p = parent.resolve(base);
        char type = e.type();
        if (type == TarReader.HARDLINK) {
            hardlink(e, rel, p);
            return;
        }
        if (type != TarReader.REG && type != TarReader.DIR && type != TarReader.SYMLINK && type != TarReader.CHAR
                && type != TarReader.BLOCK && type != TarReader.FIFO)
            throw refuse(e, "has tar entry type '" + printable(String.valueOf(type)) + "' (0x"
                    + Integer.toHexString(type) + "), which is not a file type jpod can unpack");

        // most entries are new: ask cheaply first, and lstat (which throws for a missing file) only when there is one
        BasicFileAttributes existing = ops.existsNoFollow(p) ? lstat(p) : null;
        boolean keepDir = existing != null && existing.isDirectory() && type == TarReader.DIR;
        if (existing != null && !keepDir) remove(rel, p, existing);
        switch (type) {
            case TarReader.DIR -> {
                if (!keepDir) Files.createDirectory(p);
                dirs.add(rel);
            }
            case TarReader.REG -> writeFile(p, tar);
            case TarReader.SYMLINK -> ops.symlink(e.linkName(), p); // verbatim, even absolute: it is only data here
            case TarReader.CHAR -> ops.mknod(p, FileOps.S_IFCHR | 0600, e.devMajor(), e.devMinor());
            case TarReader.BLOCK -> ops.mknod(p, FileOps.S_IFBLK | 0600, e.devMajor(), e.devMinor());
            case TarReader.FIFO -> ops.mknod(p, FileOps.S_IFIFO | 0600, 0, 0);
            default -> throw new IllegalStateException("unreachable");
        }
        metadata(e, rel, p);
    }

    private void writeFile(Path p, TarReader tar) throws IOException {
        // O_CREAT|O_EXCL|O_NOFOLLOW: even a symlink planted at p could not redirect the write
        int fd = ops.createExclusive(p);
        try {
            if (source != null) {
                tar.transferContent(source, new TarReader.ContentSink() {
                    public void write(byte[] b, int off, int len) { ops.writeAll(fd, b, off, len); }
                    public void copyFromArchive(long offset, long len) { ops.copyRange(sourceFd, offset, fd, len); }
                });
                return;
            }
            for (int n; (n = tar.read(buf, 0, buf.length)) > 0; ) ops.writeAll(fd, buf, 0, n);
        } finally {
            ops.closeFd(fd);
        }
    }

    /** chown before chmod (chown clears setuid) and before xattrs (it also drops security.capability). */
    private void metadata(TarReader.Entry e, String rel, Path p) {
        ops.lchown(p, e.uid(), e.gid());
        if (e.type() != TarReader.SYMLINK) {
            // a layer unpacks into a private temp dir: p is the non-symlink we just made, so the cheap chmod is safe;
            // extract (cp into a container) writes where the container's processes may swap p for a symlink
            if (layer) ops.chmodCreated(p, e.mode()); else ops.chmod(p, e.mode());
        }
        for (var x : e.xattrs().entrySet()) {
            String name = x.getKey();
            if (name.startsWith("trusted.overlay.") || name.startsWith("user.overlay.")) {
                // overlayfs metadata (redirects, origins) must come from whiteouts, never from layer content
                warnings.add("skipped xattr " + name + " on " + quote(e.name()) + ": overlay metadata is not taken from layers");
                continue;
            }
            try {
                ops.lsetxattr(p, name, x.getValue());
            } catch (SysException ex) {
                // as containers/storage: file systems without xattr support, or user.* on a symlink, only warn
                if (ex.errno() != EPERM && ex.errno() != EOPNOTSUPP) throw ex;
                warnings.add("skipped xattr " + name + " on " + quote(e.name()) + ": " + ex.getMessage());
            }
        }
        long aSec = e.hasAtime() ? e.atimeSec() : e.mtimeSec();
        long aNsec = e.hasAtime() ? e.atimeNsec() : e.mtimeNsec();
        if (e.type() == TarReader.DIR) {
            dirTimes.remove(rel); // re-insert so a later entry for the same dir wins
            dirTimes.put(rel, new long[] {aSec, aNsec, e.mtimeSec(), e.mtimeNsec()});
        } else {
            ops.utimensat(p, aSec, (int) aNsec, e.mtimeSec(), e.mtimeNsec());
        }
    }

    private void whiteout(TarReader.Entry e, String parentRel, Path parent, String base) throws IOException {
        if (base.equals(WH_OPAQUE)) {
            ops.lsetxattr(parent, OPAQUE_XATTR, new byte[] {'y'});
            return;
        }
        if (base.startsWith(WH_META)) return; // other AUFS bookkeeping, deeper down: likewise meaningless
        String name = base.substring(WH.length());
        if (name.isEmpty() || name.equals(".") || name.equals(".."))
            throw refuse(e, "is an invalid whiteout: it would hide \"" + name + "\"");
        String rel = parentRel.isEmpty() ? name : parentRel + "/" + name;
        Path p = parent.resolve(name);
        BasicFileAttributes existing = lstat(p);
        if (existing != null) remove(rel, p, existing);
        ops.mknod(p, FileOps.S_IFCHR, 0, 0);
        ops.lchown(p, e.uid(), e.gid());
    }

    private void hardlink(TarReader.Entry e, String rel, Path p) throws IOException {
        String target = clean(e, e.linkName(), "hardlink target");
        if (target.isEmpty()) throw refuse(e, "is a hardlink to the layer root, which is a directory");
        int slash = target.lastIndexOf('/');
        Path tparent = walkParents(e, slash < 0 ? "" : target.substring(0, slash), false, "its hardlink target");
        Path t = tparent.resolve(target.substring(slash + 1));
        BasicFileAttributes ta = lstat(t);
        if (ta == null)
            throw refuse(e, "is a hardlink to " + quote(e.linkName()) + ", which this layer has not extracted "
                    + "(hardlink targets are earlier entries of the same layer, resolved inside the layer root)");
        if (ta.isDirectory()) throw refuse(e, "is a hardlink to directory " + quote(e.linkName()) + "; directories cannot be hardlinked");
        if (target.equals(rel)) return; // a link to itself: already in place
        BasicFileAttributes existing = lstat(p);
        if (existing != null) remove(rel, p, existing);
        Files.createLink(p, t); // link(2) does not follow a symlink target: it links the symlink itself
    }

    private void finish() throws IOException {
        for (var d : dirTimes.entrySet()) {
            long[] t = d.getValue();
            try {
                ops.utimensat(root.resolve(d.getKey()), t[0], (int) t[1], t[2], (int) t[3]);
            } catch (SysException x) {
                throw new IOException("layer directory " + quote(d.getKey()) + ": could not set its times: " + x.getMessage(), x);
            }
        }
    }

    // --- path safety

    /**
     * Lexically cleans a tar path into "a/b/c" relative to the root ("" for the root). A leading "/" or "./" is
     * normal in layers and dropped; ".." may climb only as far as the root.
     */
    static String clean(TarReader.Entry e, String path, String what) throws InvalidLayerException {
        if (path.indexOf('\0') >= 0) throw refuse(e, "has a NUL byte in its " + what);
        ArrayList<String> parts = new ArrayList<>();
        int i = 0;
        int n = path.length();
        while (i <= n) {
            int j = path.indexOf('/', i);
            if (j < 0) j = n;
            String c = path.substring(i, j);
            if (c.equals("..")) {
                if (parts.isEmpty()) {
                    throw refuse(e, "escapes the layer root: " + (what.equals("path") ? "path"
                            : what + " " + quote(path)) + " contains \"..\"");
                }
                parts.removeLast();
            } else if (!c.isEmpty() && !c.equals(".")) {
                parts.add(c);
            }
            i = j + 1;
        }
        return String.join("/", parts);
    }

    /**
     * Proves every component of parentRel is a real directory, from the root down, with lstat (never following a
     * symlink). Missing ones are created (0755, root-owned, as containers/storage does) when create is true.
     */
    private Path walkParents(TarReader.Entry e, String parentRel, boolean create, String role) throws IOException {
        if (parentRel.isEmpty()) return root;
        Path dir = root.resolve(parentRel);
        if (dirs.contains(parentRel)) return dir;
        int i = 0;
        while (i <= parentRel.length()) {
            int j = parentRel.indexOf('/', i);
            if (j < 0) j = parentRel.length();
            String prefix = parentRel.substring(0, j);
            i = j + 1;
            if (dirs.contains(prefix)) continue;
            Path p = root.resolve(prefix);
            BasicFileAttributes a = lstat(p);
            if (a == null) {
                if (!create)
                    throw refuse(e, "is a hardlink to " + quote(e.linkName()) + ", which this layer has not extracted "
                            + "(directory " + quote(prefix) + " does not exist in the layer)");
                Files.createDirectory(p);
                ops.chmod(p, 0755); // not subject to the process umask
            } else if (a.isSymbolicLink()) {
                throw refuse(e, "is refused: " + role + " goes through " + quote(prefix) + ", a symlink to "
                        + quote(readLink(p)) + "; writing through symlinks could escape the layer root");
            } else if (!a.isDirectory()) {
                throw refuse(e, "cannot be unpacked: " + role + " component " + quote(prefix)
                        + " is not a directory but a " + kind(a));
            }
            dirs.add(prefix);
        }
        return dir;
    }

    /** Removes what an entry replaces; a directory goes with its whole subtree, without following symlinks. */
    private void remove(String rel, Path p, BasicFileAttributes a) throws IOException {
        if (!a.isDirectory()) {
            Files.delete(p);
            return;
        }
        Files.walkFileTree(p, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                Files.delete(f);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException ex) throws IOException {
                if (ex != null) throw ex;
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
        String under = rel + "/";
        dirs.removeIf(d -> d.equals(rel) || d.startsWith(under));
        dirTimes.keySet().removeIf(d -> d.equals(rel) || d.startsWith(under));
    }

    private static BasicFileAttributes lstat(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, NOFOLLOW);
        } catch (NoSuchFileException ex) {
            return null;
        }
    }

    private static String readLink(Path p) {
        try {
            return Files.readSymbolicLink(p).toString();
        } catch (IOException ex) {
            return "?";
        }
    }

    private static String kind(BasicFileAttributes a) {
        return a.isRegularFile() ? "regular file" : a.isOther() ? "device, FIFO or socket" : "non-directory";
    }

    private static InvalidLayerException refuse(TarReader.Entry e, String reason) {
        return new InvalidLayerException("layer entry " + quote(e.name()) + " " + reason);
    }

    // --- messages

    /** A quoted, single-line, bounded rendering of a name from the layer (names are attacker-chosen). */
    static String quote(String s) {
        String p = printable(s.length() > 300 ? s.substring(0, 300) + "..." : s);
        return "\"" + p + "\"";
    }

    static String printable(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean plain = c >= 0x20 && c != 0x7f && c != '"' && c != '\\' && !Character.isISOControl(c);
            if (plain && sb == null) continue;
            if (sb == null) sb = new StringBuilder(s.length() + 16).append(s, 0, i);
            if (plain) sb.append(c);
            else if (c == '"' || c == '\\') sb.append('\\').append(c);
            else sb.append(String.format("\\x%02x", (int) c));
        }
        return sb == null ? s : sb.toString();
    }

    private static String describe(Exception x) {
        if (x instanceof FileSystemException f) {
            String reason = f.getReason();
            return f.getClass().getSimpleName() + " " + f.getFile() + (reason == null ? "" : ": " + reason);
        }
        String m = x.getMessage();
        return m == null ? x.getClass().getSimpleName() : m.replace('\n', ' ');
    }

    /** Counts and hashes the uncompressed tar as it is read, so the diffID costs no second pass. */
    private static final class HashingInputStream extends PassThroughInputStream {
        final AsyncDigest digest;
        long count;

        HashingInputStream(InputStream in, java.io.OutputStream copy) {
            super(in);
            digest = new AsyncDigest(copy);
        }

        @Override
        public void close() throws IOException {
            digest.close();
            super.close();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n;
            try {
                n = in.read(b, off, len);
            } catch (java.util.zip.ZipException | java.io.EOFException e) {
                // gzip damage is the layer's fault, not the disk's: say so rather than surface a bare ZipException
                throw new InvalidLayerException("the layer's compressed stream is corrupt or truncated: " + e.getMessage());
            }
            if (n > 0) {
                digest.update(b, off, n);
                count += n;
            }
            return n;
        }
    }
}
