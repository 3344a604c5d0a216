package io.tandem.publisher.service;

import io.smallrye.mutiny.Uni;
import io.tandem.events.ThreadCommand;
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
 * Answers thread commands in their thread (in the commanding comment's discussion, if it has one) as the agent's
 * service account: {@code status} with the run's state and links, {@code stop} and {@code retry} with a short
 * acknowledgement (pipeline-launcher and trigger-matcher do the work), and a command trigger-matcher refused with
 * its reason. Retried like progress notes, then the record goes to its dead-letter topic.
 */
@ApplicationScoped
public class CommandReplies {

    private static final Logger LOG = Logger.getLogger(CommandReplies.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    private static final int RETRIES = 4;

    private final CommandReplyWriter writer;
    private final ServiceAccountTokens tokens;
    private final PublisherAuditEvents auditEvents;
    private final AuditPublisher audit;

    public CommandReplies(CommandReplyWriter writer, ServiceAccountTokens tokens, PublisherAuditEvents auditEvents,
            AuditPublisher audit) {
        this.writer = writer;
        this.tokens = tokens;
        this.auditEvents = auditEvents;
        this.audit = audit;
    }

    public Uni<Void> answer(ThreadCommand command) {
        ThreadRef thread = command.thread();
        if (!NoteThread.supports(thread)) {
            LOG.warnf("command %s: cannot answer in %s threads yet", command.eventId(), thread.noteableType());
            return audit.publish(auditEvents.commandUnsupported(command));
        }
        Context context = Vertx.currentContext();
        return Uni.createFrom().deferred(() -> writer.answer(command))
                .runSubscriptionOn(task -> ProgressNotes.onContext(context, task))
                .onFailure(e -> e instanceof GitlabWriteException g && g.unauthorized())
                .invoke(() -> tokens.invalidate(command.serviceAccount().id()))
                .onFailure().invoke(e -> LOG.warnf("command %s: answer not written yet (%s)", command.eventId(),
                        e.getMessage()))
                .onFailure().retry().withBackOff(FIRST_BACKOFF, MAX_BACKOFF).atMost(RETRIES)
                // a redelivery repeats the audit event's id, so it is stored once
                .chain(outcome -> audit.publish(command.refused()
                        ? auditEvents.commandRefusalAnswered(command, outcome)
                        : auditEvents.commandAnswered(command, outcome)));
    }
}
