package io.tandem.sim.service;

import static io.tandem.sim.service.Json.hookTime;
import static io.tandem.sim.service.Json.obj;

import io.tandem.sim.repository.CommitInfo;
import io.tandem.sim.repository.Epic;
import io.tandem.sim.repository.Group;
import io.tandem.sim.repository.GitRepositories;
import io.tandem.sim.repository.Issue;
import io.tandem.sim.repository.Job;
import io.tandem.sim.repository.MergeRequest;
import io.tandem.sim.repository.Note;
import io.tandem.sim.repository.Pipeline;
import io.tandem.sim.repository.Project;
import io.tandem.sim.repository.SimStore;
import io.tandem.sim.repository.User;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Webhook payloads in GitLab's shapes (see GitLab's "Webhook events" documentation). */
@ApplicationScoped
public class HookPayloads {

    private final SimStore store;
    private final AccessPolicy access;
    private final EntityViews views;
    private final GitRepositories git;
    private final InstanceUrl url;

    public HookPayloads(SimStore store, AccessPolicy access, EntityViews views, GitRepositories git, InstanceUrl url) {
        this.store = store;
        this.access = access;
        this.views = views;
        this.git = git;
        this.url = url;
    }

    // ---- events

    public Map<String, Object> note(Note note, User actor, String action) {
        Project project = store.projects.get(note.projectId);
        boolean confidential = confidentialNote(note);
        Map<String, Object> payload = obj("object_kind", "note",
                "event_type", confidential ? "confidential_note" : "note", "user", user(actor),
                "project_id", project.id, "project", project(project), "object_attributes", noteAttributes(note, action),
                "repository", repository(project));
        if ("Issue".equals(note.noteableType)) {
            payload.put("issue", issueAttributes(store.issues.get(note.noteableId)));
        } else {
            payload.put("merge_request", mergeRequestAttributes(store.mergeRequests.get(note.noteableId)));
        }
        return payload;
    }

    /**
     * A comment on a group epic: no {@code project}; the group as {@code group_id} and {@code group}, and
     * the epic as {@code epic}.
     */
    public Map<String, Object> epicNote(Note note, Epic epic, Group group, User actor, String action,
            boolean confidential) {
        String epicUrl = views.groupUrl(group) + "/-/epics/" + epic.iid;
        Map<String, Object> attributes = obj("attachment", null, "author_id", note.authorId, "change_position", null,
                "commit_id", null, "created_at", hookTime(note.createdAt), "discussion_id", note.discussionId,
                "id", note.id, "line_code", null, "note", note.body, "noteable_id", epic.id, "noteable_type", "Epic",
                "original_position", null, "position", null, "project_id", null, "resolved_at", null,
                "resolved_by_id", null, "resolved_on_push", null, "st_diff", null, "system", note.system,
                "type", note.type, "updated_at", hookTime(note.updatedAt), "updated_by_id", null,
                "internal", note.internal, "confidential", note.internal, "description", note.body,
                "action", action, "url", epicUrl + "#note_" + note.id);
        Map<String, Object> epicJson = obj("id", epic.id, "iid", epic.iid, "group_id", group.id, "title", epic.title,
                "description", epic.description, "state", epic.state, "state_id", "opened".equals(epic.state) ? 1 : 2,
                "confidential", epic.confidential, "author_id", epic.authorId, "created_at", hookTime(epic.createdAt),
                "updated_at", hookTime(epic.updatedAt), "labels", epic.labels, "reference", "&" + epic.iid,
                "web_url", epicUrl, "url", epicUrl);
        return obj("object_kind", "note", "event_type", confidential ? "confidential_note" : "note",
                "user", user(actor), "group_id", group.id, "group", obj("group_id", group.id, "group_name", group.name,
                        "group_path", group.path, "full_path", group.fullPath, "web_url", views.groupUrl(group)),
                "object_attributes", attributes, "epic", epicJson);
    }

