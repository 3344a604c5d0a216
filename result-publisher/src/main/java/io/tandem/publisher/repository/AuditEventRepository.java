package io.tandem.publisher.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;
import io.tandem.events.AuditEvent;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

@ApplicationScoped
public class AuditEventRepository implements PanacheRepositoryBase<StoredAuditEvent, String> {

    private final ObjectMapper json;

    public AuditEventRepository(ObjectMapper json) {
        this.json = json;
    }

    /**
     * Stores the event unless an event with its id is stored already; answers whether it was new. The data goes
     * in as text: the reactive driver would bind a String typed jsonb as a JSON string, not as an object.
     */
    public Uni<Boolean> insertIgnoringDuplicate(AuditEvent event) {
        String data = toJson(event.data() == null ? Map.of() : event.data());
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                INSERT INTO {h-schema}audit_event
                    (event_id, occurred_at, version, event_key, source, type, project_id, invocation_id, actor,
                     service_account, data)
                VALUES (:eventId, :occurredAt, :version, :key, :source, :type, :projectId, :invocationId, :actor,
                        :serviceAccount, cast(cast(:data as text) as jsonb))
                ON CONFLICT (event_id) DO NOTHING
                """)
                .setParameter("eventId", event.eventId())
                .setParameter("occurredAt", event.occurredAt().atOffset(ZoneOffset.UTC))
                .setParameter("version", event.version())
                .setParameter("key", event.key())
                .setParameter("source", event.source())
                .setParameter("type", event.type())
                .setParameter("projectId", event.projectId())
                .setParameter("invocationId", event.invocationId())
                .setParameter("actor", event.actor())
                .setParameter("serviceAccount", event.serviceAccount())
                .setParameter("data", data)
                .executeUpdate())
                .map(rows -> rows > 0);
    }

    /**
     * Oldest first, in (occurredAt, eventId) order; {@code null} filters are not applied; {@code since} and
     * {@code afterOccurredAt}/{@code afterEventId} are exclusive, {@code until} inclusive.
     */
    public Uni<List<StoredAuditEvent>> search(Filter filter, int limit) {
        List<String> where = new ArrayList<>();
        Parameters params = new Parameters();
        if (filter.projectId() != null) {
            where.add("projectId = :projectId");
            params.and("projectId", filter.projectId());
        }
        if (filter.since() != null) {
            where.add("occurredAt > :since");
            params.and("since", filter.since());
        }
        if (filter.until() != null) {
            where.add("occurredAt <= :until");
            params.and("until", filter.until());
        }
        if (filter.invocationId() != null) {
            where.add("invocationId = :invocationId");
            params.and("invocationId", filter.invocationId());
        }
        if (filter.type() != null) {
            where.add("type = :type");
            params.and("type", filter.type());
        }
        if (filter.actor() != null) {
            where.add("actor = :actor");
            params.and("actor", filter.actor());
        }
        if (filter.afterOccurredAt() != null) {
            where.add("(occurredAt > :afterAt or (occurredAt = :afterAt and eventId > :afterId))");
            params.and("afterAt", filter.afterOccurredAt()).and("afterId", filter.afterEventId());
        }
        String query = (where.isEmpty() ? "" : "where " + String.join(" and ", where))
                + " order by occurredAt, eventId";
        return find("from StoredAuditEvent " + query, params).range(0, limit - 1).list();
    }

    /** The filters of a search; nulls are not applied. */
    public record Filter(Long projectId, Instant since, Instant until, String invocationId, String type,
            String actor, Instant afterOccurredAt, String afterEventId) {
    }

    private String toJson(Map<String, String> data) {
        try {
            return json.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("audit data is not serialisable", e);
        }
    }
}
