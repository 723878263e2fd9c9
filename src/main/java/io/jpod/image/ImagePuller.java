package io.jpod.image;

import io.jpod.image.registry.RegistryClient;
import io.jpod.image.registry.RegistryException;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Pulls images: resolves the name, fetches the manifest (choosing the platform's entry from an index), the config,
 * and the layers in parallel, each streamed once into the blob store and unpacked on the way, digests checked.
 * A layer already stored is not fetched again. Nothing is registered until everything is verified.
 */
public final class ImagePuller {
    private static final int PARALLEL_LAYERS = 3;
    private final ImageStore store;
    private final Function<String, RegistryClient> clients;
    private final Supplier<Instant> clock;

    /** {@code clients} gives the client for a registry host (one per pull, so tokens are reused). */
    public ImagePuller(ImageStore store, Function<String, RegistryClient> clients, Supplier<Instant> clock) {
        this.store = store;
        this.clients = clients;
        this.clock = clock;
    }

    /**
     * Pulls the first candidate that exists. Errors name every registry tried; NOT_FOUND everywhere is reported as
     * such, other failures (auth, TLS, unreachable) are reported from the first candidate that hit them.
     */
    public Image pull(List<ImageRef> candidates, Platform platform, Progress progress) throws IOException {
        List<String> errors = new ArrayList<>();
        RegistryException first = null;
        for (ImageRef ref : candidates) {
            progress.line("Trying to pull " + display(ref) + "...");
            try {
                return pullOne(ref, platform, progress);
            } catch (RegistryException e) {
                errors.add(display(ref) + ": " + e.getMessage());
                if (first == null || first.kind() == RegistryException.Kind.NOT_FOUND) first = e;
                if (candidates.size() == 1) throw e;
            }
        }
        throw new RegistryException(first == null ? RegistryException.Kind.NOT_FOUND : first.kind(),
                "pulling " + candidates.size() + " candidates failed: " + String.join("; ", errors));
    }

    /** Every tag of the repository. */
    public List<Image> pullAllTags(ImageRef repo, Platform platform, Progress progress) throws IOException {
        RegistryClient c = clients.apply(repo.domain());
        List<Image> out = new ArrayList<>();
        for (String tag : c.tags(repo.path())) {
            ImageRef r = new ImageRef(repo.domain(), repo.path(), tag, null);
            progress.line("Trying to pull " + display(r) + "...");
            out.add(pullOne(r, platform, progress, c));
        }
        return out;
    }

    static String display(ImageRef r) {
        return r.domain() + "/" + r.path() + (r.digest() != null ? "@" + r.digest() : ":" + r.tag());
    }

    private Image pullOne(ImageRef ref, Platform platform, Progress progress) throws IOException {
        return pullOne(ref, platform, progress, clients.apply(ref.domain()));
    }

    private Image pullOne(ImageRef ref, Platform platform, Progress progress, RegistryClient client) throws IOException {
        String repo = ref.path();
        String reference = ref.digest() != null ? ref.digest() : ref.tag();
        io.jpod.sys.Trace.mark("pull: start");
        RegistryClient.Fetched f = client.manifest(repo, reference);
        io.jpod.sys.Trace.mark("pull: manifest");
        Manifest m = parse(f, ref);
        if (m.isIndex()) {
            Descriptor d;
            try {
                d = m.select(platform);
            } catch (IllegalArgumentException e) {
                throw new RegistryException(RegistryException.Kind.PROTOCOL, "choosing an image from the index of "
                        + display(ref) + ": " + e.getMessage());
            }
            f = client.manifest(repo, d.digest().toString());
            m = parse(f, ref);
            if (m.isIndex()) throw new RegistryException(RegistryException.Kind.PROTOCOL, display(ref) + ": an index inside an index is not supported");
        }
        progress.line("Getting image source signatures");
        Descriptor cd = m.config();
        byte[] config;
        try (InputStream in = client.blob(repo, cd.digest())) {
            config = in.readNBytes((int) Math.min(cd.size() + 1, 64L << 20));
        }
        if (config.length != cd.size() || !Digest.of(config).equals(cd.digest())) {
            throw new RegistryException(RegistryException.Kind.PROTOCOL, "the config blob " + cd.digest() + " of "
                    + display(ref) + " does not match its digest or size: it was discarded");
        }
        List<String> diffIds = ImageStore.diffIds(io.jpod.json.Json.parseObject(new String(config, java.nio.charset.StandardCharsets.UTF_8)));
        if (diffIds.size() != m.layers().size()) {
            throw new RegistryException(RegistryException.Kind.PROTOCOL, display(ref) + ": the manifest has "
                    + m.layers().size() + " layers but the config lists " + diffIds.size());
        }
        io.jpod.sys.Trace.mark("pull: config");
        List<ImageStore.StoredLayer> layers = fetchLayers(client, repo, m.layers(), diffIds, progress);
        io.jpod.sys.Trace.mark("pull: layers");
        progress.line("Copying config " + cd.digest());
        progress.line("Writing manifest to image destination");
        progress.line("Storing signatures");
        String name = ref.digest() != null ? ref.domain() + "/" + ref.path() + "@" + f.digest() : display(ref);
        return store.register(config, f.bytes(), m.mediaType(), layers, List.of(name), clock.get());
    }

    private static Manifest parse(RegistryClient.Fetched f, ImageRef ref) throws RegistryException {
        try {
            return Manifest.parse(f.bytes(), f.mediaType());
        } catch (IllegalArgumentException e) {
            throw new RegistryException(RegistryException.Kind.PROTOCOL, display(ref) + ": " + e.getMessage());
        }
    }

    private List<ImageStore.StoredLayer> fetchLayers(RegistryClient client, String repo, List<Descriptor> descs,
                                                     List<String> diffIds, Progress progress) throws IOException {
        List<ImageStore.StoredLayer> out = new ArrayList<>();
        // Platform threads, not virtual: virtual threads park socket reads on the JDK's poller, a thread that sits in
        // epoll_wait, and the JVM then waits 300 ms at exit for it to leave native code (measured on every pull).
        try (ExecutorService pool = Executors.newFixedThreadPool(Math.min(PARALLEL_LAYERS, Math.max(1, descs.size())),
                Thread.ofPlatform().daemon().name("layer-", 0).factory())) {
            List<Future<ImageStore.StoredLayer>> futures = new ArrayList<>();
            for (int i = 0; i < descs.size(); i++) {
                Descriptor d = descs.get(i);
                String diffId = diffIds.get(i);
                futures.add(pool.submit(() -> fetchLayer(client, repo, d, diffId, progress)));
            }
            for (Future<ImageStore.StoredLayer> fu : futures) {
                try {
                    out.add(fu.get());
                } catch (ExecutionException e) {
                    futures.forEach(x -> x.cancel(true));
                    if (e.getCause() instanceof IOException io) throw io;
                    if (e.getCause() instanceof RuntimeException re) throw re;
                    throw new IOException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("pull interrupted");
                }
            }
        }
        return out;
    }

    private ImageStore.StoredLayer fetchLayer(RegistryClient client, String repo, Descriptor d, String diffId,
                                              Progress progress) throws IOException {
        boolean unpacked = store.hasLayer(diffId);
        if (unpacked && store.blobs().has(d.digest())) {
            progress.line("Copying blob " + d.digest() + " skipped: already exists");
            return new ImageStore.StoredLayer(new Descriptor(d.mediaType(), d.digest(), d.size(), null, null), diffId, -1);
        }
        Progress.Bar bar = progress.bar("Copying blob " + d.digest(), d.size());
        IOException last = null;
        for (int attempt = 1; attempt <= 3; attempt++) {
            long[] seen = {0};
            try (InputStream in = new Sized(client.blob(repo, d.digest()), d.size())) {
                ImageStore.StoredLayer s = unpacked ? store.storeArchiveOnly(in, d, diffId, n -> { seen[0] += n; bar.advance(n); })
                        : store.storeLayer(in, d, diffId, n -> { seen[0] += n; bar.advance(n); });
                bar.done("done");
                return s;
            } catch (RegistryException | BlobStore.ContentMismatchException | LayerUnpacker.InvalidLayerException e) {
                bar.done("failed");
                throw e;
            } catch (IOException e) {
                last = e; // the connection broke mid-blob: fetch it again from the start
                bar.advance(-seen[0]);
            }
        }
        bar.done("failed");
        throw new RegistryException(RegistryException.Kind.UNREACHABLE, "fetching blob " + d.digest()
                + " failed three times: " + Optional.ofNullable(last.getMessage()).orElse(last.toString()), last);
    }

    /**
     * A blob body that must be {@code size} bytes: an early end is the connection's fault (retried), not a corrupt
     * layer, so it is reported as a plain I/O error before the decompressor can call it a truncated stream.
     */
    private static final class Sized extends PassThroughInputStream {
        private final long size;
        private long seen;

        Sized(InputStream in, long size) {
            super(in);
            this.size = size;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n < 0 && seen < size) {
                throw new IOException("the connection closed after " + seen + " of " + size + " bytes");
            }
            if (n > 0) seen += n;
            return n;
        }
    }
}