    public boolean confidentialNote(Note note) {
        if (note.internal) {
            return true;
        }
        Issue issue = "Issue".equals(note.noteableType) ? store.issues.get(note.noteableId) : null;
        return issue != null && issue.confidential;
    }

    public Map<String, Object> issue(Issue issue, User actor, String action, Map<String, Object> changes) {
        Project project = store.projects.get(issue.projectId);
        Map<String, Object> attributes = issueAttributes(issue);
        attributes.put("action", action);
        Map<String, Object> payload = obj("object_kind", "issue",
                "event_type", issue.confidential ? "confidential_issue" : "issue", "user", user(actor),
                "project", project(project), "object_attributes", attributes, "labels", labels(project, issue.labels),
                "changes", changes, "repository", repository(project));
        List<Map<String, Object>> assignees = hookUsers(issue.assigneeIds);
        if (!assignees.isEmpty()) {
            payload.put("assignees", assignees);
            payload.put("assignee", assignees.get(0));
        }
        return payload;
    }

    public Map<String, Object> mergeRequest(MergeRequest mr, User actor, String action, Map<String, Object> changes) {
        Project project = store.projects.get(mr.projectId);
        Map<String, Object> attributes = mergeRequestAttributes(mr);
        attributes.put("action", action);
        Map<String, Object> payload = obj("object_kind", "merge_request", "event_type", "merge_request",
                "user", user(actor), "project", project(project), "object_attributes", attributes,
                "labels", labels(project, mr.labels), "changes", changes, "repository", repository(project));
        List<Map<String, Object>> assignees = hookUsers(mr.assigneeIds);
        if (!assignees.isEmpty()) {
            payload.put("assignees", assignees);
        }
        List<Map<String, Object>> reviewers = hookUsers(mr.reviewerIds);
        if (!reviewers.isEmpty()) {
            payload.put("reviewers", reviewers);
        }
        return payload;
    }

    public Map<String, Object> pipeline(Pipeline pipeline) {
        Project project = store.projects.get(pipeline.projectId);
        List<Map<String, Object>> variables = new ArrayList<>();
        pipeline.variables.forEach(v -> variables.add(obj("key", v.key(), "value", v.value())));
        List<String> stages = new ArrayList<>();
        pipeline.jobs.forEach(j -> {
            if (!stages.contains(j.stage)) {
                stages.add(j.stage);
            }
        });
        Map<String, Object> attributes = obj("id", pipeline.id, "iid", pipeline.iid, "name", null,
                "ref", pipeline.ref, "tag", false, "sha", pipeline.sha, "before_sha", pipeline.beforeSha,
                "source", pipeline.source, "status", pipeline.status, "detailed_status", pipeline.status,
                "stages", stages, "created_at", hookTime(pipeline.createdAt), "finished_at", hookTime(pipeline.finishedAt),
                "duration", views.pipeline(pipeline).get("duration"), "queued_duration", null,
                "variables", variables, "url", views.projectUrl(project) + "/-/pipelines/" + pipeline.id,
                "protected_ref", false);
        CommitInfo commit = git.commit(project.id, pipeline.sha).orElse(null);
        List<Map<String, Object>> builds = new ArrayList<>();
        for (Job job : pipeline.jobs) {
            builds.add(obj("id", job.id, "stage", job.stage, "name", job.name, "status", job.status,
                    "created_at", hookTime(pipeline.createdAt), "started_at", hookTime(pipeline.startedAt),
                    "finished_at", hookTime(pipeline.finishedAt), "duration", null, "queued_duration", null,
                    "failure_reason", job.failureReason, "when", "on_success",
                    "manual", false, "allow_failure", false, "user", user(store.users.get(pipeline.userId)),
                    "runner", null, "artifacts_file", obj("filename", null, "size", null), "environment", null));
        }
        return obj("object_kind", "pipeline", "object_attributes", attributes, "merge_request", null,
                "user", user(store.users.get(pipeline.userId)), "project", project(project),
                "commit", commit == null ? null : commit(project, commit), "source_pipeline", null,
                "builds", builds, "jobs", builds);
    }

