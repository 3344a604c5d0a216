package io.tandem.sim.service;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The most recent deliveries, oldest first, for /-/sim/webhook-deliveries and redelivery. Capped so that a long
 * benchmark does not grow the heap without end: the oldest entry is forgotten once the cap is reached (a
 * forgotten delivery that is still pending is sent all the same).
 */
final class DeliveryHistory {

    private final Map<String, WebhookDelivery> byKey;

    DeliveryHistory(int capacity) {
        int cap = Math.max(1, capacity);
        this.byKey = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, WebhookDelivery> eldest) {
                return size() > cap;
            }
        };
    }

    synchronized void add(WebhookDelivery delivery) {
        byKey.put(delivery.idempotencyKey, delivery);
    }

    synchronized List<WebhookDelivery> all() {
        return new ArrayList<>(byKey.values());
    }

    synchronized Optional<WebhookDelivery> find(String idempotencyKey) {
        return Optional.ofNullable(byKey.get(idempotencyKey));
    }
}
