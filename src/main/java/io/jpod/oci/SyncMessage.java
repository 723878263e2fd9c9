package io.jpod.oci;

import io.jpod.json.Json;

import java.util.Map;

/**
 * One message conmon writes on the sync pipe. With {@code --api-version 1}: {@code {"data": PID}}, or
 * {@code {"data": -1, "message": "..."}} on failure; older conmons wrote {@code {"pid": PID}}.
 */
public record SyncMessage(int data, String message) {

    public static SyncMessage parse(String line) {
        Map<String, Object> m;
        try {
            m = Json.parseObject(line.strip());
        } catch (Json.JsonException e) {
            throw new IllegalArgumentException("conmon sent an unreadable sync message: " + line.strip(), e);
        }
        Object v = m.containsKey("data") ? m.get("data") : m.get("pid");
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException("conmon sync message has no pid: " + line.strip());
        }
        Object msg = m.get("message");
        return new SyncMessage(n.intValue(), msg == null ? null : msg.toString());
    }

    public boolean failed() {
        return data < 0;
    }
}
