package io.jpod.core;

import io.jpod.json.Json;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The event log every jpod process appends to: one JSON line per event, each line one write(2) on an O_APPEND file,
 * so concurrent processes never interleave within an event. Past maxBytes the file is rotated to events.log.1
 * (under a lock, re-checked, so two processes never both rotate); readers take the rotated file first.
 */
public final class EventLog {
    /** One event, with podman's fields. exitCode is set for died and exec_died. */
    public record Event(Instant time, String type, String status, String id, String name, String image,
                        Map<String, String> attributes, Integer exitCode) {
        public Event {
            attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        }

        String toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("time", time.toString());
            m.put("type", type);
            m.put("status", status);
            m.put("id", id);
            if (name != null) m.put("name", name);
            if (image != null) m.put("image", image);
            if (!attributes.isEmpty()) m.put("attributes", new java.util.TreeMap<>(attributes));
            if (exitCode != null) m.put("exitCode", exitCode);
            return Json.write(m);
        }

        @SuppressWarnings("unchecked")
        static Event fromJson(String line) {
            Map<String, Object> m = Json.parseObject(line);
            Map<String, String> attrs = new LinkedHashMap<>();
            if (m.get("attributes") instanceof Map<?, ?> a) a.forEach((k, v) -> attrs.put(String.valueOf(k), String.valueOf(v)));
            return new Event(Instant.parse((String) m.get("time")), (String) m.get("type"), (String) m.get("status"),
                    (String) m.get("id"), (String) m.get("name"), (String) m.get("image"), attrs,
                    m.get("exitCode") instanceof Number n ? n.intValue() : null);
        }
    }

    private final Path file;
    private final long maxBytes;

    public EventLog(Path file, long maxBytes) {
        this.file = file;
        this.maxBytes = maxBytes;
    }

    public Path file() {
        return file;
    }

    /** Appends an event; an event log that cannot be written never fails the operation it records. */
    public void append(Event e) {
        byte[] line = (e.toJson() + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            Files.createDirectories(file.getParent());
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                ch.write(java.nio.ByteBuffer.wrap(line));
                if (ch.size() > maxBytes) rotate();
            }
        } catch (IOException | RuntimeException ignored) {
            // best effort by design: a full /run must not make stop or rm fail
        }
    }

    private void rotate() throws IOException {
        try (FileChannel lock = FileChannel.open(file.resolveSibling(".rotate.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock held = lock.lock()) {
            if (Files.size(file) <= maxBytes) return; // another process rotated meanwhile
            Files.move(file, file.resolveSibling(file.getFileName() + ".1"), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Events in [since, until] (nulls: unbounded), oldest first, from the rotated file and the current one. */
    public List<Event> read(Instant since, Instant until) {
        List<Event> out = new ArrayList<>();
        for (Path p : List.of(file.resolveSibling(file.getFileName() + ".1"), file)) {
            try {
                for (String l : Files.readAllLines(p, StandardCharsets.UTF_8)) {
                    Event e = parse(l);
                    if (e != null && (since == null || !e.time().isBefore(since)) && (until == null || !e.time().isAfter(until))) out.add(e);
                }
            } catch (NoSuchFileException e) {
                // nothing logged yet
            } catch (IOException e) {
                throw new JpodException(ErrorCode.INTERNAL, "reading the event log " + p + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** Where the current file ends now, to follow from. */
    public long end() {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    /** Events appended since {@code offset[0]} (advanced); a rotation restarts from the new file's beginning. */
    public List<Event> readFrom(long[] offset) {
        List<Event> out = new ArrayList<>();
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            if (f.length() < offset[0]) offset[0] = 0; // rotated under us
            f.seek(offset[0]);
            byte[] rest = new byte[(int) (f.length() - offset[0])];
            f.readFully(rest);
            int lastNl = -1;
            for (int i = 0; i < rest.length; i++) if (rest[i] == '\n') lastNl = i;
            if (lastNl < 0) return out;
            for (String l : new String(rest, 0, lastNl, StandardCharsets.UTF_8).split("\n")) {
                Event e = parse(l);
                if (e != null) out.add(e);
            }
            offset[0] += lastNl + 1;
        } catch (java.io.FileNotFoundException e) {
            offset[0] = 0;
        } catch (IOException e) {
            throw new JpodException(ErrorCode.INTERNAL, "reading the event log: " + e.getMessage(), e);
        }
        return out;
    }

    private static Event parse(String line) {
        if (line.isBlank()) return null;
        try {
            return Event.fromJson(line);
        } catch (RuntimeException e) {
            return null; // a line cut short by a crash mid-write: skipped
        }
    }
}
