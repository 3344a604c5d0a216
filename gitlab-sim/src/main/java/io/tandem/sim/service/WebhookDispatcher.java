package io.tandem.sim.service;

import io.tandem.sim.client.WebhookSender;
import io.tandem.sim.config.SimConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Sends webhook deliveries asynchronously on one worker thread. Deliveries to one hook go out in order: a
 * failing delivery (non-2xx or no connection) is retried with exponential backoff, with the same headers
 * (so the same Idempotency-Key) and body, before the next one to that hook is sent.
 */
@ApplicationScoped
public class WebhookDispatcher {

    private final WebhookSender sender;
    private final SimConfig.Webhook config;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "webhook-worker");
        thread.setDaemon(true);
        return thread;
    });
    /** Pending deliveries per hook; touched by the worker thread only. */
    private final Map<Long, Deque<WebhookDelivery>> queues = new HashMap<>();
    private final List<WebhookDelivery> all = new CopyOnWriteArrayList<>();

    public WebhookDispatcher(WebhookSender sender, SimConfig config) {
        this.sender = sender;
        this.config = config.sim().webhook();
    }

    @PreDestroy
    void stop() {
        worker.shutdownNow();
    }

    public void enqueue(WebhookDelivery delivery) {
        all.add(delivery);
        worker.execute(() -> {
            Deque<WebhookDelivery> queue = queues.computeIfAbsent(delivery.hookId, k -> new ArrayDeque<>());
            queue.addLast(delivery);
            if (queue.size() == 1) {
                drain(delivery.hookId);
            }
        });
    }

    private void drain(long hookId) {
        Deque<WebhookDelivery> queue = queues.get(hookId);
        WebhookDelivery head = queue == null ? null : queue.peekFirst();
        if (head == null) {
            return;
        }
        int status = attempt(head);
        if (status >= 200 && status < 300) {
            queue.pollFirst();
            worker.execute(() -> drain(hookId));
        } else if (head.attempts >= config.maxAttempts()) {
            head.gaveUp = true;
            queue.pollFirst();
            worker.execute(() -> drain(hookId));
        } else {
            worker.schedule(() -> drain(hookId), backoffMillis(head.attempts), TimeUnit.MILLISECONDS);
        }
    }

    private long backoffMillis(int attempts) {
        long initial = config.retryInitialDelay().toMillis();
        long delay = initial * (1L << Math.min(attempts - 1, 20));
        return Math.min(delay, config.retryMaxDelay().toMillis());
    }

    private int attempt(WebhookDelivery delivery) {
        int status = sender.post(delivery.url, delivery.headers, delivery.body);
        delivery.attempts++;
        delivery.lastStatus = status < 0 ? null : status;
        if (status >= 200 && status < 300) {
            delivery.delivered = true;
        }
        return status;
    }

    /** Sends a delivery once more, now, with identical headers and body; answers the HTTP status. */
    public int redeliver(WebhookDelivery delivery) {
        return attempt(delivery);
    }

    public List<WebhookDelivery> deliveries() {
        return new ArrayList<>(all);
    }

    public Optional<WebhookDelivery> find(String idempotencyKey) {
        return all.stream().filter(d -> d.idempotencyKey.equals(idempotencyKey)).findFirst();
    }
}
