package io.jpod.oci;

/** What `runc state` reports, mapped onto the states libpod knows. */
public record RuntimeStatus(Kind kind, int pid) {
    public enum Kind { CREATED, RUNNING, PAUSED, STOPPED, NOT_FOUND }

    public static RuntimeStatus notFound() { return new RuntimeStatus(Kind.NOT_FOUND, 0); }
}
