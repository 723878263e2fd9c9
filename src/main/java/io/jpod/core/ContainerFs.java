package io.jpod.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * A container's filesystem as seen from the host, for cp: its root (the mounted overlay) and the volumes and bind
 * mounts laid over it. Paths are resolved the way the container would see them: symlinks are followed, but always
 * inside the root they belong to; ".." stops at that root; an absolute link target starts again from it. So a hostile
 * symlink in the container can never name a host path (the class of CVE-2018-15664 and CVE-2019-14271).
 */
public record ContainerFs(Path rootfs, List<MountSpec> mounts) {
    private static final int MAX_LINKS = 255;
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    /** Where a container path lives on the host, with symlinks resolved inside the container. */
    public Path resolve(String containerPath) throws IOException {
        return resolve(containerPath, true);
    }

    /**
     * As {@link #resolve(String)}; with followLast false a final symlink is the result itself (cp copies a link as a
     * link unless asked to follow it), though a trailing "/" still follows it.
     */
    public Path resolve(String containerPath, boolean followLast) throws IOException {
        boolean follow = followLast || containerPath.endsWith("/") || containerPath.endsWith("/.");
        Deque<String> todo = new ArrayDeque<>();
        push(todo, containerPath);
        // the mount point a path is under decides which root its symlinks are confined to
        Path root = rootfs;
        String rootDest = "/";
        StringBuilder ctr = new StringBuilder(); // the container path walked so far, for matching mount points
        Path current = rootfs;
        int links = 0;
        while (!todo.isEmpty()) {
            String part = todo.pop();
            if (part.isEmpty() || part.equals(".")) continue;
            if (part.equals("..")) {
                if (!current.equals(root)) {
                    current = current.getParent();
                    int slash = ctr.lastIndexOf("/");
                    ctr.setLength(Math.max(slash, 0));
                } else if (!rootDest.equals("/")) { // ".." out of a mount point climbs into the rootfs
                    String parent = rootDest.substring(0, Math.max(rootDest.lastIndexOf('/'), 0));
                    root = rootfs;
                    rootDest = "/";
                    ctr.setLength(0);
                    current = rootfs;
                    todo.push(parent.isEmpty() ? "." : parent.substring(1));
                }
                continue;
            }
            ctr.append('/').append(part);
            MountSpec m = mountAt(ctr.toString());
            if (m != null) {
                root = Path.of(m.source());
                rootDest = m.destination();
                current = root;
                continue;
            }
            Path next = current.resolve(part);
            if (Files.isSymbolicLink(next) && (follow || !todo.stream().allMatch(x -> x.isEmpty() || x.equals(".")))) {
                if (++links > MAX_LINKS) throw new IOException("too many levels of symbolic links in " + containerPath);
                String target = Files.readSymbolicLink(next).toString();
                ctr.setLength(ctr.length() - part.length() - 1);
                if (target.startsWith("/")) {
                    root = rootfs;
                    rootDest = "/";
                    current = rootfs;
                    ctr.setLength(0);
                }
                push(todo, target);
                continue;
            }
            current = next;
        }
        return current;
    }

    private static void push(Deque<String> todo, String path) {
        String[] parts = path.split("/");
        for (int i = parts.length - 1; i >= 0; i--) todo.push(parts[i]);
    }

    private MountSpec mountAt(String containerPath) {
        for (MountSpec m : mounts) {
            if ((m.type().equals("volume") || m.type().equals("bind")) && m.destination().equals(containerPath)) return m;
        }
        return null;
    }

    /** Whether a resolved host path exists (without following a final symlink). */
    public static boolean exists(Path p) {
        return Files.exists(p, NOFOLLOW);
    }
}
