package io.jpod.sys;

import java.nio.file.Path;

/**
 * Network namespaces kept alive by a bind mount on a file (as `ip netns` and podman do), so they outlive the
 * process that made them and can be handed to runc and CNI plugins by path.
 */
public interface NetNamespaces {
    /** Makes a new, empty network namespace (only lo, down) and binds it on {@code file}, which must not exist. */
    void create(Path file);

    /** Unbinds and removes {@code file}; the namespace goes with its last user. Missing: nothing to do. */
    void delete(Path file);
}
