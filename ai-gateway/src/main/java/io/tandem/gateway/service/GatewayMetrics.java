package io.tandem.gateway.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * {@code tandem_ai_gateway_requests_total{provider,outcome}}, {@code tandem_ai_gateway_tokens_total{provider,direction}}
 * and {@code tandem_ai_gateway_time_to_first_byte_seconds{provider}}: from the request's arrival to the
 * provider's first body byte going out, the gateway's checks included.
 */
@ApplicationScoped
public class GatewayMetrics {

    private final MeterRegistry registry;

    public GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** @param outcome {@code ok}, {@code upstream_error}, {@code unreachable} or the refusal's kind */
    public void request(Provider provider, String outcome) {
        Counter.builder("tandem.ai.gateway.requests").description("Requests at the gateway's front doors")
                .tag("provider", provider.id()).tag("outcome", outcome).register(registry).increment();
    }

    public void tokens(Provider provider, long input, long output) {
        Counter.builder("tandem.ai.gateway.tokens").description("Model tokens the providers reported")
                .tag("provider", provider.id()).tag("direction", "input").register(registry).increment(input);
        Counter.builder("tandem.ai.gateway.tokens").description("Model tokens the providers reported")
                .tag("provider", provider.id()).tag("direction", "output").register(registry).increment(output);
    }

    public void firstByte(Provider provider, long nanos) {
        Timer.builder("tandem.ai.gateway.time.to.first.byte")
                .description("From a request's arrival to the provider's first body byte sent on")
                .tag("provider", provider.id())
                .serviceLevelObjectives(Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(2),
                        Duration.ofSeconds(10))
                .publishPercentileHistogram().register(registry).record(Duration.ofNanos(nanos));
    }
}
