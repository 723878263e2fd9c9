package io.jpod.image.registry;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** A registry user name and password (or token as password). */
public record Credentials(String username, String password) {
    public Credentials {
        if (username == null || username.isEmpty()) throw new IllegalArgumentException("the user name is empty");
        if (password == null) password = "";
    }

    /** Parses --creds "user[:password]". */
    public static Credentials parse(String s) {
        int c = s.indexOf(':');
        if (c == 0) throw new IllegalArgumentException("invalid --creds \"" + s + "\": the user name is empty; use USER:PASSWORD");
        return c < 0 ? new Credentials(s, "") : new Credentials(s.substring(0, c), s.substring(c + 1));
    }

    String basicHeader() {
        return "Basic " + encoded();
    }

    /** base64 of "user:password", the "auth" field of auth.json. */
    public String encoded() {
        return Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static Credentials decode(String auth) {
        String s = new String(Base64.getDecoder().decode(auth.trim()), StandardCharsets.UTF_8);
        int c = s.indexOf(':');
        if (c <= 0) throw new IllegalArgumentException("the stored credentials are not user:password");
        return new Credentials(s.substring(0, c), s.substring(c + 1));
    }

    @Override
    public String toString() {
        return "Credentials[" + username + ", ***]"; // never print the password
    }
}
