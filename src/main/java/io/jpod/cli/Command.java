package io.jpod.cli;

import java.util.List;

/** One CLI verb. run() returns the process exit code. */
interface Command {
    String name();

    String summary();

    List<Flag> flags();

    /** How many positionals end flag parsing (run: 1, the image; exec: 1, the container); 0 parses all. */
    default int stopAfterPositionals() { return 0; }

    int run(Cli cli, Args args) throws Exception;
}
