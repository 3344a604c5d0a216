package io.tandem.publisher.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.tandem.events.Invocation;
import io.tandem.events.RunState;
import io.tandem.publisher.config.TandemConfig;
import io.tandem.publisher.messaging.AuditPublisher;
import io.tandem.publisher.repository.ProgressNote;
import io.tandem.publisher.repository.ProgressNoteRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Finishes the notes of runs nobody reports on any more (a launcher that lost the run, a pipeline event that
 * never came): a user must never be left with a note that says "working" forever. The note moves to TIMED_OUT
 * through the same locked, forward-only path as every record, so a real update racing the watchdog wins or
 * loses cleanly.
 */
@ApplicationScoped
public class StaleRunWatchdog {

    private static final Logger LOG = Logger.getLogger(StaleRunWatchdog.class);
    private static final int BATCH = 100;
    private static final List<RunState> ACTIVE = Arrays.stream(RunState.values()).filter(s -> !s.terminal()).toList();

    private final ProgressNoteRepository repository;
    private final ProgressNotes progressNotes;
    private final InvocationJson invocationJson;
    private final PublisherAuditEvents auditEvents;
    private final AuditPublisher audit;
    private final TandemConfig config;

    public StaleRunWatchdog(ProgressNoteRepository repository, ProgressNotes progressNotes,
            InvocationJson invocationJson, PublisherAuditEvents auditEvents, AuditPublisher audit,
            TandemConfig config) {
        this.repository = repository;
        this.progressNotes = progressNotes;
        this.invocationJson = invocationJson;
        this.auditEvents = auditEvents;
        this.audit = audit;
        this.config = config;
    }

    @Scheduled(identity = "stale-run-watchdog", every = "${tandem.publisher.watchdog.interval}",
            concurrentExecution = ConcurrentExecution.SKIP)
    Uni<Void> onSchedule() {
        return finishStaleRuns().replaceWithVoid();
    }

    /** Answers how many notes it finished. */
    public Uni<Integer> finishStaleRuns() {
        Duration staleAfter = config.publisher().watchdog().staleAfter();
        Instant cutoff = Instant.now().minus(staleAfter);
        return Panache.withSession(() -> repository.stale(cutoff, ACTIVE, BATCH))
                .onItem().transformToMulti(rows -> Multi.createFrom().iterable(rows))
                .onItem().transformToUniAndConcatenate(row -> finish(row, staleAfter))
                .collect().asList()
                .map(finished -> (int) finished.stream().filter(Boolean::booleanValue).count());
    }

    private Uni<Boolean> finish(ProgressNote row, Duration staleAfter) {
        Invocation invocation = invocationJson.read(row.invocation);
        RunState before = row.state;
        String explanation = "Tandem heard nothing about this run for " + describe(staleAfter)
                + " (it was " + CommandReplyText.describe(before) + ") and stopped waiting.";
        return progressNotes.applyAndReport(new NoteUpdate(invocation, RunState.TIMED_OUT, explanation, null, null))
                .chain(after -> after == RunState.TIMED_OUT
                        ? audit.publish(auditEvents.watchdogTimedOut(invocation, before, staleAfter))
                                .replaceWith(true)
                        : Uni.createFrom().item(false))
                .onFailure().recoverWithItem(e -> {
                    // one run that cannot be written must not keep the others from being finished
                    LOG.warnf("watchdog: run %s not finished yet (%s)", row.invocationId, e.getMessage());
                    return false;
                });
    }

    static String describe(Duration duration) {
        if (duration.toMinutes() > 0 && duration.toMinutes() % 60 == 0) {
            long hours = duration.toHours();
            return hours + (hours == 1 ? " hour" : " hours");
        }
        if (duration.toSeconds() >= 60 && duration.toSeconds() % 60 == 0) {
            long minutes = duration.toMinutes();
            return minutes + (minutes == 1 ? " minute" : " minutes");
        }
        return duration.toSeconds() + " seconds";
    }
}
