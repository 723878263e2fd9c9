package io.jpod.core;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Container IDs (64 random hex digits) and names (given, validated; or generated adjective_noun). */
public final class Names {
    private Names() {}

    private static final java.util.Random RANDOM = new java.util.Random(); // only picks generated names
    private static final Pattern VALID = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");
    // ~110 x ~240 pairs, as podman's generator; a name another container holds is drawn again on create
    private static final String[] ADJ = {
            "admiring", "adoring", "affectionate", "agitated", "amazing", "angry", "awesome", "beautiful", "blissful",
            "bold", "boring", "brave", "busy", "calm", "charming", "clever", "compassionate", "competent",
            "condescending", "confident", "cool", "cranky", "crazy", "dazzling", "determined", "distracted",
            "dreamy", "eager", "ecstatic", "elastic", "elated", "elegant", "eloquent", "epic", "exciting", "fervent",
            "festive", "flamboyant", "focused", "friendly", "frosty", "funny", "gallant", "gifted", "goofy",
            "gracious", "great", "happy", "hardcore", "heuristic", "hopeful", "hungry", "infallible", "inspiring",
            "intelligent", "interesting", "jolly", "jovial", "keen", "kind", "laughing", "loving", "lucid",
            "magical", "modest", "musing", "mystifying", "naughty", "nervous", "nice", "nifty", "nostalgic",
            "objective", "optimistic", "peaceful", "pedantic", "pensive", "practical", "priceless", "quirky",
            "quizzical", "recursing", "relaxed", "reverent", "romantic", "sad", "serene", "sharp", "silly", "sleepy",
            "stoic", "strange", "stupefied", "suspicious", "sweet", "tender", "thirsty", "trusting", "unruffled",
            "upbeat", "vibrant", "vigilant", "vigorous", "wizardly", "wonderful", "xenodochial", "youthful",
            "zealous", "zen"};
    private static final String[] NOUN = {
            "agnesi", "albattani", "allen", "almeida", "archimedes", "ardinghelli", "aryabhata", "austin", "babbage",
            "backus", "banach", "bardeen", "bartik", "bassi", "beaver", "bell", "benz", "bhabha", "bhaskara",
            "blackburn", "blackwell", "bohr", "booth", "borg", "bose", "boyd", "brahmagupta", "brattain", "brown",
            "buck", "burnell", "cannon", "carson", "cartwright", "carver", "cerf", "chandrasekhar", "chaplygin",
            "chatelet", "chatterjee", "chaum", "chebyshev", "clarke", "cohen", "colden", "cori", "cray", "curie",
            "darwin", "davinci", "dewdney", "dhawan", "diffie", "dijkstra", "dirac", "driscoll", "dubinsky",
            "easley", "edison", "einstein", "elbakyan", "elgamal", "elion", "ellis", "engelbart", "euclid", "euler",
            "faraday", "feistel", "fermat", "fermi", "feynman", "franklin", "gagarin", "galileo", "galois",
            "ganguly", "gates", "gauss", "germain", "goldberg", "goldstine", "goldwasser", "golick", "goodall",
            "gould", "greider", "grothendieck", "haibt", "hamilton", "haslett", "hawking", "heisenberg", "hellman",
            "hermann", "herschel", "hertz", "heyrovsky", "hodgkin", "hofstadter", "hoover", "hopper", "hugle",
            "hypatia", "ishizaka", "jackson", "jang", "jemison", "jennings", "jepsen", "johnson", "joliot", "jones",
            "kalam", "kapitsa", "kare", "keldysh", "keller", "kepler", "khayyam", "khorana", "kilby", "kirch",
            "knuth", "kowalevski", "lalande", "lamarr", "lamport", "leakey", "leavitt", "lederberg", "lehmann",
            "lewin", "lichterman", "liskov", "lovelace", "lumiere", "mahavira", "margulis", "matsumoto", "maxwell",
            "mayer", "mccarthy", "mcclintock", "mclaren", "mclean", "mcnulty", "meitner", "mendel", "mendeleev",
            "merkle", "mestorf", "mirzakhani", "montalcini", "moore", "morse", "moser", "murdock", "napier", "nash",
            "neumann", "newton", "nightingale", "nobel", "noether", "northcutt", "noyce", "panini", "pare", "pascal",
            "pasteur", "payne", "perlman", "pike", "poincare", "poitras", "proskuriakova", "ptolemy", "raman",
            "ramanujan", "rhodes", "ride", "ritchie", "robinson", "roentgen", "rosalind", "rubin", "saha", "sammet",
            "sanderson", "satoshi", "shamir", "shannon", "shaw", "shirley", "shockley", "shtern", "sinoussi",
            "snyder", "solomon", "spence", "stonebraker", "sutherland", "swanson", "swartz", "swirles", "taussig",
            "tesla", "tharp", "thompson", "torvalds", "tu", "turing", "varahamihira", "vaughan", "villani",
            "visvesvaraya", "volhard", "wescoff", "wilbur", "wiles", "williams", "williamson", "wilson", "wing",
            "wozniak", "wright", "wu", "yalow", "yonath", "zhukovsky"};

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
