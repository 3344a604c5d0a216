package io.tandem.identity.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.tandem.events.Actor;
import io.tandem.events.EventIds;
import io.tandem.events.Invocation;
import io.tandem.events.InvocationRequested;
import io.tandem.events.ThreadKey;
import io.tandem.events.ThreadRef;
import io.tandem.identity.client.GitlabDirectory;
import io.tandem.identity.messaging.AuditPublisher;
import io.tandem.identity.messaging.DecisionPublisher;
import io.tandem.identity.repository.InvocationDecisionEntity;
import io.tandem.identity.repository.InvocationDecisionRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Takes the composite identity decision for a requested invocation once, stores it, and publishes it. A repeat
 * of the same invocation republishes the stored decision and its audit event, with the same ids.
 */
@ApplicationScoped
public class InvocationDecisionService {

    private static final Logger LOG = Logger.getLogger(InvocationDecisionService.class);

    private final InvocationDecisionRepository decisions;
    private final GitlabDirectory gitlab;
    private final Blocking blocking;
    private final CompositeIdentityPolicy policy;
    private final DecisionPublisher publisher;
    private final AuditPublisher audit;
    private final ObjectMapper json;
    private final MeterRegistry metrics;

    public InvocationDecisionService(InvocationDecisionRepository decisions, GitlabDirectory gitlab,
            Blocking blocking, CompositeIdentityPolicy policy, DecisionPublisher publisher, AuditPublisher audit,
            ObjectMapper json, MeterRegistry metrics) {
        this.decisions = decisions;
        this.gitlab = gitlab;
        this.blocking = blocking;
        this.policy = policy;
        this.publisher = publisher;
        this.audit = audit;
        this.json = json;
        this.metrics = metrics;
    }

    public Uni<Void> handle(InvocationRequested request) {
        Invocation invocation = validated(request);
        return decisions.findByInvocationId(invocation.invocationId())
                .flatMap(stored -> stored != null ? Uni.createFrom().item(stored) : decide(request, invocation))
                .flatMap(decision -> publish(decision, invocation));
    }

    private Uni<InvocationDecisionEntity> decide(InvocationRequested request, Invocation invocation) {
        // The two roles are independent GitLab reads: read together, on two worker threads.
        return Uni.combine().all().unis(blocking.call(() -> role(invocation, invocation.requester())),
                        blocking.call(() -> role(invocation, invocation.serviceAccount())))
                .with((requester, serviceAccount) -> new Roles(requester.userId(), requester.level(),
                        serviceAccount.userId(), serviceAccount.level()))
                .map(roles -> toDecision(request, invocation, roles))
                .flatMap(decisions::insertIfAbsent)
                .invoke(decision -> {
                    metrics.counter("tandem.invocations.decided", "outcome", decision.allowed ? "authorized" : "denied")
                            .increment();
                    LOG.infof("invocation %s %s: requester %d, service account %d", decision.invocationId,
                            decision.allowed ? "authorized" : "denied", decision.requesterAccessLevel,
                            decision.serviceAccountAccessLevel);
                });
    }

    /**
     * One actor's role in the run's project, read with Tandem's admin token. Blocking. For an epic that is the
     * project trigger-matcher placed the run in, not the epic's group: the token, branch and pipeline live there.
     * Only an epic invocation not placed in a project is judged by the group's roles (its token then opens nothing).
     */
    private Role role(Invocation invocation, Actor actor) {
        Long id = userId(actor);
        return new Role(id, accessLevel(invocation, id));
    }

    private Long userId(Actor actor) {
        if (actor.id() != null) {
            return actor.id();
        }
        return actor.username() == null ? null : gitlab.userIdByUsername(actor.username()).orElse(null);
    }

    private int accessLevel(Invocation invocation, Long userId) {
        if (userId == null) {
            return AccessLevels.NONE;
        }
        if (invocation.projectId() != null) {
            return gitlab.projectAccessLevel(invocation.projectId(), userId);
        }
        ThreadRef thread = invocation.thread();
        if (thread.groupId() != null) {
            return gitlab.groupAccessLevel(thread.groupId(), userId);
        }
        // Some group-level payloads (epics) name the group only by its full path; GitLab takes either.
        if (thread.groupPath() != null) {
            return gitlab.groupAccessLevel(thread.groupPath(), userId);
        }
        return AccessLevels.NONE;
    }

