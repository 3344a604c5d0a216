package io.tandem.matcher.support;

import com.fasterxml.jackson.databind.JsonNode;
import io.tandem.events.Actor;
import io.tandem.events.EventIds;
import io.tandem.events.Invocation;
import io.tandem.events.InvocationDenied;
import io.tandem.events.IssueEvent;
import io.tandem.events.MergeRequestEvent;
import io.tandem.events.NoteEvent;
import io.tandem.events.RunState;
import io.tandem.events.RunStatusChanged;
import io.tandem.events.ThreadKey;
import io.tandem.events.ThreadRef;
import io.tandem.events.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Records as webhook-ingest, pipeline-launcher and identity-service would publish them, sent to the broker. */
public final class Events {

    private static final AtomicLong IDS = new AtomicLong(System.currentTimeMillis());

    public static Actor actor(SimWorld.Person person) {
        return new Actor(person.id(), person.username(), person.username());
    }

    public static ThreadRef issue(SimWorld world, long iid) {
        return new ThreadRef(world.projectId, null, world.groupPath + "/app", "Issue", iid, 900L + iid,
                "http://gitlab.example/" + world.groupPath + "/app/-/issues/" + iid, null);
    }

    public static ThreadRef mergeRequest(SimWorld world, long iid) {
        return new ThreadRef(world.projectId, null, world.groupPath + "/app", "MergeRequest", iid, 800L + iid,
                "http://gitlab.example/" + world.groupPath + "/app/-/merge_requests/" + iid, null);
    }

    /**
     * An epic of the group at {@code groupPath}, as webhook-ingest resolves GitLab's work item payload for one
     * ({@code workitem-event.json}): no project, the group named by its path in the epic's URL, and the group's path
     * standing in for the project path. {@code groupId} is null when the payload has none.
     */
    public static ThreadRef epic(Long groupId, String groupPath) {
        JsonNode epic = payload("workitem-event.json").path("object_attributes");
        String url = epic.path("url").asText().replaceFirst("^https://\\[REDACTED]/groups/a-group/",
                "http://gitlab.example/groups/" + groupPath + "/");
        return new ThreadRef(null, groupId, groupPath, epic.path("type").asText(), epic.path("iid").asLong(),
                epic.path("id").asLong(), url, groupPath);
    }

    public static NoteEvent note(ThreadRef thread, String body, Actor author) {
        long noteId = IDS.incrementAndGet();
        String delivery = "delivery-" + noteId;
        return new NoteEvent(EventIds.derive("note", delivery), Instant.now(), NoteEvent.VERSION, ThreadKey.of(thread),
                delivery, "uuid-" + noteId, thread, noteId, "discussion-" + noteId, "create", body, false, false,
                author, thread.webUrl() + "#note_" + noteId, null, "main", null);
    }

    public static IssueEvent assignees(ThreadRef thread, Actor actor, List<Actor> previous, List<Actor> current) {
        String delivery = "delivery-" + IDS.incrementAndGet();
        return new IssueEvent(EventIds.derive("issue", delivery), Instant.now(), IssueEvent.VERSION,
                ThreadKey.of(thread), delivery, "uuid-" + delivery, thread, "update", "Fix the build", actor, false,
                previous, current, "main");
    }

    public static MergeRequestEvent reviewers(ThreadRef thread, Actor actor, List<Actor> previous,
            List<Actor> current) {
        String delivery = "delivery-" + IDS.incrementAndGet();
        return new MergeRequestEvent(EventIds.derive("merge-request", delivery), Instant.now(),
                MergeRequestEvent.VERSION, ThreadKey.of(thread), delivery, "uuid-" + delivery, thread, "update",
                "Add a feature", actor, "feature/x", "main", List.of(), List.of(), previous, current);
    }

    public static void send(NoteEvent note) {
        KafkaRecords.send(Topics.GITLAB_NOTES, note.key(), note);
    }

    public static void send(IssueEvent issue) {
        KafkaRecords.send(Topics.GITLAB_ISSUES, issue.key(), issue);
    }

    public static void send(MergeRequestEvent mergeRequest) {
        KafkaRecords.send(Topics.GITLAB_MERGE_REQUESTS, mergeRequest.key(), mergeRequest);
    }

    /** pipeline-launcher reporting the run's state. */
    public static void sendStatus(Invocation invocation, RunState state) {
        RunStatusChanged status = new RunStatusChanged(EventIds.derive("run", invocation.invocationId(), state.name()),
                Instant.now(), RunStatusChanged.VERSION, ThreadKey.of(invocation.thread()), invocation, state, 1L,
                "http://gitlab.example/pipelines/1", null);
        KafkaRecords.send(Topics.RUNS_STATUS, status.key(), status);
    }

    private static JsonNode payload(String name) {
        // copied from ../shared/gitlab-payloads
        try (InputStream in = Events.class.getResourceAsStream("/gitlab-payloads/" + name)) {
            return KafkaRecords.JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** identity-service refusing the run. */
    public static void sendDenied(Invocation invocation) {
        InvocationDenied denied = new InvocationDenied(EventIds.derive("denied", invocation.invocationId()),
                Instant.now(), InvocationDenied.VERSION, ThreadKey.of(invocation.thread()), invocation, 10, 30,
                "you need the Developer role");
        KafkaRecords.send(Topics.INVOCATIONS_DENIED, denied.key(), denied);
    }

    private Events() {
    }
}
