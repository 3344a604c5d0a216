package io.tandem.gateway.service;

import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A small table's content kept in memory and read again once older than its time to live, so that a request
 * costs no query while a change made through another replica still applies within that time. The replica that
 * made a change calls {@link #invalidate()} and sees it at once.
 */
final class CachedSnapshot<T> {

    private record Loaded<T>(T value, long loadedAt, long generation) {
    }

    private final Supplier<Uni<T>> loader;
    private final long ttlNanos;
    private final AtomicLong generation = new AtomicLong();
    private volatile Loaded<T> loaded;

    CachedSnapshot(Duration ttl, Supplier<Uni<T>> loader) {
        this.ttlNanos = ttl.toNanos();
        this.loader = loader;
    }

    /** Needs a safe Vert.x context when the copy is stale (the loader reads the table). */
    Uni<T> get() {
        Loaded<T> current = loaded;
        if (current != null && current.generation() == generation.get()
                && System.nanoTime() - current.loadedAt() < ttlNanos) {
            return Uni.createFrom().item(current.value());
        }
        long startedGeneration = generation.get();
        long startedAt = System.nanoTime();
        return loader.get().invoke(value -> {
            // A load that began before an invalidation must not pass off the old content as fresh.
            if (generation.get() == startedGeneration) {
                loaded = new Loaded<>(value, startedAt, startedGeneration);
            }
        });
    }

    void invalidate() {
        generation.incrementAndGet();
    }
}
