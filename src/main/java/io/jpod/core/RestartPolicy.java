package io.jpod.core;

import java.util.Map;

/**
 * --restart: what happens when a container's process exits. jpod restarts through conmon's exit command (the
 * `container cleanup` it runs), as podman does without systemd: no daemon is needed. A stop by the user never
 * restarts; unless-stopped differs from always only at boot (`system boot`), where a user-stopped one stays down.
 */
public record RestartPolicy(String name, int maxRetries) {
    public static final RestartPolicy NO = new RestartPolicy("no", 0);

    public RestartPolicy {
        if (!java.util.List.of("no", "on-failure", "always", "unless-stopped").contains(name)) {
            throw JpodException.invalid("invalid restart policy \"" + name + "\": use no, on-failure[:max-retries], always or unless-stopped");
        }
        if (maxRetries < 0) throw JpodException.invalid("invalid restart policy: max retries must not be negative");
        if (maxRetries > 0 && !name.equals("on-failure")) {
            throw JpodException.invalid("restart policy " + name + " takes no max retries: only on-failure:N does");
        }
    }

    /** "no", "on-failure", "on-failure:3", "always", "unless-stopped"; null or "" is no. */
    public static RestartPolicy parse(String s) {
        if (s == null || s.isEmpty()) return NO;
        int colon = s.indexOf(':');
        String name = colon < 0 ? s : s.substring(0, colon);
        int max = 0;
        if (colon >= 0) {
            try {
                max = Integer.parseInt(s.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw JpodException.invalid("invalid restart policy \"" + s + "\": the retry count after ':' must be a number");
            }
        }
        return new RestartPolicy(name, max);
    }

    public boolean restarts() { return !name.equals("no"); }

    /** Whether an exit with this code, after restartCount policy restarts, restarts the container. */
    public boolean shouldRestart(int exitCode, int restartCount, boolean stoppedByUser) {
        if (stoppedByUser) return false;
        return switch (name) {
            case "always", "unless-stopped" -> true;
            case "on-failure" -> exitCode != 0 && (maxRetries == 0 || restartCount < maxRetries);
            default -> false;
        };
    }

    /** Whether `system boot` starts it again. */
    public boolean startsAtBoot(boolean stoppedByUser) {
        return name.equals("always") || name.equals("unless-stopped") && !stoppedByUser;
    }

    @Override
    public String toString() {
        return maxRetries > 0 ? name + ":" + maxRetries : name;
    }

    Map<String, Object> toJson() {
        return Map.of("name", name, "maxRetries", maxRetries);
    }
}
