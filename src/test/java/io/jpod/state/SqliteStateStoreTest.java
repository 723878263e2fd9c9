package io.jpod.state;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SqliteStateStoreTest extends StateStoreContract {
    @TempDir
    Path dir;

    @Override
    StateStore open() {
        return SqliteStateStore.open(dir.resolve("db").resolve("jpod.db"));
    }

    @Test
    void dataSurvivesReopening() {
        store.addContainer(ctr(ID_A, "web", 1));
        store.addImage(img(IMG_1, 10, "localhost/app:latest"));
        store.setMeta("k", "v");
        store.close();
        store = open();
        assertEquals("web", store.container(ID_A).orElseThrow().name());
        assertEquals(IMG_1, store.lookupImage("localhost/app:latest").orElseThrow().id());
        assertEquals(Optional.of("v"), store.meta("k"));
    }

    @Test
    void fourStoresOnOneFileWriteConcurrentlyWithoutErrors() throws Exception {
        store.close();
        int threads = 4, rounds = 100;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    try (StateStore s = open()) {
                        go.await();
                        int done = 0;
                        for (int i = 0; i < rounds; i++) {
                            String id = String.format("%02x%062x", thread, i);
                            s.addContainer(new ContainerRecord(id, "t" + thread + "-" + i, i, IMG_1, "{}", "{}"));
                            assertTrue(s.saveContainerState(id, "{\"status\":\"RUNNING\"}"));
                            assertTrue(s.removeContainer(id));
                            done++;
                        }
                        return done;
                    }
                }));
            }
            go.countDown();
            for (Future<Integer> f : results) assertEquals(rounds, f.get(60, TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }
        store = open();
        assertEquals(0, store.containers().size());
    }
}
