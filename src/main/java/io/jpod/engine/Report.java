package io.jpod.engine;

import io.jpod.core.JpodException;

/** One item of a batch verb: what was asked for, the container's ID, and the error if this item failed. */
public record Report(String requested, String id, JpodException error) {
    public static Report ok(String requested, String id) { return new Report(requested, id, null); }
    public static Report failed(String requested, JpodException e) { return new Report(requested, null, e); }
    public boolean succeeded() { return error == null; }
}
