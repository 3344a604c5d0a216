package io.tandem.sim;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.sim.client.WebhookSender;
import io.tandem.sim.config.SimConfig;
import io.tandem.sim.service.WebhookDelivery;
import io.tandem.sim.service.WebhookDispatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The dispatcher on its own: lanes per hook, retries that hold no worker, the capped history. */
class WebhookDispatcherTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final List<WebhookReceiver> receivers = new ArrayList<>();
    private WebhookDispatcher dispatcher;

    @AfterEach
    void tearDown() {
        dispatcher.stop();
        receivers.forEach(WebhookReceiver::close);
    }

    @Test
    void historyKeepsTheLastDeliveriesOnlyButSendsThemAll() {
        dispatcher = dispatcher(2, Duration.ofMillis(100), 5);
        WebhookReceiver hook = receiver();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            WebhookDelivery delivery = delivery(1, hook, i);
            keys.add(delivery.idempotencyKey);
            dispatcher.enqueue(delivery);
        }

        await().atMost(WAIT).until(() -> hook.all().size() == 12);
        assertEquals(keys, hook.all().stream().map(r -> r.header("Idempotency-Key")).toList());
        List<String> kept = dispatcher.deliveries().stream().map(d -> d.idempotencyKey).toList();
        assertEquals(keys.subList(7, 12), kept);
        assertFalse(dispatcher.find(keys.get(0)).isPresent());
        assertTrue(dispatcher.find(keys.get(11)).isPresent());
    }

    @Test
    void manyHooksAtOnceEachGetsItsDeliveriesInCreationOrder() {
        dispatcher = dispatcher(4, Duration.ofMillis(50), 10_000);
        List<WebhookReceiver> hooks = List.of(receiver(), receiver(), receiver());
        hooks.get(1).failNext(2);
        for (int i = 0; i < 30; i++) {
            for (int h = 0; h < hooks.size(); h++) {
                dispatcher.enqueue(delivery(h + 1, hooks.get(h), i));
            }
        }

        for (WebhookReceiver hook : hooks) {
            await().atMost(WAIT).until(() -> firstArrivals(hook).size() == 30);
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                expected.add(i);
            }
            assertEquals(expected, firstArrivals(hook));
        }
        assertEquals(32, hooks.get(1).all().size());
    }

    /** With one worker, a hook waiting for its retry lets another hook's deliveries through meanwhile. */
    @Test
    void aHookWaitingToRetryHoldsNoWorker() {
        dispatcher = dispatcher(1, Duration.ofSeconds(5), 10_000);
        WebhookReceiver failing = receiver();
        WebhookReceiver healthy = receiver();
        failing.failNext(1);
        WebhookDelivery first = delivery(1, failing, 0);
        dispatcher.enqueue(first);
        await().atMost(WAIT).until(() -> first.attempts == 1);
        for (int i = 0; i < 3; i++) {
            dispatcher.enqueue(delivery(2, healthy, i));
        }

        await().atMost(Duration.ofSeconds(4)).until(() -> healthy.all().size() == 3);
        assertFalse(first.delivered);
        await().atMost(WAIT).until(() -> first.delivered);
        assertEquals(2, failing.all().size());
    }

    /** Ordered by thread, one hook is sent to concurrently: a thread waiting to retry holds up only itself. */
    @Test
    void orderedByThreadAHookKeepsEachThreadInOrderOnly() {
        dispatcher = dispatcher(2, Duration.ofSeconds(5), 10_000, SimConfig.Ordering.THREAD);
        WebhookReceiver hook = receiver();
        hook.failNext(1);
        WebhookDelivery a0 = delivery(1, "Issue:1", hook, 0);
        dispatcher.enqueue(a0);
        await().atMost(WAIT).until(() -> a0.attempts == 1);
        WebhookDelivery a1 = delivery(1, "Issue:1", hook, 1);
        dispatcher.enqueue(a1);
        for (int i = 10; i < 13; i++) {
            dispatcher.enqueue(delivery(1, "Issue:2", hook, i));
        }

        await().atMost(Duration.ofSeconds(4)).until(() -> firstArrivals(hook).containsAll(List.of(10, 11, 12)));
        assertEquals(0, a1.attempts);
        await().atMost(WAIT).until(() -> a1.delivered);
        List<Integer> arrivals = hook.all().stream().map(r -> r.json().get("n").asInt()).toList();
        assertEquals(List.of(0, 10, 11, 12, 0, 1), arrivals);
    }

    private static List<Integer> firstArrivals(WebhookReceiver hook) {
        return hook.all().stream().map(r -> r.json().get("n").asInt()).distinct().toList();
    }

    private WebhookReceiver receiver() {
        WebhookReceiver receiver = new WebhookReceiver();
        receivers.add(receiver);
        return receiver;
    }

    private static WebhookDelivery delivery(long hookId, WebhookReceiver hook, int n) {
        return delivery(hookId, "Issue:" + n, hook, n);
    }

    private static WebhookDelivery delivery(long hookId, String thread, WebhookReceiver hook, int n) {
        String key = UUID.randomUUID().toString();
        return new WebhookDelivery(key, UUID.randomUUID().toString(), "Issue Hook", hookId, thread, hook.url(),
                Map.of("Content-Type", "application/json", "X-Gitlab-Event", "Issue Hook", "Idempotency-Key", key),
                "{\"n\":" + n + "}");
    }

    private static WebhookDispatcher dispatcher(int workers, Duration retryDelay, int historySize) {
        return dispatcher(workers, retryDelay, historySize, SimConfig.Ordering.HOOK);
    }

    private static WebhookDispatcher dispatcher(int workers, Duration retryDelay, int historySize,
            SimConfig.Ordering ordering) {
        SimConfig.Webhook webhook = new SimConfig.Webhook() {
            public int maxAttempts() {
                return 10;
            }

            public Duration retryInitialDelay() {
                return retryDelay;
            }

            public Duration retryMaxDelay() {
                return retryDelay;
            }

            public Duration timeout() {
                return Duration.ofSeconds(10);
            }

            public int workers() {
                return workers;
            }

            public int historySize() {
                return historySize;
            }

            public SimConfig.Ordering ordering() {
                return ordering;
            }
        };
        SimConfig config = () -> new SimConfig.Sim() {
            public String rootToken() {
                return "unused";
            }

            public String dataDir() {
                return "unused";
            }

            public Optional<String> externalUrl() {
                return Optional.empty();
            }

            public SimConfig.Webhook webhook() {
                return webhook;
            }
        };
        return new WebhookDispatcher(new WebhookSender(config), config);
    }
}
