package io.tandem.sim.repository;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** A project or group webhook. Exactly one of projectId and groupId is set. */
public class Hook {
    public long id;
    public Long projectId;
    public Long groupId;
    public String url;
    public String name;
    public String description;
    /** Sent as X-Gitlab-Token; never shown by the API. */
    public String token;
    public boolean enableSslVerification = true;
    /** The stable id sent as X-Gitlab-Webhook-UUID. */
    public final String uuid = UUID.randomUUID().toString();
    /** Event flags by their API name, e.g. {@code note_events}. */
    public final Map<String, Boolean> events = new ConcurrentHashMap<>();
    public Instant createdAt;

    public boolean subscribed(String flag) {
        return events.getOrDefault(flag, false);
    }
}
