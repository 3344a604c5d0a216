package io.tandem.gateway.service;

import io.smallrye.mutiny.Uni;
import io.tandem.gateway.config.GatewayConfig;
import io.tandem.gateway.repository.EndedRunRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether a run ended, from the {@code ended_run} table that the {@code runs-status} consumer fills. An ended
 * run stays ended, so that answer is kept; "still going" is trusted only briefly, so that a run that ends is
 * refused within seconds on every replica (each consumes the topic into the shared table, but only the one that
 * wrote the row hears of it at once).
 */
@ApplicationScoped
public class EndedRuns {

    private static final int MAX_CACHED = 100_000;

    private final EndedRunRepository repository;
    private final long goingTtlNanos;
    private final Set<String> ended = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> goingCheckedAt = new ConcurrentHashMap<>();

    public EndedRuns(EndedRunRepository repository, GatewayConfig config) {
        this.repository = repository;
        this.goingTtlNanos = config.gateway().endedRunCacheTtl().toNanos();
    }

    /** Needs a safe Vert.x context (Hibernate Reactive) unless the answer is cached. */
    public Uni<Boolean> hasEnded(String runId) {
        if (ended.contains(runId)) {
            return Uni.createFrom().item(true);
        }
        Long checkedAt = goingCheckedAt.get(runId);
        if (checkedAt != null && System.nanoTime() - checkedAt < goingTtlNanos) {
            return Uni.createFrom().item(false);
        }
        long now = System.nanoTime();
        return repository.hasEnded(runId).invoke(hasEnded -> {
            if (hasEnded) {
                remember(runId);
            } else {
                if (goingCheckedAt.size() > MAX_CACHED) {
                    goingCheckedAt.clear();
                }
                goingCheckedAt.put(runId, now);
            }
        });
    }

    /** This replica heard the run end: refuse it from now on without asking the table. */
    public void remember(String runId) {
        goingCheckedAt.remove(runId);
        if (ended.size() > MAX_CACHED) {
            ended.clear();
        }
        ended.add(runId);
    }
}
