package io.tandem.ingest.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tandem.events.EventIds;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DeliveryTest {

    private static final byte[] BODY = "{\"object_kind\":\"note\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void idempotencyKeyDecidesTheEventId() {
        Delivery first = Delivery.of("Note Hook", "key-1", "uuid-1", BODY);
        Delivery retry = Delivery.of("Note Hook", "key-1", "uuid-2", "{}".getBytes(StandardCharsets.UTF_8));

        assertEquals(EventIds.derive("webhook", "key-1"), first.eventId());
        assertEquals(first.eventId(), retry.eventId());
        assertEquals("key-1", first.deliveryId());
        assertEquals("uuid-1", first.gitlabEventUuid());
    }

    @Test
    void eventUuidIsTheFallback() {
        Delivery delivery = Delivery.of("Note Hook", " ", "uuid-1", BODY);

        assertEquals(EventIds.derive("webhook", "event-uuid", "uuid-1"), delivery.eventId());
        assertEquals(delivery.eventId(), Delivery.of("Note Hook", null, "uuid-1", "{}".getBytes()).eventId());
        assertEquals("uuid-1", delivery.deliveryId());
    }

    @Test
    void withoutHeadersTheBodyDecides() {
        Delivery delivery = Delivery.of("Note Hook", null, null, BODY);

        assertEquals(delivery.eventId(), Delivery.of("Note Hook", null, null, BODY.clone()).eventId());
        assertNotEquals(delivery.eventId(), Delivery.of("Note Hook", null, null, "{}".getBytes()).eventId());
        assertNull(delivery.deliveryId());
    }
}
