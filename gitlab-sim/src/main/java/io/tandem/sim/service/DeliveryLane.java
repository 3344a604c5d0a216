package io.tandem.sim.service;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The pending deliveries to one hook, oldest first. At most one worker sends from a lane at a time (the one that
 * {@link #add} told to start), which is what keeps a hook's deliveries in creation order.
 */
final class DeliveryLane {

    private final Deque<WebhookDelivery> pending = new ArrayDeque<>();
    private boolean draining;

    /** Queues a delivery; true when the lane was idle, so the caller must start draining it. */
    synchronized boolean add(WebhookDelivery delivery) {
        pending.addLast(delivery);
        if (draining) {
            return false;
        }
        draining = true;
        return true;
    }

    synchronized WebhookDelivery head() {
        return pending.peekFirst();
    }

    /** Drops the head once it is done; true when more are waiting (the drainer goes on), false when idle now. */
    synchronized boolean finishHead() {
        pending.pollFirst();
        draining = !pending.isEmpty();
        return draining;
    }
}
