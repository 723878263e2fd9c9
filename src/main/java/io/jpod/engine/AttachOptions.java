package io.jpod.engine;

/**
 * How a terminal attaches to a container: whether our stdin goes to it, the detach keys, and whether signals we
 * get are sent on to it (--sig-proxy).
 */
public record AttachOptions(boolean stdin, DetachKeys detachKeys, boolean sigProxy) {
    public AttachOptions {
        detachKeys = detachKeys == null ? DetachKeys.defaults() : detachKeys;
    }

    public static AttachOptions defaults(boolean stdin) {
        return new AttachOptions(stdin, DetachKeys.defaults(), true);
    }
}
