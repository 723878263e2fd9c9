package io.jpod.state;

import java.util.List;
import java.util.Optional;

/**
 * Durable engine state shared by every jpod process. Each write is one IMMEDIATE transaction, so concurrent
 * processes serialise on the database instead of failing with SQLITE_BUSY mid-transaction.
 */
public interface StateStore extends AutoCloseable {
    /** Adds a container; ALREADY_EXISTS names the clash (name or ID). */
    void addContainer(ContainerRecord c);

    Optional<ContainerRecord> container(String id);

    /** By exact name, exact ID, or unique ID prefix; AMBIGUOUS when a prefix matches several. */
    Optional<ContainerRecord> lookupContainer(String nameOrId);

    List<ContainerRecord> containers();

    /** Replaces a container's state blob; false when the container is gone. */
    boolean saveContainerState(String id, String stateJson);

    void renameContainer(String id, String newName);

    /** Replaces a container's config blob (network connect and disconnect); false when the container is gone. */
    boolean saveContainerConfig(String id, String configJson);

    boolean removeContainer(String id);

    /** IDs of containers using an image. */
    List<String> containersUsingImage(String imageId);

    void addImage(ImageRecord image);

    /** Adds names to an image, taking them away from any image that had them (tags move, as in podman). */
    void tagImage(String imageId, List<String> names);

    void untagImage(String imageId, String name);

    Optional<ImageRecord> image(String id);

    /** By exact name, exact ID, or unique ID prefix (with or without "sha256:"). */
    Optional<ImageRecord> lookupImage(String nameOrId);

    List<ImageRecord> images();

    boolean removeImage(String id);

    /** Adds a volume; ALREADY_EXISTS when the name is taken. */
    void addVolume(VolumeRecord v);

    Optional<VolumeRecord> volume(String name);

    List<VolumeRecord> volumes();

    /** Replaces a volume's metadata; false when it is gone. */
    boolean saveVolume(String name, String metadataJson);

    boolean removeVolume(String name);

    Optional<String> meta(String key);

    void setMeta(String key, String value);

    @Override
    void close();
}
