package io.tandem.ingest.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code tandem_webhooks_accepted_total{kind}} and {@code tandem_webhooks_rejected_total{reason}}. Rejection
 * reasons are a closed set, registered up front so that dashboards see them at zero.
 */
@ApplicationScoped
public class WebhookMetrics {

    public enum Rejection {
        UNAUTHORIZED("unauthorized"),
        TOO_LARGE("too_large"),
        MALFORMED("malformed"),
        IGNORED("ignored"),
        /** The broker did not acknowledge in time: GitLab got a 503 and will retry. */
        UNAVAILABLE("unavailable");

        private final String label;

        Rejection(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private final MeterRegistry registry;
    private final Map<Rejection, Counter> rejected = new ConcurrentHashMap<>();
    private final Map<String, Counter> accepted = new ConcurrentHashMap<>();

    public WebhookMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (Rejection reason : Rejection.values()) {
            rejected.put(reason, Counter.builder("tandem.webhooks.rejected")
                    .description("GitLab webhooks answered without publishing a record, by reason")
                    .tag("reason", reason.label())
                    .register(registry));
        }
    }

    public void rejected(Rejection reason) {
        rejected.get(reason).increment();
    }

    /** {@code kind} comes from the normaliser's closed set of kinds, so the label's cardinality stays small. */
    public void accepted(String kind) {
        accepted.computeIfAbsent(kind, k -> Counter.builder("tandem.webhooks.accepted")
                .description("GitLab webhooks published to Kafka, by GitLab object_kind")
                .tag("kind", k)
                .register(registry)).increment();
    }
}
