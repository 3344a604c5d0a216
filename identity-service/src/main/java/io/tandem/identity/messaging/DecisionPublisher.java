package io.tandem.identity.messaging;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.tandem.events.Invocation;
import io.tandem.events.InvocationAuthorized;
import io.tandem.events.InvocationDenied;
import io.tandem.identity.repository.InvocationDecisionEntity;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Publishes a stored decision as {@link InvocationAuthorized} or {@link InvocationDenied}. Everything in the
 * record comes from the stored row, so a repeat publishes the same record with the same eventId.
 */
@ApplicationScoped
public class DecisionPublisher {

    private final MutinyEmitter<InvocationAuthorized> authorized;
    private final MutinyEmitter<InvocationDenied> denied;

    public DecisionPublisher(@Channel("invocations-authorized") MutinyEmitter<InvocationAuthorized> authorized,
            @Channel("invocations-denied") MutinyEmitter<InvocationDenied> denied) {
        this.authorized = authorized;
        this.denied = denied;
    }

    public Uni<Void> publish(InvocationDecisionEntity decision, Invocation invocation) {
        if (decision.allowed) {
            return authorized.sendMessage(keyed(new InvocationAuthorized(decision.eventId, decision.decidedAt,
                    InvocationAuthorized.VERSION, decision.threadKey, invocation, decision.requesterAccessLevel,
                    decision.serviceAccountAccessLevel, decision.effectiveAccessLevel), decision.threadKey));
        }
        return denied.sendMessage(keyed(new InvocationDenied(decision.eventId, decision.decidedAt,
                InvocationDenied.VERSION, decision.threadKey, invocation, decision.requesterAccessLevel,
                decision.serviceAccountAccessLevel, decision.reason), decision.threadKey));
    }

    private static <T> Message<T> keyed(T record, String key) {
        return Message.of(record).addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(key).build());
    }
}
