package io.tandem.publisher.service;

import io.smallrye.mutiny.Uni;
import io.tandem.events.Invocation;
import io.tandem.events.RunState;
import io.tandem.events.RunStatusChanged;
import io.tandem.publisher.client.GitlabWriteException;
import io.tandem.publisher.client.NoteThread;
import io.tandem.publisher.client.ServiceAccountTokens;
import io.tandem.publisher.messaging.AuditPublisher;
import io.vertx.core.Context;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * When a run ends and its definition names a result file, posts the file its agent job kept in the thread, as the
 * service account, retrying a few times (GitLab or identity-service may be briefly away) before the failure goes
 * back to the consumer and the record to its dead-letter topic; then audits {@code result.posted}.
 */
@ApplicationScoped
public class ResultFiles {

    private static final Logger LOG = Logger.getLogger(ResultFiles.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    private static final int RETRIES = 4;

    private final ResultFilePoster poster;
    private final ServiceAccountTokens tokens;
    private final Vertx vertx;
    private final PublisherAuditEvents auditEvents;
    private final AuditPublisher audit;

    public ResultFiles(ResultFilePoster poster, ServiceAccountTokens tokens, Vertx vertx,
            PublisherAuditEvents auditEvents, AuditPublisher audit) {
        this.poster = poster;
        this.tokens = tokens;
        this.vertx = vertx;
        this.auditEvents = auditEvents;
        this.audit = audit;
    }

    /** Whether this record is the end of a run that may have left a result file. */
    public static boolean expects(RunStatusChanged record) {
        Invocation invocation = record.invocation();
        return (record.state() == RunState.SUCCEEDED || record.state() == RunState.FAILED)
                && record.pipelineId() != null
                && invocation.definition() != null && invocation.definition().resultFile() != null
                && invocation.projectId() != null && invocation.serviceAccount() != null
                && NoteThread.supports(invocation.thread());
    }

    public Uni<Void> publish(RunStatusChanged record) {
        if (!expects(record)) {
            return Uni.createFrom().voidItem();
        }
        Invocation invocation = record.invocation();
        long serviceAccountId = invocation.serviceAccount().id();
        // A retry is resubscribed from a timer thread; the record's work stays on the consumer's context.
        Context context = io.vertx.core.Vertx.currentContext();
        return Uni.createFrom().deferred(() -> tokens.tokenFor(serviceAccountId)
                        .chain(token -> vertx.executeBlocking(() -> poster.post(token, invocation,
                                record.pipelineId()))))
                .runSubscriptionOn(task -> ProgressNotes.onContext(context, task))
                .onFailure(ResultFiles::unauthorized).invoke(() -> tokens.invalidate(serviceAccountId))
                .onFailure().invoke(e -> LOG.warnf("run %s: result file not posted yet (%s)",
                        invocation.invocationId(), e.getMessage()))
                .onFailure().retry().withBackOff(FIRST_BACKOFF, MAX_BACKOFF).atMost(RETRIES)
                .chain(posted -> audited(invocation, record.state(), posted));
    }

    private Uni<Void> audited(Invocation invocation, RunState state, Optional<PostedResult> posted) {
        if (posted.isEmpty()) {
            LOG.debugf("run %s: no result file %s", invocation.invocationId(),
                    invocation.definition().resultFile());
            return Uni.createFrom().voidItem();
        }
        PostedResult result = posted.get();
        LOG.infof("run %s: result file %s %s as note %d%s", invocation.invocationId(), result.resultFile(),
                result.foundAgain() ? "already posted" : "posted", result.noteId(), result.cut() ? " (cut)" : "");
        // A repeat finds the note posted before; its audit event has the same id and is stored once.
        return audit.publish(auditEvents.resultPosted(invocation, state, result));
    }

    private static boolean unauthorized(Throwable failure) {
        return failure instanceof GitlabWriteException e && e.unauthorized();
    }
}
