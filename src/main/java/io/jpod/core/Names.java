package io.jpod.core;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Container IDs (64 random hex digits) and names (given, validated; or generated adjective_noun). */
public final class Names {
    private Names() {}

    private static final java.util.Random RANDOM = new java.util.Random(); // only picks generated names
    private static final Pattern VALID = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");
    private static final String[] ADJ = {"admiring", "brave", "clever", "dazzling", "eager", "fervent", "gallant",
            "happy", "jolly", "keen", "laughing", "modest", "nifty", "optimistic", "practical", "quirky", "relaxed",
            "serene", "tender", "upbeat", "vibrant", "wizardly", "youthful", "zealous", "bold", "calm", "epic"};
    private static final String[] NOUN = {"turing", "hopper", "lovelace", "knuth", "ritchie", "thompson", "torvalds",
            "liskov", "dijkstra", "hamilton", "kay", "lamport", "curie", "noether", "euler", "gauss", "shannon",
            "babbage", "goldberg", "wirth", "hoare", "backus", "mccarthy", "perlman", "allen", "bell", "cerf"};

    /** 32 bytes from /dev/urandom: SecureRandom's provider set-up costs ~10 ms of a short-lived CLI (measured). */
    public static String newId() {
        byte[] b = new byte[32];
        try (java.io.FileInputStream in = new java.io.FileInputStream("/dev/urandom")) {
            if (in.readNBytes(b, 0, 32) != 32) throw new java.io.IOException("short read");
        } catch (java.io.IOException e) {
            new SecureRandom().nextBytes(b);
        }
        return HexFormat.of().formatHex(b);
    }

    public static String generateName() {
        return ADJ[RANDOM.nextInt(ADJ.length)] + "_" + NOUN[RANDOM.nextInt(NOUN.length)];
    }

    public static void validate(String name) {
        if (!VALID.matcher(name).matches()) {
            throw JpodException.invalid("invalid container name \"" + name
                    + "\": names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*");
        }
    }
}
