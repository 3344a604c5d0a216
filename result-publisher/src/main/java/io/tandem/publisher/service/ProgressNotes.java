package io.tandem.publisher.service;

import io.smallrye.mutiny.Uni;
import io.tandem.events.Invocation;
import io.tandem.events.RunState;
import io.tandem.events.ThreadRef;
import io.tandem.publisher.client.GitlabWriteException;
import io.tandem.publisher.client.NoteThread;
import io.tandem.publisher.client.ServiceAccountTokens;
import io.tandem.publisher.messaging.AuditPublisher;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Applies one record's news to the run's progress note, retrying a few times (GitLab or identity-service may be
 * briefly away) before the failure goes back to the consumer and the record to its dead-letter topic, and then
 * audits the note it wrote.
 */
@ApplicationScoped
public class ProgressNotes {

    private static final Logger LOG = Logger.getLogger(ProgressNotes.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    private static final int RETRIES = 4;

    private final ProgressNoteWriter writer;
    private final ServiceAccountTokens tokens;
    private final PublisherAuditEvents auditEvents;
    private final AuditPublisher audit;
    private final NoteMetrics metrics;

    public ProgressNotes(ProgressNoteWriter writer, ServiceAccountTokens tokens, PublisherAuditEvents auditEvents,
            AuditPublisher audit, NoteMetrics metrics) {
        this.writer = writer;
        this.tokens = tokens;
        this.auditEvents = auditEvents;
        this.audit = audit;
        this.metrics = metrics;
    }

    public Uni<Void> apply(NoteUpdate update) {
        return applyAndReport(update).replaceWithVoid();
    }

    /** The note's state afterwards; null when the thread cannot take notes. */
    public Uni<RunState> applyAndReport(NoteUpdate update) {
        Invocation invocation = update.invocation();
        ThreadRef thread = invocation.thread();
        if (!NoteThread.supports(thread)) {
            LOG.warnf("run %s: cannot write progress notes on %s threads yet", invocation.invocationId(),
                    thread.noteableType());
            return audit.publish(auditEvents.noteUnsupported(invocation, update.state())).replaceWith((RunState) null);
        }
        // A retry is resubscribed from a timer thread; the transaction must start on the consumer's context.
        Context context = Vertx.currentContext();
        return Uni.createFrom().deferred(() -> writer.advance(update))
                .runSubscriptionOn(task -> onContext(context, task))
                .onFailure(ProgressNotes::unauthorized).invoke(() -> tokens.invalidate(invocation.serviceAccount().id()))
                .onFailure().invoke(e -> LOG.warnf("run %s: progress note not written yet (%s)",
                        invocation.invocationId(), e.getMessage()))
                .onFailure().retry().withBackOff(FIRST_BACKOFF, MAX_BACKOFF).atMost(RETRIES)
                .invoke(outcome -> {
                    if (outcome.written()) {
                        metrics.noteWritten(outcome.state());
                    }
                    if (outcome.first()) {
                        metrics.acknowledged(update.triggeredAt());
                    }
                })
                .call(outcome -> outcome.mergeRequest() == null
                        ? Uni.createFrom().voidItem()
                        : audit.publish(outcome.mergeRequest().isOpened()
                                ? auditEvents.mergeRequestOpened(invocation, outcome.mergeRequest())
                                : auditEvents.mergeRequestNotOpened(invocation, outcome.mergeRequest())))
                .chain(outcome -> {
                    // The same state again means a redelivery; its audit event has the same id and is stored once.
                    if (outcome.written() || outcome.state() == update.state()) {
                        return audit.publish(auditEvents.noteWritten(invocation, outcome.state(), outcome.noteId()))
                                .replaceWith(outcome.state());
                    }
                    LOG.debugf("run %s: note stays %s, ignoring %s", invocation.invocationId(), outcome.state(),
                            update.state());
                    return Uni.createFrom().item(outcome.state());
                });
    }

    static void onContext(Context context, Runnable task) {
        if (context == null || Vertx.currentContext() == context) {
            task.run();
        } else {
            context.runOnContext(ignored -> task.run());
        }
    }

    private static boolean unauthorized(Throwable failure) {
        return failure instanceof GitlabWriteException e && e.unauthorized();
    }
}
