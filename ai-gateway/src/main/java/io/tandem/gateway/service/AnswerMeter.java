package io.tandem.gateway.service;

import io.tandem.gateway.client.ResponseObserver;
import io.vertx.core.buffer.Buffer;

/** Watches one answer go through: its status, the time to its first byte, and its usage. */
public final class AnswerMeter implements ResponseObserver {

    private final Provider provider;
    private final long arrivedNanos;
    private final GatewayMetrics metrics;
    private final UsageCounter usage;
    private int status;
    private boolean firstSeen;

    public AnswerMeter(Provider provider, long arrivedNanos, int maxUsageBody, GatewayMetrics metrics) {
        this.provider = provider;
        this.arrivedNanos = arrivedNanos;
        this.metrics = metrics;
        this.usage = new UsageCounter(maxUsageBody);
    }

    @Override
    public void head(int code, String contentType) {
        status = code;
        usage.start(contentType);
    }

    @Override
    public void chunk(Buffer chunk) {
        if (!firstSeen) {
            firstSeen = true;
            metrics.firstByte(provider, System.nanoTime() - arrivedNanos);
        }
        usage.chunk(chunk);
    }

    /** The answer is through (or cut): counts the request and reads what remains of its usage. */
    public void end() {
        metrics.request(provider, status < 400 ? "ok" : "upstream_error");
        usage.end();
    }

    /** The provider's status, 0 while no answer came. */
    public int status() {
        return status;
    }

    public UsageCounter usage() {
        return usage;
    }
}