    /** A Job Hook ({@code object_kind} {@code build}, as current GitLab sends it). */
    public Map<String, Object> job(Pipeline pipeline, Job job) {
        Project project = store.projects.get(pipeline.projectId);
        CommitInfo commit = git.commit(project.id, pipeline.sha).orElse(null);
        User user = store.users.get(pipeline.userId);
        Map<String, Object> projectJson = project(project);
        return obj("object_kind", "build", "ref", pipeline.ref, "tag", false, "before_sha", pipeline.beforeSha,
                "sha", pipeline.sha, "retries_count", 0, "build_id", job.id, "build_name", job.name,
                "build_stage", job.stage, "build_status", job.status,
                "build_created_at", hookTime(pipeline.createdAt), "build_started_at", hookTime(pipeline.startedAt),
                "build_finished_at", hookTime(pipeline.finishedAt),
                "build_duration", views.pipeline(pipeline).get("duration"), "build_queued_duration", null,
                "build_allow_failure", false,
                "build_failure_reason", job.failureReason == null ? "unknown_failure" : job.failureReason,
                "pipeline_id", pipeline.id, "project_id", project.id,
                "project_name", access.namespaceName(project.namespaceId) + " / " + project.name,
                "user", user(user),
                "commit", obj("id", pipeline.id, "sha", pipeline.sha,
                        "message", commit == null ? null : commit.message(),
                        "author_name", commit == null ? null : commit.authorName(),
                        "author_email", commit == null ? null : commit.authorEmail(), "author_url", null,
                        "status", pipeline.status, "duration", views.pipeline(pipeline).get("duration"),
                        "started_at", hookTime(pipeline.startedAt), "finished_at", hookTime(pipeline.finishedAt)),
                "repository", obj("name", project.name, "url", projectJson.get("url"),
                        "description", project.description, "homepage", projectJson.get("homepage"),
                        "git_http_url", projectJson.get("git_http_url"), "git_ssh_url", projectJson.get("git_ssh_url"),
                        "visibility_level", visibilityLevel(project)),
                "project", projectJson, "environment", null, "runner", null);
    }

    public Map<String, Object> push(Project project, User actor, String branch, String before, String after,
            List<CommitInfo> commits) {
        List<Map<String, Object>> commitJson = new ArrayList<>();
        for (CommitInfo commit : commits) {
            Map<String, Object> c = commit(project, commit);
            c.put("added", List.of());
            c.put("modified", List.of());
            c.put("removed", List.of());
            commitJson.add(c);
        }
        return obj("object_kind", "push", "event_name", "push", "before", before, "after", after,
                "ref", "refs/heads/" + branch, "ref_protected", false, "checkout_sha", after, "message", null,
                "user_id", actor.id, "user_name", actor.name, "user_username", actor.username,
                "user_email", actor.email, "user_avatar", views.userBasic(actor).get("avatar_url"),
                "project_id", project.id, "project", project(project), "commits", commitJson,
                "total_commits_count", commits.size(), "push_options", obj(), "repository", obj(
                        "name", project.name, "url", views.project(project, null).get("ssh_url_to_repo"),
                        "description", project.description, "homepage", views.projectUrl(project),
                        "git_http_url", views.projectUrl(project) + ".git",
                        "git_ssh_url", views.project(project, null).get("ssh_url_to_repo"),
                        "visibility_level", visibilityLevel(project)));
    }

    // ---- parts

    public Map<String, Object> user(User user) {
        if (user == null) {
            return null;
        }
        return obj("id", user.id, "name", user.name, "username", user.username,
                "avatar_url", views.userBasic(user).get("avatar_url"), "email", "[REDACTED]");
    }

