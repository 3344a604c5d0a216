package io.tandem.matcher.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;

/**
 * {@code tandem_invocations_total{trigger, outcome}}: what became of every trigger that matched an enabled agent.
 * Outcomes: {@code requested}, {@code queued}, {@code coalesced} (folded into a waiting run), {@code blocked}
 * (a switch or a broken definition; answered with a denial). Repeats of a handled trigger are not counted. Both
 * labels come from closed sets, so the series stay few.
 */
@ApplicationScoped
public class TriggerMetrics {

    static final String BLOCKED = "blocked";

    private final MeterRegistry registry;

    public TriggerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void decided(String trigger, RunScheduler.Outcome outcome) {
        if (outcome != RunScheduler.Outcome.NOTHING) {
            count(trigger, outcome.name().toLowerCase(Locale.ROOT));
        }
    }

    public void blocked(String trigger) {
        count(trigger, BLOCKED);
    }

    private void count(String trigger, String outcome) {
        Counter.builder("tandem.invocations")
                .description("Triggers that matched an enabled agent, by trigger and what became of them")
                .tag("trigger", trigger)
                .tag("outcome", outcome)
                .register(registry)
                .increment();
    }
}
