package io.tandem.events;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Deterministic ids: the same inputs always give the same id, so a replayed or redelivered event produces
 * records with the ids of the first time, and consumers can drop the repeat by id.
 */
public final class EventIds {

    public static String derive(String... parts) {
        return UUID.nameUUIDFromBytes(String.join("\u001f", parts).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private EventIds() {
    }
}
