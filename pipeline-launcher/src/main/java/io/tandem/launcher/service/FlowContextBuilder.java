package io.tandem.launcher.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tandem.events.DiffPosition;
import io.tandem.events.ThreadRef;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import org.gitlab4j.api.models.Diff;
import org.gitlab4j.api.models.DiffRef;
import org.gitlab4j.api.models.Epic;
import org.gitlab4j.api.models.Issue;
import org.gitlab4j.api.models.MergeRequest;
import org.gitlab4j.api.models.Note;

/**
 * {@code AI_FLOW_CONTEXT}: the thread the agent was called into, as JSON with GitLab's field names. Notes are
 * oldest first, system notes (GitLab's own bookkeeping such as "changed the label") left out.
 */
@ApplicationScoped
public class FlowContextBuilder {

    private final ObjectMapper mapper;

    public FlowContextBuilder(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public ObjectNode issue(ThreadRef thread, Issue issue, List<Note> notes) {
        ObjectNode context = base(thread, "Issue");
        ObjectNode node = context.putObject("issue");
        node.put("iid", issue.getIid());
        node.put("title", issue.getTitle());
        node.put("description", issue.getDescription());
        ArrayNode labels = node.putArray("labels");
        if (issue.getLabels() != null) {
            issue.getLabels().forEach(labels::add);
        }
        node.put("state", issue.getState() == null ? null : issue.getState().toString());
        node.put("web_url", issue.getWebUrl());
        addNotes(context, notes);
        return context;
    }

    /**
     * @param diffs the merge request's file diffs, in GitLab's order
     * @param position the diff line of the triggering comment, or null
     */
    public ObjectNode mergeRequest(ThreadRef thread, MergeRequest mr, List<Note> notes, List<Diff> diffs,
            DiffPosition position) {
        ObjectNode context = base(thread, "MergeRequest");
        ObjectNode node = context.putObject("merge_request");
        node.put("iid", mr.getIid());
        node.put("title", mr.getTitle());
        node.put("description", mr.getDescription());
        node.put("state", mr.getState());
        node.put("source_branch", mr.getSourceBranch());
        node.put("target_branch", mr.getTargetBranch());
        ArrayNode labels = node.putArray("labels");
        if (mr.getLabels() != null) {
            mr.getLabels().forEach(labels::add);
        }
        node.put("web_url", mr.getWebUrl());
        DiffRef refs = mr.getDiffRefs();
        if (refs != null) {
            ObjectNode diffRefs = node.putObject("diff_refs");
            diffRefs.put("base_sha", refs.getBaseSha());
            diffRefs.put("head_sha", refs.getHeadSha());
            diffRefs.put("start_sha", refs.getStartSha());
        }
        ArrayNode changes = node.putArray("changes");
        for (Diff diff : diffs) {
            ObjectNode change = changes.addObject();
            change.put("old_path", diff.getOldPath());
            change.put("new_path", diff.getNewPath());
            change.put("new_file", Boolean.TRUE.equals(diff.getNewFile()));
            change.put("renamed_file", Boolean.TRUE.equals(diff.getRenamedFile()));
            change.put("deleted_file", Boolean.TRUE.equals(diff.getDeletedFile()));
            change.put("diff", diff.getDiff());
        }
        if (position != null) {
            ObjectNode at = context.putObject("position");
            at.put("base_sha", position.baseSha());
            at.put("start_sha", position.startSha());
            at.put("head_sha", position.headSha());
            at.put("old_path", position.oldPath());
            at.put("new_path", position.newPath());
            at.put("old_line", position.oldLine());
            at.put("new_line", position.newLine());
            at.put("position_type", position.positionType());
        }
        addNotes(context, notes);
        return context;
    }

    /** A group's epic (a group-level thread: {@code project} is null, {@code group} says where). */
    public ObjectNode epic(ThreadRef thread, Epic epic, List<Note> notes) {
        ObjectNode context = base(thread, "Epic");
        ObjectNode node = context.putObject("epic");
        node.put("iid", epic.getIid());
        node.put("title", epic.getTitle());
        node.put("description", epic.getDescription());
        ArrayNode labels = node.putArray("labels");
        if (epic.getLabels() != null) {
            epic.getLabels().forEach(labels::add);
        }
        node.put("state", epic.getState() == null ? null : epic.getState().toString().toLowerCase(Locale.ROOT));
        node.put("web_url", epic.getWebUrl());
        addNotes(context, notes);
        return context;
    }

    /** Threads Tandem cannot read in detail (other work items, epics where GitLab has none): what is known. */
    public ObjectNode other(ThreadRef thread) {
        ObjectNode context = base(thread, thread.noteableType());
        context.putArray("notes");
        return context;
    }

    private ObjectNode base(ThreadRef thread, String type) {
        ObjectNode context = mapper.createObjectNode();
        context.put("type", type);
        if (thread.projectId() != null) {
            ObjectNode project = context.putObject("project");
            project.put("id", thread.projectId());
            project.put("path_with_namespace", thread.projectPath());
        } else {
            context.putNull("project");
        }
        if (thread.groupId() != null || thread.groupPath() != null) {
            ObjectNode group = context.putObject("group");
            group.put("id", thread.groupId());
            group.put("full_path", thread.groupPath());
        }
        context.put("iid", thread.noteableIid());
        context.put("web_url", thread.webUrl());
        return context;
    }

    private void addNotes(ObjectNode context, List<Note> notes) {
        ArrayNode array = context.putArray("notes");
        notes.stream()
                .filter(n -> !Boolean.TRUE.equals(n.getSystem()))
                .sorted(Comparator.comparing(Note::getCreatedAt, Comparator.nullsFirst(Comparator.<Date>naturalOrder()))
                        .thenComparing(Note::getId, Comparator.nullsFirst(Comparator.<Long>naturalOrder())))
                .forEach(n -> {
                    ObjectNode note = array.addObject();
                    note.put("id", n.getId());
                    note.put("author", n.getAuthor() == null ? null : n.getAuthor().getUsername());
                    note.put("body", n.getBody());
                    note.put("created_at", n.getCreatedAt() == null ? null : n.getCreatedAt().toInstant().toString());
                });
    }
}
