package io.tandem.sim.service;

import io.tandem.sim.repository.Issue;
import io.tandem.sim.repository.Project;
import io.tandem.sim.repository.SimStore;
import io.tandem.sim.repository.User;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Issues; every write fires an Issue Hook (Confidential Issue Hook for confidential issues). */
@ApplicationScoped
public class IssueService {

    private final SimStore store;
    private final AccessPolicy access;
    private final HookService hooks;
    private final HookPayloads payloads;

    public IssueService(SimStore store, AccessPolicy access, HookService hooks, HookPayloads payloads) {
        this.store = store;
        this.access = access;
        this.hooks = hooks;
        this.payloads = payloads;
    }

    public Issue create(User caller, Project project, ApiParams params) {
        String title = params.required("title");
        synchronized (store) {
            Issue issue = new Issue();
            issue.id = store.nextIssueId();
            issue.iid = project.issueIids.incrementAndGet();
            issue.projectId = project.id;
            issue.title = title;
            issue.description = params.string("description");
            issue.authorId = caller.id;
            issue.confidential = params.bool("confidential", false);
            issue.assigneeIds = assignees(params, List.of());
            List<String> labels = params.strings("labels");
            issue.labels = labels == null ? new ArrayList<>() : new ArrayList<>(labels);
            issue.createdAt = Instant.now();
            issue.updatedAt = issue.createdAt;
            store.issues.put(issue.id, issue);
            project.lastActivityAt = issue.createdAt;
            fire(project, issue, caller, "open", new LinkedHashMap<>());
            return issue;
        }
    }

    private List<Long> assignees(ApiParams params, List<Long> fallback) {
        List<Long> ids = params.ids("assignee_ids");
        if (ids == null) {
            Long single = params.has("assignee_id") ? params.longValue("assignee_id") : null;
            if (!params.has("assignee_id")) {
                return new ArrayList<>(fallback);
            }
            ids = single == null || single == 0 ? List.of() : List.of(single);
        }
        for (Long id : ids) {
            store.user(id).orElseThrow(() -> ApiError.notFound("User"));
        }
        return new ArrayList<>(ids);
    }

    public Issue get(User caller, Project project, long iid) {
        Issue issue = store.issues.values().stream().filter(i -> i.projectId == project.id && i.iid == iid)
                .findFirst().orElseThrow(() -> ApiError.notFound());
        if (!visible(caller, project, issue)) {
            throw ApiError.notFound();
        }
        return issue;
    }

    public boolean visible(User caller, Project project, Issue issue) {
        return !issue.confidential || caller.admin || issue.authorId == caller.id
                || issue.assigneeIds.contains(caller.id)
                || access.effectiveProjectLevel(caller, project) >= AccessLevels.PLANNER;
    }

    public List<Issue> list(User caller, Project project, ApiParams params) {
        String state = params.string("state", "all");
        List<String> labels = params.strings("labels");
        Long assigneeId = params.longValue("assignee_id");
        Long authorId = params.longValue("author_id");
        List<Long> iids = params.ids("iids");
        boolean ascending = "asc".equals(params.string("sort"));
        Comparator<Issue> order = Comparator.comparing(i -> i.createdAt);
        order = order.thenComparingLong(i -> i.id);
        return SimStore.sorted(store.issues.values(), i -> i.projectId == project.id
                && visible(caller, project, i)
                && ("all".equals(state) || i.state.equals(state))
                && (labels == null || i.labels.containsAll(labels))
                && (assigneeId == null || i.assigneeIds.contains(assigneeId))
                && (authorId == null || i.authorId == authorId)
                && (iids == null || iids.isEmpty() || iids.contains(i.iid)),
                ascending ? order : order.reversed());
    }

