package io.jpod.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The fixture every bin/jpod test class shares: its own storage with the busybox image imported, rm -af after
 * each test (whatever that cannot remove is a bug, and is cleaned by force anyway), the storage gone after.
 */
@ExtendWith(JpodCli.Gate.class)
abstract class CliIT {
    static JpodCli cli;

    @BeforeAll
    static void setUpStorage() {
        JpodCli.requireEnvironment(true);
        cli = JpodCli.create();
        cli.importTestImage();
    }

    @AfterAll
    static void tearDownStorage() {
        if (cli != null) cli.close();
        cli = null;
    }

    @AfterEach
    void removeAll() {
        assertEquals(List.of(), cli.removeEverything(), "rm -af left these behind (now removed by force)");
    }
}
