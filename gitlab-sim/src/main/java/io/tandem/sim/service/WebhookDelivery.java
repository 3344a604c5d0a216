package io.tandem.sim.service;

import java.time.Instant;
import java.util.Map;

/** One event sent to one hook, with its retry bookkeeping; headers and body never change across attempts. */
public class WebhookDelivery {
    public final String idempotencyKey;
    public final String eventUuid;
    public final String event;
    public final long hookId;
    /** The GitLab thread of the event (see {@link WebhookThreads}); orders deliveries with {@code ordering=thread}. */
    public final String thread;
    public final String url;
    public final Map<String, String> headers;
    public final String body;
    public final Instant createdAt = Instant.now();
    /** Written by {@link #recordAttempt} only (a lane's worker and a redelivery may race). */
    public volatile int attempts;
    public volatile Integer lastStatus;
    public volatile boolean delivered;
    public volatile boolean gaveUp;

    public WebhookDelivery(String idempotencyKey, String eventUuid, String event, long hookId, String thread,
            String url, Map<String, String> headers, String body) {
        this.idempotencyKey = idempotencyKey;
        this.eventUuid = eventUuid;
        this.event = event;
        this.hookId = hookId;
        this.thread = thread;
        this.url = url;
        this.headers = headers;
        this.body = body;
    }

    /** Counts one attempt that got {@code status} (negative: no connection). */
    synchronized void recordAttempt(int status) {
        attempts++;
        lastStatus = status < 0 ? null : status;
        if (status >= 200 && status < 300) {
            delivered = true;
        }
    }
}
