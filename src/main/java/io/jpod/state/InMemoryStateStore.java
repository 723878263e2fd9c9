package io.jpod.state;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link StateStore} in memory, for tests and embedders that need no persistence. Same semantics as
 * {@link SqliteStateStore} (the shared contract suite checks both): ALREADY_EXISTS on name or ID clashes,
 * AMBIGUOUS on ID prefixes matching several, NOT_FOUND on renames and tags of what is not there, tags that move
 * between images. Every method is synchronized: one lock stands in for SQLite's IMMEDIATE transactions.
 */
public final class InMemoryStateStore implements StateStore {
    private final Map<String, ContainerRecord> containers = new HashMap<>();
    private final Map<String, ImageRecord> images = new HashMap<>();
    /** Image name to image ID, with a global sequence number ordering an image's names as SQLite's seq does. */
    private final Map<String, String> nameToImage = new HashMap<>();
    private final Map<String, Long> nameSeq = new HashMap<>();
    private final Map<String, String> meta = new HashMap<>();
    private long seq;

    @Override
    public synchronized void addContainer(ContainerRecord c) {
        if (containers.containsKey(c.id())) {
            throw new StateException(StateException.Kind.ALREADY_EXISTS, "a container with ID " + c.id() + " already exists");
        }
        if (containers.values().stream().anyMatch(o -> o.name().equals(c.name()))) {
            throw new StateException(StateException.Kind.ALREADY_EXISTS,
                    "the container name \"" + c.name() + "\" is already in use");
        }
        containers.put(c.id(), c);
    }

    @Override
    public synchronized Optional<ContainerRecord> container(String id) {
        return Optional.ofNullable(containers.get(id));
    }

    @Override
    public synchronized Optional<ContainerRecord> lookupContainer(String nameOrId) {
        if (nameOrId == null || nameOrId.isEmpty()) return Optional.empty();
        for (ContainerRecord r : containers.values()) {
            if (r.name().equals(nameOrId)) return Optional.of(r);
        }
        ContainerRecord byId = containers.get(nameOrId);
        if (byId != null) return Optional.of(byId);
        if (!nameOrId.matches("[0-9a-f]+")) return Optional.empty();
        List<ContainerRecord> matches = containers.values().stream().filter(r -> r.id().startsWith(nameOrId)).toList();
        if (matches.size() > 1) {
            throw new StateException(StateException.Kind.AMBIGUOUS, "more than one container matches \""
                    + nameOrId + "\": give more characters of the ID, or the name");
        }
        return matches.stream().findFirst();
    }

    @Override
    public synchronized List<ContainerRecord> containers() {
        return containers.values().stream()
                .sorted(Comparator.comparingLong(ContainerRecord::createdMillis).thenComparing(ContainerRecord::id))
                .toList();
    }

    @Override
    public synchronized boolean saveContainerState(String id, String stateJson) {
        ContainerRecord r = containers.get(id);
        if (r == null) return false;
        containers.put(id, new ContainerRecord(r.id(), r.name(), r.createdMillis(), r.imageId(), r.configJson(), stateJson));
        return true;
    }

    @Override
    public synchronized boolean saveContainerConfig(String id, String configJson) {
        ContainerRecord r = containers.get(id);
        if (r == null) return false;
        containers.put(id, new ContainerRecord(r.id(), r.name(), r.createdMillis(), r.imageId(), configJson, r.stateJson()));
        return true;
    }

    @Override
    public synchronized void renameContainer(String id, String newName) {
        ContainerRecord r = containers.get(id);
        if (r == null) throw new StateException(StateException.Kind.NOT_FOUND, "no container with ID " + id);
        if (containers.values().stream().anyMatch(o -> !o.id().equals(id) && o.name().equals(newName))) {
            throw new StateException(StateException.Kind.ALREADY_EXISTS,
                    "the container name \"" + newName + "\" is already in use");
        }
        containers.put(id, new ContainerRecord(r.id(), newName, r.createdMillis(), r.imageId(), r.configJson(), r.stateJson()));
    }

    @Override
    public synchronized boolean removeContainer(String id) {
        return containers.remove(id) != null;
    }

    @Override
    public synchronized List<String> containersUsingImage(String imageId) {
        return containers.values().stream().filter(r -> imageId.equals(r.imageId())).map(ContainerRecord::id).toList();
    }

