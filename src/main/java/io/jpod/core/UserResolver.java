package io.jpod.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Resolves "-u user[:group]" against the container's own /etc/passwd and /etc/group. The files are read only
 * when they are regular files inside the rootfs: an image cannot point them at the host's through a symlink.
 */
final class UserResolver {
    private UserResolver() {}

    record User(int uid, int gid, List<Integer> additionalGids) {}

    static User resolve(Path rootfs, String spec) {
        String u = spec == null || spec.isEmpty() ? "0" : spec;
        String userPart = u, groupPart = null;
        int colon = u.indexOf(':');
        if (colon >= 0) {
            userPart = u.substring(0, colon);
            groupPart = u.substring(colon + 1);
        }
        List<String[]> passwd = read(rootfs, "etc/passwd");
        Integer uid = number(userPart);
        Integer gid = null;
        String userName = null;
        for (String[] f : passwd) {
            if (f.length < 6) continue;
            boolean match = uid != null ? f[2].equals(userPart) : f[0].equals(userPart);
            if (match) {
                uid = number(f[2]);
                gid = number(f[3]);
                userName = f[0];
                break;
            }
        }
        if (uid == null) {
            throw JpodException.invalid("unable to find user " + userPart + ": no matching entries in passwd file"
                    + " of the container; use a numeric UID or add the user to the image");
        }
        if (groupPart != null && !groupPart.isEmpty()) {
            gid = number(groupPart);
            if (gid == null) {
                for (String[] f : read(rootfs, "etc/group")) {
                    if (f.length >= 3 && f[0].equals(groupPart)) {
                        gid = number(f[2]);
                        break;
                    }
                }
                if (gid == null) {
                    throw JpodException.invalid("unable to find group " + groupPart + ": no matching entries in group file"
                            + " of the container; use a numeric GID");
                }
            }
        }
        if (gid == null) gid = 0;
        List<Integer> extra = new ArrayList<>();
        if (userName != null && groupPart == null) {
            for (String[] f : read(rootfs, "etc/group")) {
                if (f.length >= 4 && List.of(f[3].split(",")).contains(userName)) {
                    Integer g = number(f[2]);
                    if (g != null && !g.equals(gid) && !extra.contains(g)) extra.add(g);
                }
            }
        }
        return new User(uid, gid, extra);
    }

    private static Integer number(String s) {
        if (s == null || s.isEmpty() || !s.chars().allMatch(Character::isDigit)) return null;
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static List<String[]> read(Path rootfs, String rel) {
        List<String[]> out = new ArrayList<>();
        Path etc = rootfs.resolve("etc");
        Path p = rootfs.resolve(rel);
        if (Files.isSymbolicLink(etc) || !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) return out;
        try {
            for (String line : Files.readAllLines(p)) {
                if (line.isBlank() || line.startsWith("#")) continue;
                out.add(line.split(":", -1));
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }
}
