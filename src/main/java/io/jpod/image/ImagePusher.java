package io.jpod.image;

import io.jpod.image.registry.RegistryClient;

import java.io.IOException;
import java.util.function.Function;

/**
 * Pushes a local image: each blob the registry lacks is mounted from another repository of the same registry that
 * this image came from, or uploaded from the blob store; then the manifest, exactly as stored, so the pushed
 * digest is the local one.
 */
public final class ImagePusher {
    private final ImageStore store;
    private final Function<String, RegistryClient> clients;

    public ImagePusher(ImageStore store, Function<String, RegistryClient> clients) {
        this.store = store;
        this.clients = clients;
    }

    /** Returns the manifest digest as the registry now holds it. */
    public Digest push(Image image, ImageRef dest, Progress progress) throws IOException {
        if (dest.isShortName()) {
            throw new IllegalArgumentException("cannot push to " + dest.path() + ": the destination needs a registry,"
                    + " e.g. jpod push " + dest.path() + " 127.0.0.1:5000/" + dest.path());
        }
        byte[] manifest = store.manifestBytes(image);
        Manifest m = Manifest.parse(manifest, image.manifestType());
        RegistryClient c = clients.apply(dest.domain());
        String repo = dest.path();
        String mountFrom = image.names().stream()
                .filter(n -> n.startsWith(dest.domain() + "/"))
                .map(n -> ImageRef.repository(n).substring(dest.domain().length() + 1))
                .filter(r -> !r.equals(repo)).findFirst().orElse(null);
        progress.line("Getting image source signatures");
        for (Descriptor d : m.layers()) {
            if (c.blobExists(repo, d.digest())) {
                progress.line("Copying blob " + d.digest() + " skipped: already exists");
                continue;
            }
            progress.line("Copying blob " + d.digest());
            if (mountFrom != null && c.mount(repo, d.digest(), mountFrom)) continue;
            if (!store.blobs().has(d.digest())) {
                throw new IOException("layer blob " + d.digest() + " of image " + image.id().substring(0, 12)
                        + " is missing from the store: pull the image again before pushing it");
            }
            c.upload(repo, d.digest(), store.blobs().size(d.digest()), () -> store.blobs().open(d.digest()));
        }
        Descriptor cd = m.config();
        progress.line("Copying config " + cd.digest());
        if (!c.blobExists(repo, cd.digest())) {
            c.upload(repo, cd.digest(), store.blobs().size(cd.digest()), () -> store.blobs().open(cd.digest()));
        }
        progress.line("Writing manifest to image destination");
        Digest pushed = c.putManifest(repo, dest.digest() != null ? dest.digest() : dest.tag(), manifest, m.mediaType());
        progress.line("Storing signatures");
        return pushed;
    }
}
