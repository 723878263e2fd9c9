package io.jpod.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UserResolverTest {
    @TempDir
    Path root;

    private void etc(String passwd, String group) throws IOException {
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/passwd"), passwd);
        Files.writeString(root.resolve("etc/group"), group);
    }

    @Test
    void namesResolveAgainstTheContainersOwnFiles() throws IOException {
        etc("root:x:0:0:root:/root:/bin/sh\nweb:x:1000:1001:web:/home/web:/bin/sh\n",
                "root:x:0:\nweb:x:1001:\nstaff:x:50:web\n");
        UserResolver.User u = UserResolver.resolve(root, "web");
        assertEquals(1000, u.uid());
        assertEquals(1001, u.gid());
        assertEquals(List.of(50), u.additionalGids(), "supplementary groups listing the user");
        UserResolver.User g = UserResolver.resolve(root, "web:staff");
        assertEquals(50, g.gid());
        assertEquals(List.of(), g.additionalGids(), "an explicit group replaces the supplementary ones");
    }

    @Test
    void numericIdsNeedNoEntryAndDefaultToGroupZero() throws IOException {
        etc("root:x:0:0:root:/root:/bin/sh\n", "root:x:0:\n");
        assertEquals(new UserResolver.User(1000, 0, List.of()), UserResolver.resolve(root, "1000"));
        assertEquals(new UserResolver.User(1000, 1000, List.of()), UserResolver.resolve(root, "1000:1000"));
        assertEquals(new UserResolver.User(0, 0, List.of()), UserResolver.resolve(root, ""));
    }

    @Test
    void unknownNamesFailWithPodmansMessage() throws IOException {
        etc("root:x:0:0:root:/root:/bin/sh\n", "root:x:0:\n");
        JpodException e = assertThrows(JpodException.class, () -> UserResolver.resolve(root, "nobody"));
        assertTrue(e.getMessage().startsWith("unable to find user nobody: no matching entries in passwd file"), e.getMessage());
        JpodException g = assertThrows(JpodException.class, () -> UserResolver.resolve(root, "root:nogroup"));
        assertTrue(g.getMessage().startsWith("unable to find group nogroup"), g.getMessage());
    }

    @Test
    void aSymlinkedEtcIsNotFollowedToTheHost() throws IOException {
        // an image whose /etc points at the host's must not make jpod read the host's passwd
        Files.createSymbolicLink(root.resolve("etc"), Path.of("/etc"));
        assertThrows(JpodException.class, () -> UserResolver.resolve(root, "root"));
        assertEquals(0, UserResolver.resolve(root, "0").uid());
    }
}