    private InvocationDecisionEntity toDecision(InvocationRequested request, Invocation invocation, Roles roles) {
        ThreadRef thread = invocation.thread();
        String place = invocation.projectPath() != null ? invocation.projectPath()
                : invocation.projectId() != null ? "project " + invocation.projectId()
                : thread.groupPath() != null ? thread.groupPath() : "group " + thread.groupId();
        CompositeIdentityPolicy.Decision decision = policy.decide(invocation.requester().username(),
                roles.requesterLevel(), invocation.serviceAccount().username(), roles.serviceAccountLevel(), place);

        InvocationDecisionEntity entity = new InvocationDecisionEntity();
        entity.invocationId = invocation.invocationId();
        entity.eventId = EventIds.derive("decision", invocation.invocationId());
        entity.threadKey = request.key() != null ? request.key() : ThreadKey.of(thread);
        // The run's project: the token's scope, the proxy's confinement and the audit's project all come from it.
        entity.projectId = invocation.projectId();
        entity.groupId = thread.groupId();
        entity.projectPath = invocation.projectPath();
        entity.requesterId = roles.requesterId();
        entity.requesterUsername = invocation.requester().username();
        entity.serviceAccountId = roles.serviceAccountId();
        entity.serviceAccountUsername = invocation.serviceAccount().username();
        entity.requesterAccessLevel = roles.requesterLevel();
        entity.serviceAccountAccessLevel = roles.serviceAccountLevel();
        entity.effectiveAccessLevel = decision.effectiveLevel();
        entity.allowed = decision.allowed();
        entity.reason = decision.reason();
        entity.invocationJson = toJson(invocation);
        // PostgreSQL keeps microseconds: truncate so the republished record carries the very same instant.
        entity.decidedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return entity;
    }

    private Uni<Void> publish(InvocationDecisionEntity decision, Invocation incoming) {
        Invocation invocation = fromJson(decision.invocationJson, incoming);
        // Both wait for the broker's ack; neither depends on the other, so they are sent together.
        return Uni.combine().all().unis(publisher.publish(decision, invocation), publishAudit(decision))
                .discardItems();
    }

    private Uni<Void> publishAudit(InvocationDecisionEntity decision) {
        String type = decision.allowed ? "invocation.authorized" : "invocation.denied";
        Map<String, String> data = new LinkedHashMap<>();
        data.put("requesterAccessLevel", Integer.toString(decision.requesterAccessLevel));
        data.put("requesterRole", AccessLevels.roleName(decision.requesterAccessLevel));
        data.put("serviceAccountAccessLevel", Integer.toString(decision.serviceAccountAccessLevel));
        data.put("serviceAccountRole", AccessLevels.roleName(decision.serviceAccountAccessLevel));
        data.put("effectiveAccessLevel", Integer.toString(decision.effectiveAccessLevel));
        if (decision.reason != null) {
            data.put("reason", decision.reason);
        }
        return audit.publish(EventIds.derive("audit", type, decision.invocationId), decision.decidedAt,
                decision.invocationId, type, decision.projectId, decision.invocationId, decision.requesterUsername,
                decision.serviceAccountUsername, data);
    }

    private static Invocation validated(InvocationRequested request) {
        if (request == null || request.invocation() == null) {
            throw new IllegalArgumentException("InvocationRequested without an invocation");
        }
        Invocation invocation = request.invocation();
        if (invocation.invocationId() == null || invocation.thread() == null || invocation.requester() == null
                || invocation.serviceAccount() == null || invocation.serviceAccount().username() == null) {
            throw new IllegalArgumentException("invocation " + invocation.invocationId()
                    + " lacks its id, thread, requester or service account");
        }
        return invocation;
    }

    private String toJson(Invocation invocation) {
        try {
            return json.writeValueAsString(invocation);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot store invocation " + invocation.invocationId(), e);
        }
    }

    private Invocation fromJson(String stored, Invocation fallback) {
        try {
            return json.readValue(stored, Invocation.class);
        } catch (JsonProcessingException e) {
            LOG.warnf("stored invocation %s cannot be read back; republishing the incoming one",
                    fallback.invocationId());
            return fallback;
        }
    }

    private record Role(Long userId, int level) {
    }

    private record Roles(Long requesterId, int requesterLevel, Long serviceAccountId, int serviceAccountLevel) {
    }
}
