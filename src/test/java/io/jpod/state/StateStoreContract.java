package io.jpod.state;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every {@link StateStore} must do; run against SQLite and the in-memory store. */
abstract class StateStoreContract {
    static final String ID_A = "aaaa1111" + "0".repeat(56);
    static final String ID_B = "aaaa2222" + "0".repeat(56);
    static final String ID_C = "bbbb3333" + "0".repeat(56);
    static final String IMG_1 = "1234" + "a".repeat(60);
    static final String IMG_2 = "1299" + "b".repeat(60);

    StateStore store;

    abstract StateStore open() throws Exception;

    @BeforeEach
    void openStore() throws Exception {
        store = open();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    static ContainerRecord ctr(String id, String name, long created) {
        return new ContainerRecord(id, name, created, IMG_1, "{\"id\":\"" + id + "\"}", "{\"status\":\"CONFIGURED\"}");
    }

    static ImageRecord img(String id, long created, String... names) {
        return new ImageRecord(id, List.of(names), created, "{\"size\":" + created + "}");
    }

    // ---------------------------------------------------------------- containers

    @Test
    void addedContainerIsFoundByNameIdAndUniquePrefix() {
        store.addContainer(ctr(ID_A, "web", 1));
        store.addContainer(ctr(ID_C, "db", 2));
        assertEquals(ID_A, store.lookupContainer("web").orElseThrow().id());
        assertEquals(ID_A, store.lookupContainer(ID_A).orElseThrow().id());
        assertEquals(ID_A, store.lookupContainer("aaaa1").orElseThrow().id());
        assertEquals(ID_C, store.lookupContainer("b").orElseThrow().id());
        assertEquals("db", store.container(ID_C).orElseThrow().name());
        assertEquals("{\"id\":\"" + ID_A + "\"}", store.container(ID_A).orElseThrow().configJson());
    }

    @Test
    void lookupOfUnknownOrEmptyOrNonHexIsEmpty() {
        store.addContainer(ctr(ID_A, "web", 1));
        assertEquals(Optional.empty(), store.lookupContainer("nosuch"));
        assertEquals(Optional.empty(), store.lookupContainer(""));
        assertEquals(Optional.empty(), store.lookupContainer("ccc"));
        assertEquals(Optional.empty(), store.container("aaaa1"), "container(id) takes whole IDs only");
    }

    @Test
    void prefixMatchingSeveralContainersIsAmbiguous() {
        store.addContainer(ctr(ID_A, "web", 1));
        store.addContainer(ctr(ID_B, "db", 2));
        StateException e = assertThrows(StateException.class, () -> store.lookupContainer("aaaa"));
        assertEquals(StateException.Kind.AMBIGUOUS, e.kind());
        assertTrue(e.getMessage().contains("\"aaaa\""), e.getMessage());
        assertEquals(ID_B, store.lookupContainer("aaaa2").orElseThrow().id());
    }

    @Test
    void exactNameWinsOverAnotherContainersIdPrefix() {
        store.addContainer(ctr(ID_A, "web", 1));
        store.addContainer(ctr(ID_C, "aaaa", 2)); // a name that is also a prefix of ID_A
        assertEquals(ID_C, store.lookupContainer("aaaa").orElseThrow().id());
    }

    @Test
    void nameClashIsAlreadyExistsNamingTheName() {
        store.addContainer(ctr(ID_A, "web", 1));
        StateException e = assertThrows(StateException.class, () -> store.addContainer(ctr(ID_B, "web", 2)));
        assertEquals(StateException.Kind.ALREADY_EXISTS, e.kind());
        assertTrue(e.getMessage().contains("\"web\""), e.getMessage());
        assertEquals(1, store.containers().size());
    }

    @Test
    void idClashIsAlreadyExists() {
        store.addContainer(ctr(ID_A, "web", 1));
        StateException e = assertThrows(StateException.class, () -> store.addContainer(ctr(ID_A, "other", 2)));
        assertEquals(StateException.Kind.ALREADY_EXISTS, e.kind());
        assertEquals("web", store.container(ID_A).orElseThrow().name());
    }

    @Test
    void containersAreListedOldestFirst() {
        store.addContainer(ctr(ID_C, "c", 5));
        store.addContainer(ctr(ID_A, "a", 9));
        store.addContainer(ctr(ID_B, "b", 1));
        assertEquals(List.of(ID_B, ID_C, ID_A), store.containers().stream().map(ContainerRecord::id).toList());
    }

    @Test
    void saveStateReplacesOnlyTheStateBlob() {
        store.addContainer(ctr(ID_A, "web", 1));
        assertTrue(store.saveContainerState(ID_A, "{\"status\":\"RUNNING\"}"));
        ContainerRecord r = store.container(ID_A).orElseThrow();
        assertEquals("{\"status\":\"RUNNING\"}", r.stateJson());
        assertEquals("{\"id\":\"" + ID_A + "\"}", r.configJson());
        assertEquals("web", r.name());
        assertEquals(IMG_1, r.imageId());
    }

    @Test
    void saveStateOfMissingContainerReturnsFalse() {
        assertFalse(store.saveContainerState(ID_A, "{}"));
        assertTrue(store.containers().isEmpty());
    }

    @Test
    void renameMovesTheName() {
        store.addContainer(ctr(ID_A, "web", 1));
        store.renameContainer(ID_A, "web2");
        assertEquals(Optional.empty(), store.lookupContainer("web"));
        assertEquals(ID_A, store.lookupContainer("web2").orElseThrow().id());
        store.addContainer(ctr(ID_B, "web", 2)); // the old name is free again
        assertEquals(ID_B, store.lookupContainer("web").orElseThrow().id());
    }

    @Test
    void renameToATakenNameIsAlreadyExistsAndChangesNothing() {
        store.addContainer(ctr(ID_A, "web", 1));
        store.addContainer(ctr(ID_B, "db", 2));
        StateException e = assertThrows(StateException.class, () -> store.renameContainer(ID_A, "db"));
        assertEquals(StateException.Kind.ALREADY_EXISTS, e.kind());
        assertTrue(e.getMessage().contains("\"db\""), e.getMessage());
        assertEquals("web", store.container(ID_A).orElseThrow().name());
        assertEquals("db", store.container(ID_B).orElseThrow().name());
    }

    @Test
    void renameOfMissingContainerIsNotFound() {
        StateException e = assertThrows(StateException.class, () -> store.renameContainer(ID_A, "x"));
        assertEquals(StateException.Kind.NOT_FOUND, e.kind());
    }

    @Test
    void removeDeletesOnceAndFreesTheName() {
        store.addContainer(ctr(ID_A, "web", 1));
        assertTrue(store.removeContainer(ID_A));
        assertFalse(store.removeContainer(ID_A));
        assertEquals(Optional.empty(), store.lookupContainer("web"));
        assertEquals(Optional.empty(), store.container(ID_A));
        store.addContainer(ctr(ID_B, "web", 2));
    }

    @Test
    void containersUsingImageListsOnlyItsUsers() {
        store.addContainer(ctr(ID_A, "a", 1));
        store.addContainer(new ContainerRecord(ID_B, "b", 2, IMG_2, "{}", "{}"));
        assertEquals(List.of(ID_A), store.containersUsingImage(IMG_1));
        assertEquals(List.of(ID_B), store.containersUsingImage(IMG_2));
        assertEquals(List.of(), store.containersUsingImage("ffff"));
    }

    // ---------------------------------------------------------------- images

    @Test
    void addedImageIsFoundByNameIdAndSha256Prefix() {
        store.addImage(img(IMG_1, 10, "localhost/busybox:latest"));
        assertEquals(IMG_1, store.lookupImage("localhost/busybox:latest").orElseThrow().id());
        assertEquals(IMG_1, store.lookupImage(IMG_1).orElseThrow().id());
        assertEquals(IMG_1, store.lookupImage("sha256:" + IMG_1).orElseThrow().id());
        assertEquals(IMG_1, store.lookupImage("sha256:1234").orElseThrow().id());
        assertEquals(IMG_1, store.lookupImage("12").orElseThrow().id());
        ImageRecord r = store.image(IMG_1).orElseThrow();
        assertEquals(List.of("localhost/busybox:latest"), r.names());
        assertEquals("{\"size\":10}", r.metadataJson());
        assertEquals(10, r.createdMillis());
    }

    @Test
    void imageLookupMissesAreEmpty() {
        store.addImage(img(IMG_1, 10, "localhost/busybox:latest"));
        assertEquals(Optional.empty(), store.lookupImage("busybox"));
        assertEquals(Optional.empty(), store.lookupImage("sha256:ffff"));
        assertEquals(Optional.empty(), store.lookupImage(""));
        assertEquals(Optional.empty(), store.image("1234"));
    }

    @Test
    void imagePrefixMatchingSeveralIsAmbiguous() {
        store.addImage(img(IMG_1, 10));
        store.addImage(img(IMG_2, 20));
        StateException e = assertThrows(StateException.class, () -> store.lookupImage("sha256:12"));
        assertEquals(StateException.Kind.AMBIGUOUS, e.kind());
        assertEquals(IMG_2, store.lookupImage("129").orElseThrow().id());
    }

    @Test
    void tagMovesANameFromOneImageToAnother() {
        store.addImage(img(IMG_1, 10, "localhost/app:latest", "localhost/app:v1"));
        store.addImage(img(IMG_2, 20, "localhost/other:latest"));
        store.tagImage(IMG_2, List.of("localhost/app:latest"));
        assertEquals(IMG_2, store.lookupImage("localhost/app:latest").orElseThrow().id());
        assertEquals(List.of("localhost/app:v1"), store.image(IMG_1).orElseThrow().names());
        assertEquals(List.of("localhost/other:latest", "localhost/app:latest"), store.image(IMG_2).orElseThrow().names());
    }

    @Test
    void readdingAnImageMovesItsNamesToIt() {
        store.addImage(img(IMG_1, 10, "localhost/app:latest"));
        store.addImage(img(IMG_2, 20, "localhost/app:latest"));
        assertEquals(IMG_2, store.lookupImage("localhost/app:latest").orElseThrow().id());
        assertEquals(List.of(), store.image(IMG_1).orElseThrow().names());
    }

    @Test
    void readdingTheSameImageUpdatesMetadataAndAddsNames() {
        store.addImage(img(IMG_1, 10, "localhost/a:latest"));
        store.addImage(new ImageRecord(IMG_1, List.of("localhost/b:latest"), 99, "{\"size\":1}"));
        ImageRecord r = store.image(IMG_1).orElseThrow();
        assertEquals(List.of("localhost/a:latest", "localhost/b:latest"), r.names());
        assertEquals("{\"size\":1}", r.metadataJson());
        assertEquals(1, store.images().size());
    }

    @Test
    void tagOfMissingImageIsNotFound() {
        StateException e = assertThrows(StateException.class, () -> store.tagImage(IMG_1, List.of("localhost/x:latest")));
        assertEquals(StateException.Kind.NOT_FOUND, e.kind());
        assertEquals(Optional.empty(), store.lookupImage("localhost/x:latest"));
    }

    @Test
    void untagRemovesOnlyThatName() {
        store.addImage(img(IMG_1, 10, "localhost/app:latest", "localhost/app:v1"));
        store.untagImage(IMG_1, "localhost/app:latest");
        assertEquals(Optional.empty(), store.lookupImage("localhost/app:latest"));
        assertEquals(List.of("localhost/app:v1"), store.image(IMG_1).orElseThrow().names());
    }

    @Test
    void untagOfANameTheImageDoesNotHaveIsNotFound() {
        store.addImage(img(IMG_1, 10, "localhost/app:latest"));
        store.addImage(img(IMG_2, 20, "localhost/other:latest"));
        StateException e = assertThrows(StateException.class, () -> store.untagImage(IMG_2, "localhost/app:latest"));
        assertEquals(StateException.Kind.NOT_FOUND, e.kind());
        assertEquals(IMG_1, store.lookupImage("localhost/app:latest").orElseThrow().id());
    }

    @Test
    void imagesAreListedNewestFirstWithTheirNames() {
        store.addImage(img(IMG_1, 10, "localhost/old:latest"));
        store.addImage(img(IMG_2, 20, "localhost/new:latest"));
        List<ImageRecord> all = store.images();
        assertEquals(List.of(IMG_2, IMG_1), all.stream().map(ImageRecord::id).toList());
        assertEquals(List.of("localhost/new:latest"), all.getFirst().names());
    }

    @Test
    void removeImageTakesItsNamesWithIt() {
        store.addImage(img(IMG_1, 10, "localhost/app:latest"));
        assertTrue(store.removeImage(IMG_1));
        assertFalse(store.removeImage(IMG_1));
        assertEquals(Optional.empty(), store.lookupImage("localhost/app:latest"));
        assertTrue(store.images().isEmpty());
        store.addImage(img(IMG_1, 30)); // the same image imported again, without a name
        assertEquals(List.of(), store.image(IMG_1).orElseThrow().names(), "a removed image's names must not come back");
    }

    // ---------------------------------------------------------------- meta

    @Test
    void metaIsSetOverwrittenAndReadBack() {
        assertEquals(Optional.empty(), store.meta("schema"));
        store.setMeta("schema", "1");
        store.setMeta("schema", "2");
        store.setMeta("other", "x");
        assertEquals(Optional.of("2"), store.meta("schema"));
        assertEquals(Optional.of("x"), store.meta("other"));
    }

    // ---------------------------------------------------------------- volumes

    @Test
    void volumesAreAddedListedUpdatedAndRemovedByName() {
        store.addVolume(new VolumeRecord("data", 5, "{\"driver\":\"local\"}"));
        store.addVolume(new VolumeRecord("cache", 6, "{}"));
        StateException clash = assertThrows(StateException.class, () -> store.addVolume(new VolumeRecord("data", 7, "{}")));
        assertEquals(StateException.Kind.ALREADY_EXISTS, clash.kind());
        assertEquals(List.of("cache", "data"), store.volumes().stream().map(VolumeRecord::name).toList());
        assertEquals(5, store.volume("data").orElseThrow().createdMillis());
        assertTrue(store.saveVolume("data", "{\"copyUp\":false}"));
        assertEquals("{\"copyUp\":false}", store.volume("data").orElseThrow().metadataJson());
        assertFalse(store.saveVolume("nope", "{}"));
        assertTrue(store.removeVolume("data"));
        assertFalse(store.removeVolume("data"));
        assertTrue(store.volume("data").isEmpty());
    }
}
