package io.jpod.core;

/** A container: its fixed config and the state it was in when read (synced with conmon's exit file). */
public record Container(ContainerConfig config, ContainerState state) {
    public String id() { return config.id(); }
    public String name() { return config.name(); }
    public ContainerStatus status() { return state.status(); }
}