    @Override
    public synchronized void addImage(ImageRecord image) {
        ImageRecord old = images.get(image.id());
        // as SQLite's upsert: an existing image keeps its creation time and takes the new metadata
        long created = old != null ? old.createdMillis() : image.createdMillis();
        images.put(image.id(), new ImageRecord(image.id(), List.of(), created, image.metadataJson()));
        tag(image.id(), image.names());
    }

    private void tag(String imageId, List<String> names) {
        for (String n : names) {
            nameToImage.put(n, imageId);
            nameSeq.put(n, ++seq);
        }
    }

    @Override
    public synchronized void tagImage(String imageId, List<String> names) {
        if (!images.containsKey(imageId)) throw new StateException(StateException.Kind.NOT_FOUND, "no image with ID " + imageId);
        tag(imageId, names);
    }

    @Override
    public synchronized void untagImage(String imageId, String name) {
        if (!imageId.equals(nameToImage.get(name))) {
            throw new StateException(StateException.Kind.NOT_FOUND, "image " + imageId + " is not tagged " + name);
        }
        nameToImage.remove(name);
        nameSeq.remove(name);
    }

    private List<String> namesOf(String id) {
        return nameToImage.entrySet().stream().filter(e -> e.getValue().equals(id)).map(Map.Entry::getKey)
                .sorted(Comparator.comparingLong(nameSeq::get)).toList();
    }

    private ImageRecord withNames(ImageRecord r) {
        return new ImageRecord(r.id(), namesOf(r.id()), r.createdMillis(), r.metadataJson());
    }

    @Override
    public synchronized Optional<ImageRecord> image(String id) {
        return Optional.ofNullable(images.get(id)).map(this::withNames);
    }

    @Override
    public synchronized Optional<ImageRecord> lookupImage(String nameOrId) {
        if (nameOrId == null || nameOrId.isEmpty()) return Optional.empty();
        String byName = nameToImage.get(nameOrId);
        if (byName != null) return image(byName);
        String hex = nameOrId.startsWith("sha256:") ? nameOrId.substring(7) : nameOrId;
        if (!hex.matches("[0-9a-f]+")) return Optional.empty();
        List<String> matches = images.keySet().stream().filter(id -> id.startsWith(hex)).toList();
        if (matches.size() > 1) {
            throw new StateException(StateException.Kind.AMBIGUOUS, "more than one image matches \""
                    + nameOrId + "\": give more characters of the ID, or a name");
        }
        return matches.stream().findFirst().flatMap(this::image);
    }

    @Override
    public synchronized List<ImageRecord> images() {
        List<ImageRecord> out = new ArrayList<>();
        images.values().stream()
                .sorted(Comparator.comparingLong(ImageRecord::createdMillis).reversed().thenComparing(ImageRecord::id))
                .forEach(r -> out.add(withNames(r)));
        return out;
    }

    @Override
    public synchronized boolean removeImage(String id) {
        if (images.remove(id) == null) return false;
        // names go with their image, as SQLite's ON DELETE CASCADE takes them
        for (String n : namesOf(id)) {
            nameToImage.remove(n);
            nameSeq.remove(n);
        }
        return true;
    }

    private final Map<String, VolumeRecord> volumeMap = new java.util.TreeMap<>();

    @Override
    public synchronized void addVolume(VolumeRecord v) {
        if (volumeMap.containsKey(v.name())) {
            throw new StateException(StateException.Kind.ALREADY_EXISTS, "volume with name " + v.name() + " already exists");
        }
        volumeMap.put(v.name(), v);
    }

    @Override
    public synchronized Optional<VolumeRecord> volume(String name) {
        return Optional.ofNullable(volumeMap.get(name));
    }

    @Override
    public synchronized List<VolumeRecord> volumes() {
        return List.copyOf(volumeMap.values());
    }

    @Override
    public synchronized boolean saveVolume(String name, String metadataJson) {
        VolumeRecord v = volumeMap.get(name);
        if (v == null) return false;
        volumeMap.put(name, new VolumeRecord(name, v.createdMillis(), metadataJson));
        return true;
    }

    @Override
    public synchronized boolean removeVolume(String name) {
        return volumeMap.remove(name) != null;
    }

    @Override
    public synchronized Optional<String> meta(String key) {
        return Optional.ofNullable(meta.get(key));
    }

    @Override
    public synchronized void setMeta(String key, String value) {
        meta.put(key, value);
    }

    @Override
    public synchronized void close() {
        // nothing to release
    }
}
