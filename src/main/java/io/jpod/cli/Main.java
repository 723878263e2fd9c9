package io.jpod.cli;

/** The `jpod` command. Kept tiny: the JVM starts here on every command, so nothing is loaded eagerly. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        Cli cli = new Cli();
        int code = cli.execute(args);
        cli.flush();
        io.jpod.sys.Trace.mark("done");
        if (Boolean.getBoolean("jpod.profile")) System.exit(code); // lets -XX:StartFlightRecording write its file
        Runtime.getRuntime().halt(code); // skip shutdown hooks: nothing of ours needs them, and they cost start-up time
    }
}
