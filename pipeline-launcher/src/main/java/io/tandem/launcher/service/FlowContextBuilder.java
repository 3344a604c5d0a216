package io.tandem.launcher.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tandem.events.ThreadRef;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import org.gitlab4j.api.models.DiffRef;
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

    public ObjectNode mergeRequest(ThreadRef thread, MergeRequest mr, List<Note> notes) {
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
        addNotes(context, notes);
        return context;
    }

    /** Threads Tandem cannot read in detail (epics, other work items): what the invocation knows. */
    public ObjectNode other(ThreadRef thread) {
        ObjectNode context = base(thread, thread.noteableType());
        context.putArray("notes");
        return context;
    }

    private ObjectNode base(ThreadRef thread, String type) {
        ObjectNode context = mapper.createObjectNode();
        context.put("type", type);
        ObjectNode project = context.putObject("project");
        project.put("id", thread.projectId());
        project.put("path_with_namespace", thread.projectPath());
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
