package io.tandem.identity.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.tandem.events.Actor;
import io.tandem.events.AgentDefinition;
import io.tandem.events.EventIds;
import io.tandem.events.Invocation;
import io.tandem.events.InvocationRequested;
import io.tandem.events.RunState;
import io.tandem.events.RunStatusChanged;
import io.tandem.events.ThreadKey;
import io.tandem.events.ThreadRef;
import io.tandem.events.Topics;
import io.tandem.testsupport.KafkaTestResource;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.gitlab4j.api.models.User;

/** Builds {@link InvocationRequested} records as trigger-matcher would, and publishes them. */
public final class Invocations {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    /** A mention of the service account by {@code requester} in issue #1 of the world's project. */
    public static InvocationRequested mention(GitlabWorld world, User requester, long serviceAccountId,
            String serviceAccountUsername, boolean withRequesterId) {
        ThreadRef thread = new ThreadRef(world.project.getId(), null, world.project.getPathWithNamespace(), "Issue", 1,
                1000L, "http://gitlab.example/" + world.project.getPathWithNamespace() + "/-/issues/1", null);
        return requested(thread, requester, serviceAccountId, serviceAccountUsername, withRequesterId, null, null);
    }

    /**
     * A mention in issue #{@code iid} of any project, one GitLab may not know: one thread per iid, so that a burst
     * spreads over the topic's partitions as real threads do.
     */
    public static InvocationRequested mentionIn(long projectId, String projectPath, long iid, User requester,
            boolean withRequesterId, long serviceAccountId, String serviceAccountUsername) {
        ThreadRef thread = new ThreadRef(projectId, null, projectPath, "Issue", iid, 1000L + iid,
                "http://gitlab.example/" + projectPath + "/-/issues/" + iid, null);
        return requested(thread, requester, serviceAccountId, serviceAccountUsername, withRequesterId, null, null);
    }

    /**
     * A mention in epic &3 of the world's group, which trigger-matcher placed in the world's project: the thread
     * has no project, the run has one.
     */
    public static InvocationRequested epicMention(GitlabWorld world, User requester, long serviceAccountId,
            String serviceAccountUsername) {
        ThreadRef thread = new ThreadRef(null, world.group.getId(), null, "Epic", 3, 5000L,
                "http://gitlab.example/groups/" + world.groupPath() + "/-/epics/3", world.groupPath());
        return requested(thread, requester, serviceAccountId, serviceAccountUsername, true, world.project.getId(),
                world.project.getPathWithNamespace());
    }

    private static InvocationRequested requested(ThreadRef thread, User requester, long serviceAccountId,
            String serviceAccountUsername, boolean withRequesterId, Long runProjectId, String runProjectPath) {
        String invocationId = UUID.randomUUID().toString();
        Invocation invocation = new Invocation(invocationId, "mention", 7, "Claude Code",
                new Actor(serviceAccountId, serviceAccountUsername, "Claude Code"),
                new Actor(withRequesterId ? requester.getId() : null, requester.getUsername(), requester.getName()),
                thread, 4242, "discussion-1", "@" + serviceAccountUsername + " please fix it", null, "main",
                new AgentDefinition("alpine:3", List.of("echo hi"), List.of(), false, null, Map.of()), null,
                runProjectId, runProjectPath);
        return new InvocationRequested(EventIds.derive("requested", invocationId), Instant.now(),
                InvocationRequested.VERSION, ThreadKey.of(thread), invocation);
    }

    /** The same request, for a definition that asks for managed model credentials ({@code injectGatewayToken}). */
    public static InvocationRequested withGatewayToken(InvocationRequested request) {
        AgentDefinition d = request.invocation().definition();
        AgentDefinition managed = new AgentDefinition(d.image(), d.commands(), d.variables(), true, d.timeoutMinutes(),
                d.idTokens(), d.resultFile(), d.allowCiChanges());
        return new InvocationRequested(request.eventId(), request.occurredAt(), request.version(), request.key(),
                request.invocation().withDefinition(managed));
    }

    /** The same request for an agent whose definition allows its runs to change CI configuration. */
    public static InvocationRequested allowingCiChanges(InvocationRequested request) {
        AgentDefinition d = request.invocation().definition();
        AgentDefinition allowing = new AgentDefinition(d.image(), d.commands(), d.variables(), d.injectGatewayToken(),
                d.timeoutMinutes(), d.idTokens(), d.resultFile(), true);
        return new InvocationRequested(request.eventId(), request.occurredAt(), request.version(), request.key(),
                request.invocation().withDefinition(allowing));
    }

    public static void publish(InvocationRequested request) {
        publish(request, Map.of());
    }

    /** With Kafka headers, e.g. the {@code traceparent} trigger-matcher's connector writes when tracing is on. */
    public static void publish(InvocationRequested request, Map<String, String> headers) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestResource.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
            ProducerRecord<String, String> record = new ProducerRecord<>(Topics.INVOCATIONS_REQUESTED,
                    request.key(), JSON.writeValueAsString(request));
            headers.forEach((name, value) -> record.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
            producer.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot publish " + request.invocation().invocationId(), e);
        }
    }

    /** Many at once through one producer, as a busy trigger-matcher would. */
    public static void publishAll(List<InvocationRequested> requests) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestResource.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
            for (InvocationRequested request : requests) {
                producer.send(new ProducerRecord<>(Topics.INVOCATIONS_REQUESTED, request.key(),
                        JSON.writeValueAsString(request)));
            }
            producer.flush();
        } catch (Exception e) {
            throw new IllegalStateException("cannot publish the burst", e);
        }
    }

    /** What pipeline-launcher publishes when the run moves, e.g. to a terminal state. */
    public static void publishStatus(InvocationRequested request, RunState state) {
        Invocation invocation = request.invocation();
        RunStatusChanged status = new RunStatusChanged(EventIds.derive("status", invocation.invocationId(), state.name()),
                Instant.now(), RunStatusChanged.VERSION, request.key(), invocation, state, 77L, null, null);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestResource.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.RUNS_STATUS, status.key(), JSON.writeValueAsString(status))).get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot publish the status of " + invocation.invocationId(), e);
        }
    }

    private Invocations() {
    }
}