    private List<Map<String, Object>> hookUsers(List<Long> ids) {
        List<Map<String, Object>> result = new ArrayList<>();
        ids.forEach(id -> store.user(id).ifPresent(u -> result.add(user(u))));
        return result;
    }

    public Map<String, Object> project(Project project) {
        Map<String, Object> api = views.project(project, null);
        String web = views.projectUrl(project);
        return obj("id", project.id, "name", project.name, "description", project.description, "web_url", web,
                "avatar_url", null, "git_ssh_url", api.get("ssh_url_to_repo"), "git_http_url", web + ".git",
                "namespace", access.namespaceName(project.namespaceId), "visibility_level", visibilityLevel(project),
                "path_with_namespace", access.fullPath(project), "default_branch", project.defaultBranch,
                "ci_config_path", null, "homepage", web, "url", api.get("ssh_url_to_repo"),
                "ssh_url", api.get("ssh_url_to_repo"), "http_url", web + ".git");
    }

    private Map<String, Object> repository(Project project) {
        String web = views.projectUrl(project);
        return obj("name", project.name, "url", views.project(project, null).get("ssh_url_to_repo"),
                "description", project.description, "homepage", web);
    }

    private static int visibilityLevel(Project project) {
        return switch (project.visibility) {
            case "public" -> 20;
            case "internal" -> 10;
            default -> 0;
        };
    }

    public List<Map<String, Object>> labels(Project project, List<String> titles) {
        List<Map<String, Object>> result = new ArrayList<>();
        for (String title : titles) {
            result.add(obj("id", (long) Math.abs((project.id + ":" + title).hashCode()), "title", title,
                    "color", "#6699cc", "project_id", project.id, "created_at", hookTime(project.createdAt),
                    "updated_at", hookTime(project.createdAt), "template", false, "description", null,
                    "type", "ProjectLabel", "group_id", null));
        }
        return result;
    }

    private Map<String, Object> noteAttributes(Note note, String action) {
        Project project = store.projects.get(note.projectId);
        String target = "Issue".equals(note.noteableType) ? "/-/issues/" : "/-/merge_requests/";
        String commitId = null;
        if ("MergeRequest".equals(note.noteableType)) {
            MergeRequest mr = store.mergeRequests.get(note.noteableId);
            commitId = git.branchHead(project.id, mr.sourceBranch).orElse(null);
        }
        Map<String, Object> position = note.position == null ? null : views.position(note.position);
        return obj("attachment", null, "author_id", note.authorId, "change_position", null, "commit_id", commitId,
                "created_at", hookTime(note.createdAt), "discussion_id", note.discussionId, "id", note.id,
                "line_code", note.position == null ? null : DiffPositions.lineCode(note.position), "note", note.body,
                "noteable_id", note.noteableId, "noteable_type", note.noteableType, "original_position", position,
                "position", position, "project_id", note.projectId, "resolved_at", null, "resolved_by_id", null,
                "resolved_on_push", null, "st_diff", null, "system", note.system, "type", note.type,
                "updated_at", hookTime(note.updatedAt), "updated_by_id", null, "internal", note.internal,
                "confidential", note.internal, "description", note.body, "action", action,
                "url", views.projectUrl(project) + target + note.noteableIid + "#note_" + note.id);
    }

    private Map<String, Object> issueAttributes(Issue issue) {
        Project project = store.projects.get(issue.projectId);
        return obj("author_id", issue.authorId, "closed_at", hookTime(issue.closedAt),
                "confidential", issue.confidential, "created_at", hookTime(issue.createdAt),
                "description", issue.description, "discussion_locked", issue.discussionLocked ? true : null,
                "due_date", null, "id", issue.id, "iid", issue.iid, "last_edited_at", null,
                "last_edited_by_id", null, "milestone_id", null, "moved_to_id", null, "duplicated_to_id", null,
                "project_id", issue.projectId, "relative_position", null, "position", 0,
                "state_id", "opened".equals(issue.state) ? 1 : 2, "time_estimate", 0, "title", issue.title,
                "updated_at", hookTime(issue.updatedAt), "updated_by_id", issue.updatedById, "type", "Issue",
                "url", views.projectUrl(project) + "/-/issues/" + issue.iid, "total_time_spent", 0,
                "time_change", 0, "human_total_time_spent", null, "human_time_change", null,
                "human_time_estimate", null, "assignee_ids", issue.assigneeIds,
                "assignee_id", issue.assigneeIds.isEmpty() ? null : issue.assigneeIds.get(0),
                "labels", labels(project, issue.labels), "state", issue.state, "severity", "unknown",
                "weight", null, "health_status", null, "customer_relations_contacts", List.of());
    }

