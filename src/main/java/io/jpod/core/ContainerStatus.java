package io.jpod.core;

/**
 * libpod's container states. CONFIGURED exists only in the database; CREATED exists in the runtime;
 * STOPPED has exited but is not cleaned up; EXITED is cleaned up (rootfs unmounted, runtime container deleted).
 */
public enum ContainerStatus {
    CONFIGURED, CREATED, RUNNING, PAUSED, STOPPED, EXITED, REMOVING;

    /** The word podman shows in {{.State}} and inspect's State.Status. */
    public String word() {
        return switch (this) {
            case CONFIGURED, CREATED -> "created";
            case RUNNING -> "running";
            case PAUSED -> "paused";
            case STOPPED, EXITED -> "exited";
            case REMOVING -> "removing";
        };
    }

    public boolean canStart() {
        return this == CONFIGURED || this == CREATED || this == STOPPED || this == EXITED;
    }

    public boolean isActive() {
        return this == RUNNING || this == PAUSED;
    }
}
