package io.tandem.sim.service;

import io.tandem.sim.client.WebhookSender;
import io.tandem.sim.config.SimConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends webhook deliveries asynchronously, like GitLab's Sidekiq workers: a bounded pool of workers sends to
 * different hooks at once, so a slow receiver holds up only its own hook. Each hook has one lane (with
 * {@code ordering=thread}: one per hook and GitLab thread) that a single worker drains at a time, so a lane's
 * deliveries arrive in creation order. A failing delivery (non-2xx or no connection) is retried with exponential
 * backoff, with the same headers (so the same Idempotency-Key) and body, before the next one in its lane is sent;
 * no worker waits during the backoff.
 */
@ApplicationScoped
public class WebhookDispatcher {

    private final WebhookSender sender;
    private final SimConfig.Webhook config;
    private final ExecutorService workers;
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(daemon("webhook-retry"));
    /** Lanes with pending deliveries, by hook (and thread); an idle lane is removed, so only busy ones stay. */
    private final Map<String, DeliveryLane> lanes = new ConcurrentHashMap<>();
    private final DeliveryHistory history;

    public WebhookDispatcher(WebhookSender sender, SimConfig config) {
        this.sender = sender;
        this.config = config.sim().webhook();
        int size = Math.max(1, this.config.workers());
        // at most one task per lane is queued, so the queue is bounded by the number of lanes
        ThreadPoolExecutor pool = new ThreadPoolExecutor(size, size, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), daemon("webhook-worker"));
        pool.allowCoreThreadTimeOut(true);
        this.workers = pool;
        this.history = new DeliveryHistory(this.config.historySize());
    }

    @PreDestroy
    public void stop() {
        retries.shutdownNow();
        workers.shutdownNow();
    }

    public void enqueue(WebhookDelivery delivery) {
        history.add(delivery);
        String key = laneKey(delivery);
        boolean[] start = new boolean[1];
        // compute() serializes this with the removal of an idle lane in finish()
        DeliveryLane lane = lanes.compute(key, (k, existing) -> {
            DeliveryLane l = existing == null ? new DeliveryLane() : existing;
            start[0] = l.add(delivery);
            return l;
        });
        if (start[0]) {
            submit(key, lane);
        }
    }

    private String laneKey(WebhookDelivery delivery) {
        return config.ordering() == SimConfig.Ordering.THREAD ? delivery.hookId + "/" + delivery.thread
                : String.valueOf(delivery.hookId);
    }

    private void submit(String key, DeliveryLane lane) {
        try {
            workers.execute(() -> drainOne(key, lane));
        } catch (RejectedExecutionException e) {
            // shutting down: pending deliveries are dropped, as GitLab's queue is when the instance goes away
        }
    }

    /** Sends the lane's head once, then hands the lane back to the pool (so busy hooks take turns with the rest). */
    private void drainOne(String key, DeliveryLane lane) {
        WebhookDelivery head = lane.head();
        int status = attempt(head);
        if (status >= 200 && status < 300) {
            finish(key, lane);
        } else if (head.attempts >= config.maxAttempts()) {
            head.gaveUp = true;
            finish(key, lane);
        } else {
            try {
                retries.schedule(() -> submit(key, lane), backoffMillis(head.attempts), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // shutting down
            }
        }
    }

    private void finish(String key, DeliveryLane lane) {
        boolean[] more = new boolean[1];
        lanes.computeIfPresent(key, (k, l) -> {
            more[0] = l.finishHead();
            return more[0] ? l : null;
        });
        if (more[0]) {
            submit(key, lane);
        }
    }

    private long backoffMillis(int attempts) {
        long initial = config.retryInitialDelay().toMillis();
        long delay = initial * (1L << Math.min(attempts - 1, 20));
        return Math.min(delay, config.retryMaxDelay().toMillis());
    }

    private int attempt(WebhookDelivery delivery) {
        int status = sender.post(delivery.url, delivery.headers, delivery.body);
        delivery.recordAttempt(status);
        return status;
    }

    /** Sends a delivery once more, now, with identical headers and body; answers the HTTP status. */
    public int redeliver(WebhookDelivery delivery) {
        return attempt(delivery);
    }

    /** The kept history (the last {@code history-size} deliveries), oldest first. */
    public List<WebhookDelivery> deliveries() {
        return history.all();
    }

    public Optional<WebhookDelivery> find(String idempotencyKey) {
        return history.find(idempotencyKey);
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread thread = new Thread(r, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