    public Issue update(User caller, Project project, Issue issue, ApiParams params) {
        int level = access.effectiveProjectLevel(caller, project);
        if (level < AccessLevels.PLANNER && issue.authorId != caller.id) {
            throw ApiError.forbidden();
        }
        synchronized (store) {
            Map<String, Object> changes = new LinkedHashMap<>();
            String action = "update";
            if (params.has("title") && !params.required("title").equals(issue.title)) {
                changes.put("title", HookPayloads.change(issue.title, params.string("title")));
                issue.title = params.string("title");
            }
            if (params.has("description") && !java.util.Objects.equals(params.string("description"), issue.description)) {
                changes.put("description", HookPayloads.change(issue.description, params.string("description")));
                issue.description = params.string("description");
            }
            List<Long> assignees = assignees(params, issue.assigneeIds);
            if (!assignees.equals(issue.assigneeIds)) {
                changes.put("assignees", payloads.userChange(issue.assigneeIds, assignees));
                issue.assigneeIds = assignees;
            }
            List<String> labels = labels(params, issue.labels);
            if (!labels.equals(issue.labels)) {
                changes.put("labels", payloads.labelChange(project, issue.labels, labels));
                issue.labels = labels;
            }
            Boolean confidential = params.bool("confidential");
            if (confidential != null && confidential != issue.confidential) {
                changes.put("confidential", HookPayloads.change(issue.confidential, confidential));
                issue.confidential = confidential;
            }
            Boolean locked = params.bool("discussion_locked");
            if (locked != null && locked != issue.discussionLocked) {
                changes.put("discussion_locked", HookPayloads.change(issue.discussionLocked, locked));
                issue.discussionLocked = locked;
            }
            String stateEvent = params.string("state_event");
            Instant now = Instant.now();
            if ("close".equals(stateEvent) && "opened".equals(issue.state)) {
                changes.put("state_id", HookPayloads.change(1, 2));
                changes.put("closed_at", HookPayloads.change(null, Json.hookTime(now)));
                issue.state = "closed";
                issue.closedAt = now;
                issue.closedById = caller.id;
                action = "close";
            } else if ("reopen".equals(stateEvent) && "closed".equals(issue.state)) {
                changes.put("state_id", HookPayloads.change(2, 1));
                changes.put("closed_at", HookPayloads.change(Json.hookTime(issue.closedAt), null));
                issue.state = "opened";
                issue.closedAt = null;
                issue.closedById = null;
                action = "reopen";
            } else if (stateEvent != null && !"close".equals(stateEvent) && !"reopen".equals(stateEvent)) {
                throw ApiError.badParam("state_event does not have a valid value");
            }
            if (!changes.isEmpty()) {
                changes.put("updated_at", HookPayloads.change(Json.hookTime(issue.updatedAt), Json.hookTime(now)));
                changes.put("updated_by_id", HookPayloads.change(issue.updatedById, caller.id));
                issue.updatedAt = now;
                issue.updatedById = caller.id;
                project.lastActivityAt = now;
                fire(project, issue, caller, action, changes);
            }
            return issue;
        }
    }

    /** {@code labels} replaces; {@code add_labels} and {@code remove_labels} edit. */
    static List<String> labels(ApiParams params, List<String> current) {
        List<String> replace = params.strings("labels");
        List<String> result = new ArrayList<>(replace != null ? replace : current);
        List<String> add = params.strings("add_labels");
        if (add != null) {
            for (String label : add) {
                if (!result.contains(label)) {
                    result.add(label);
                }
            }
        }
        List<String> remove = params.strings("remove_labels");
        if (remove != null) {
            result.removeAll(remove);
        }
        return result;
    }

    private void fire(Project project, Issue issue, User caller, String action, Map<String, Object> changes) {
        Map<String, Object> payload = payloads.issue(issue, caller, action, changes);
        if (issue.confidential) {
            hooks.fire(project, "confidential_issues_events", "Confidential Issue Hook", payload);
        } else {
            hooks.fire(project, "issues_events", "Issue Hook", payload);
        }
    }
}
