package io.tandem.publisher.messaging;

import io.smallrye.mutiny.Uni;
import io.tandem.events.ThreadCommand;
import io.tandem.publisher.service.CommandReplies;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/** Answers {@code stop}, {@code retry} and {@code status} in the thread they were given in. */
@ApplicationScoped
public class ThreadCommandConsumer {

    private static final Logger LOG = Logger.getLogger(ThreadCommandConsumer.class);
    private static final Set<String> VERBS = Set.of(ThreadCommand.STOP, ThreadCommand.RETRY, ThreadCommand.STATUS);

    private final CommandReplies replies;
    private final ShutdownGuard shutdown;

    public ThreadCommandConsumer(CommandReplies replies, ShutdownGuard shutdown) {
        this.replies = replies;
        this.shutdown = shutdown;
    }

    @Incoming("thread-commands")
    public Uni<Void> command(ThreadCommand command) {
        RunMdc.tag(command.invocationId());
        if (!VERBS.contains(command.verb())) {
            // a verb from a newer trigger-matcher: nothing to say yet, and nothing to retry
            LOG.warnf("command %s: unknown verb %s ignored", command.eventId(), command.verb());
            return Uni.createFrom().voidItem();
        }
        return shutdown.guard(() -> replies.answer(command));
    }
}
