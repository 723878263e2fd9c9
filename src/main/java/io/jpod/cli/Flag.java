package io.jpod.cli;

/** One command-line flag: its long name, an optional one-letter short name, whether it takes a value. */
record Flag(String name, char shortName, boolean takesValue, String help) {
    static Flag bool(String name, String help) { return new Flag(name, '\0', false, help); }
    static Flag bool(String name, char s, String help) { return new Flag(name, s, false, help); }
    static Flag value(String name, String help) { return new Flag(name, '\0', true, help); }
    static Flag value(String name, char s, String help) { return new Flag(name, s, true, help); }
}