    private Map<String, Object> mergeRequestAttributes(MergeRequest mr) {
        Project project = store.projects.get(mr.projectId);
        Map<String, Object> api = views.mergeRequest(mr);
        String head = (String) api.get("sha");
        CommitInfo last = head == null ? null : git.commit(project.id, head).orElse(null);
        Map<String, Object> projectJson = project(project);
        return obj("assignee_id", mr.assigneeIds.isEmpty() ? null : mr.assigneeIds.get(0),
                "author_id", mr.authorId, "created_at", hookTime(mr.createdAt), "description", mr.description,
                "draft", mr.draft(), "head_pipeline_id", null, "id", mr.id, "iid", mr.iid, "last_edited_at", null,
                "last_edited_by_id", null, "merge_commit_sha", null, "merge_error", null,
                "merge_params", obj("force_remove_source_branch", mr.removeSourceBranch ? "1" : "0"),
                "merge_status", "can_be_merged", "merge_user_id", null, "merge_when_pipeline_succeeds", false,
                "milestone_id", null, "source_branch", mr.sourceBranch, "source_project_id", mr.projectId,
                "state_id", switch (mr.state) {
                    case "closed" -> 2;
                    case "merged" -> 3;
                    case "locked" -> 4;
                    default -> 1;
                }, "target_branch", mr.targetBranch, "target_project_id", mr.projectId, "time_estimate", 0,
                "title", mr.title, "updated_at", hookTime(mr.updatedAt), "updated_by_id", mr.updatedById,
                "prepared_at", hookTime(mr.createdAt), "assignee_ids", mr.assigneeIds, "blocking_discussions_resolved", true,
                "detailed_merge_status", "mergeable", "first_contribution", false, "human_time_change", null,
                "human_time_estimate", null, "human_total_time_spent", null, "labels", labels(project, mr.labels),
                "last_commit", last == null ? null : commit(project, last), "reviewer_ids", mr.reviewerIds,
                "source", projectJson, "state", mr.state, "target", projectJson, "time_change", 0,
                "total_time_spent", 0, "url", views.projectUrl(project) + "/-/merge_requests/" + mr.iid,
                "work_in_progress", mr.draft(), "approval_rules", List.of(), "position", 0,
                "assignee", mr.assigneeIds.isEmpty() ? null : store.user(mr.assigneeIds.get(0)).map(this::user).orElse(null));
    }

    private Map<String, Object> commit(Project project, CommitInfo commit) {
        return obj("id", commit.id(), "message", commit.message(), "title", commit.title(),
                "timestamp", commit.committedDate().toString(), "url", views.projectUrl(project) + "/-/commit/" + commit.id(),
                "author", obj("name", commit.authorName(), "email", commit.authorEmail()));
    }

    /** {@code {"previous": ..., "current": ...}}. */
    public static Map<String, Object> change(Object previous, Object current) {
        return obj("previous", previous, "current", current);
    }

    public Map<String, Object> userChange(List<Long> previous, List<Long> current) {
        return change(hookUsers(previous), hookUsers(current));
    }

    public Map<String, Object> labelChange(Project project, List<String> previous, List<String> current) {
        return change(labels(project, previous), labels(project, current));
    }

    public String instance() {
        return url.base();
    }
}
