package io.tandem.publisher.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tandem.events.Invocation;
import io.tandem.events.RunState;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code tandem_notes_written_total{state}} and {@code tandem_webhook_to_note_seconds}, the histogram of the
 * time from the triggering webhook to the run's first note in the thread (its acknowledgement), with buckets at
 * the SLOs (docs/observability.md).
 */
@ApplicationScoped
public class NoteMetrics {

    private final Map<RunState, Counter> written = new EnumMap<>(RunState.class);
    private final Timer webhookToNote;

    public NoteMetrics(MeterRegistry registry) {
        for (RunState state : RunState.values()) {
            written.put(state, Counter.builder("tandem.notes.written")
                    .description("Progress notes written to GitLab (created or edited), by the state they show")
                    .tag("state", state.name().toLowerCase(Locale.ROOT))
                    .register(registry));
        }
        webhookToNote = Timer.builder("tandem.webhook.to.note")
                .description("From the webhook that triggered a run to the run's first note in the thread")
                .serviceLevelObjectives(Duration.ofMillis(100), Duration.ofMillis(300), Duration.ofSeconds(1),
                        Duration.ofSeconds(5))
                .publishPercentileHistogram()
                .register(registry);
    }

    /**
     * When webhook-ingest accepted the webhook that triggered the run; for a record written before invocations
     * carried it, the time of the record that brought the news ({@code InvocationRequested.occurredAt()} for the
     * usual first note).
     */
    public static Instant triggeredAt(Invocation invocation, Instant recordOccurredAt) {
        return invocation != null && invocation.triggeredAt() != null ? invocation.triggeredAt() : recordOccurredAt;
    }

    public void noteWritten(RunState state) {
        written.get(state).increment();
    }

    /** A null {@code triggeredAt} (a note the watchdog writes, say) is not timed. */
    public void acknowledged(Instant triggeredAt) {
        if (triggeredAt != null) {
            Duration latency = Duration.between(triggeredAt, Instant.now());
            webhookToNote.record(latency.isNegative() ? Duration.ZERO : latency);
        }
    }
}
