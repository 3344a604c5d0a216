package io.tandem.sim.service;

import static io.tandem.sim.service.Json.obj;
import static io.tandem.sim.service.Json.time;

import io.tandem.sim.repository.AccessToken;
import io.tandem.sim.repository.Epic;
import io.tandem.sim.repository.CommitInfo;
import io.tandem.sim.repository.FileDiff;
import io.tandem.sim.repository.GitRepositories;
import io.tandem.sim.repository.Group;
import io.tandem.sim.repository.Hook;
import io.tandem.sim.repository.Issue;
import io.tandem.sim.repository.Job;
import io.tandem.sim.repository.Member;
import io.tandem.sim.repository.MergeRequest;
import io.tandem.sim.repository.Note;
import io.tandem.sim.repository.NotePosition;
import io.tandem.sim.repository.Pipeline;
import io.tandem.sim.repository.PipelineVariable;
import io.tandem.sim.repository.Project;
import io.tandem.sim.repository.SimStore;
import io.tandem.sim.repository.User;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The REST API's JSON for each entity, with GitLab's field names (GitLab's "entities"). */
@ApplicationScoped
public class EntityViews {

    private final SimStore store;
    private final InstanceUrl url;
    private final AccessPolicy access;
    private final GitRepositories git;

    public EntityViews(SimStore store, InstanceUrl url, AccessPolicy access, GitRepositories git) {
        this.store = store;
        this.url = url;
        this.access = access;
        this.git = git;
    }

    // ---- users

    public Map<String, Object> userBasic(User user) {
        if (user == null) {
            return null;
        }
        return obj("id", user.id, "username", user.username, "public_email", null, "name", user.name,
                "state", user.state, "locked", false, "avatar_url", avatar(user),
                "web_url", url.base() + "/" + user.username);
    }

    public Map<String, Object> userBasic(long userId) {
        return store.user(userId).map(this::userBasic).orElse(null);
    }

    /** {@code GET /users/:id}; private fields for admins and the user itself. */
    public Map<String, Object> user(User user, User viewer) {
        Map<String, Object> json = userBasic(user);
        json.put("created_at", time(user.createdAt));
        json.put("bio", "");
        json.put("location", "");
        json.put("linkedin", "");
        json.put("twitter", "");
        json.put("discord", "");
        json.put("website_url", "");
        json.put("organization", "");
        json.put("job_title", "");
        json.put("pronouns", null);
        json.put("bot", user.bot);
        json.put("work_information", null);
        json.put("followers", 0);
        json.put("following", 0);
        json.put("local_time", null);
        boolean self = viewer != null && viewer.id == user.id;
        boolean admin = viewer != null && viewer.admin;
        if (self || admin) {
            json.put("last_sign_in_at", null);
            json.put("confirmed_at", time(user.createdAt));
            json.put("last_activity_on", null);
            json.put("email", user.email);
            json.put("theme_id", 1);
            json.put("color_scheme_id", 1);
            json.put("projects_limit", 100000);
            json.put("current_sign_in_at", null);
            json.put("identities", List.of());
            json.put("can_create_group", user.canCreateGroup);
            json.put("can_create_project", !user.bot);
            json.put("two_factor_enabled", false);
            json.put("external", false);
            json.put("private_profile", false);
            json.put("commit_email", user.email);
        }
        if (admin || (self && user.admin)) {
            json.put("is_admin", user.admin);
            json.put("note", null);
            json.put("namespace_id", user.namespaceId);
            json.put("created_by", null);
            json.put("email_reset_offered_at", null);
            json.put("using_license_seat", !user.bot);
            json.put("is_auditor", false);
        }
        return json;
    }

    private String avatar(User user) {
        return "https://www.gravatar.com/avatar/" + Integer.toHexString(user.username.hashCode()) + "?s=80&d=identicon";
    }

    public Map<String, Object> token(AccessToken token, boolean withSecret) {
        Map<String, Object> json = obj("id", token.id, "name", token.name, "revoked", token.revoked,
                "created_at", time(token.createdAt), "description", token.description, "scopes", token.scopes,
                "user_id", token.userId, "last_used_at", time(token.lastUsedAt),
                "active", token.active(java.time.LocalDate.now(java.time.ZoneOffset.UTC)),
                "expires_at", Json.date(token.expiresAt));
        if (withSecret) {
            json.put("token", token.token);
        }
        return json;
    }

    public Map<String, Object> member(User user, Member member) {
        Map<String, Object> json = userBasic(user);
        json.put("access_level", member.accessLevel);
        json.put("created_at", time(member.createdAt));
        json.put("created_by", member.createdById == null ? null : userBasic(member.createdById));
        json.put("expires_at", Json.date(member.expiresAt));
        json.put("group_saml_identity", null);
        json.put("membership_state", "active");
        return json;
    }

    // ---- namespaces

    public Map<String, Object> group(Group group) {
        return obj("id", group.id, "web_url", url.base() + "/groups/" + group.fullPath, "name", group.name,
                "path", group.path, "description", group.description, "visibility", group.visibility,
                "share_with_group_lock", false, "require_two_factor_authentication", false,
                "two_factor_grace_period", 48, "project_creation_level", "developer",
                "auto_devops_enabled", null, "subgroup_creation_level", "maintainer", "emails_disabled", false,
                "emails_enabled", true, "mentions_disabled", null, "lfs_enabled", true,
                "default_branch", null, "default_branch_protection", 2, "avatar_url", null,
                "request_access_enabled", true, "full_name", group.fullName, "full_path", group.fullPath,
                "created_at", time(group.createdAt), "parent_id", group.parentId, "organization_id", 1,
                "shared_runners_setting", "enabled", "ldap_cn", null, "ldap_access", null, "marked_for_deletion_on", null);
    }

    public String groupUrl(Group group) {
        return url.base() + "/groups/" + group.fullPath;
    }

    public Map<String, Object> epic(Epic epic) {
        Group group = store.groups.get(epic.groupId);
        String api = url.base() + "/api/v4/groups/" + group.id;
        return obj("id", epic.id, "iid", epic.iid, "group_id", epic.groupId, "parent_id", null, "parent_iid", null,
                "title", epic.title, "description", epic.description, "confidential", epic.confidential,
                "state", epic.state, "web_url", groupUrl(group) + "/-/epics/" + epic.iid,
                "reference", "&" + epic.iid, "references", obj("short", "&" + epic.iid, "relative", "&" + epic.iid,
                        "full", group.fullPath + "&" + epic.iid),
                "author", userBasic(epic.authorId), "start_date", null, "start_date_is_fixed", false,
                "end_date", null, "due_date", null, "due_date_is_fixed", false, "created_at", time(epic.createdAt),
                "updated_at", time(epic.updatedAt), "closed_at", null, "labels", epic.labels, "upvotes", 0,
                "downvotes", 0, "color", "#1068bf", "_links", obj("self", api + "/epics/" + epic.iid,
                        "epic_issues", api + "/epics/" + epic.iid + "/issues", "group", api, "parent", null));
    }

    public Map<String, Object> namespace(long namespaceId) {
        Group group = store.groups.get(namespaceId);
        if (group != null) {
            return obj("id", group.id, "name", group.name, "path", group.path, "kind", "group",
                    "full_path", group.fullPath, "parent_id", group.parentId, "avatar_url", null,
                    "web_url", url.base() + "/groups/" + group.fullPath);
        }
        User user = store.userByNamespace(namespaceId).orElse(null);
        return obj("id", namespaceId, "name", user == null ? null : user.name,
                "path", user == null ? null : user.username, "kind", "user",
                "full_path", user == null ? null : user.username, "parent_id", null,
                "avatar_url", user == null ? null : avatar(user), "web_url", user == null ? null : url.base() + "/" + user.username);
    }

    // ---- projects

    public String projectUrl(Project project) {
        return url.base() + "/" + access.fullPath(project);
    }

    public Map<String, Object> project(Project project, User viewer) {
        String fullPath = access.fullPath(project);
        String web = url.base() + "/" + fullPath;
        String host = url.base().replaceFirst("^https?://", "").replaceFirst(":\\d+$", "");
        Map<String, Object> json = obj("id", project.id, "description", project.description, "name", project.name,
                "name_with_namespace", access.namespaceName(project.namespaceId) + " / " + project.name,
                "path", project.path, "path_with_namespace", fullPath, "created_at", time(project.createdAt),
                "default_branch", project.defaultBranch, "tag_list", List.of(), "topics", List.of(),
                "ssh_url_to_repo", "git@" + host + ":" + fullPath + ".git",
                "http_url_to_repo", web + ".git", "web_url", web,
                "readme_url", web + "/-/blob/" + project.defaultBranch + "/README.md", "forks_count", 0,
                "avatar_url", null, "star_count", 0, "last_activity_at", time(project.lastActivityAt),
                "visibility", project.visibility, "namespace", namespace(project.namespaceId),
                "container_registry_image_prefix", host + "/" + fullPath, "_links", obj(
                        "self", url.base() + "/api/v4/projects/" + project.id,
                        "issues", url.base() + "/api/v4/projects/" + project.id + "/issues",
                        "merge_requests", url.base() + "/api/v4/projects/" + project.id + "/merge_requests",
                        "repo_branches", url.base() + "/api/v4/projects/" + project.id + "/repository/branches",
                        "labels", url.base() + "/api/v4/projects/" + project.id + "/labels",
                        "events", url.base() + "/api/v4/projects/" + project.id + "/events",
                        "members", url.base() + "/api/v4/projects/" + project.id + "/members",
                        "cluster_agents", url.base() + "/api/v4/projects/" + project.id + "/cluster_agents"),
                "empty_repo", false, "archived", false, "resolve_outdated_diff_discussions", false,
                "issues_enabled", true, "merge_requests_enabled", true, "wiki_enabled", true, "jobs_enabled", true,
                "snippets_enabled", true, "container_registry_enabled", true, "issues_access_level", "enabled",
                "repository_access_level", "enabled", "merge_requests_access_level", "enabled",
                "builds_access_level", "enabled", "creator_id", project.creatorId, "import_status", "none",
                "open_issues_count", store.issues.values().stream()
                        .filter(i -> i.projectId == project.id && "opened".equals(i.state)).count(),
                "ci_default_git_depth", 20, "ci_config_path", null, "public_jobs", true,
                "shared_runners_enabled", true, "only_allow_merge_if_pipeline_succeeds", false,
                "request_access_enabled", true, "merge_method", "merge", "squash_option", "default_off",
                "auto_devops_enabled", false, "lfs_enabled", true);
        if (viewer != null) {
            Member direct = project.members.get(viewer.id);
            int groupLevel = access.inheritedGroupMember(viewer.id, project.namespaceId).map(m -> m.accessLevel).orElse(0);
            json.put("permissions", obj(
                    "project_access", direct == null ? null : obj("access_level", direct.accessLevel, "notification_level", 3),
                    "group_access", groupLevel == 0 ? null : obj("access_level", groupLevel, "notification_level", 3)));
        }
        return json;
    }

    public Map<String, Object> hook(Hook hook) {
        Map<String, Object> json = obj("id", hook.id, "url", hook.url, "name", hook.name,
                "description", hook.description, "created_at", time(hook.createdAt));
        if (hook.projectId != null) {
            json.put("project_id", hook.projectId);
        } else {
            json.put("group_id", hook.groupId);
        }
        for (String flag : HookService.EVENT_FLAGS) {
            json.put(flag, hook.subscribed(flag));
        }
        json.put("enable_ssl_verification", hook.enableSslVerification);
        json.put("alert_status", "executable");
        json.put("disabled_until", null);
        json.put("url_variables", List.of());
        json.put("push_events_branch_filter", null);
        json.put("branch_filter_strategy", "wildcard");
        json.put("custom_webhook_template", null);
        json.put("custom_headers", List.of());
        return json;
    }

    // ---- issues, merge requests, notes

    public Map<String, Object> issue(Issue issue) {
        Project project = store.projects.get(issue.projectId);
        String fullPath = access.fullPath(project);
        List<Map<String, Object>> assignees = users(issue.assigneeIds);
        return obj("id", issue.id, "iid", issue.iid, "project_id", issue.projectId, "title", issue.title,
                "description", issue.description, "state", issue.state, "created_at", time(issue.createdAt),
                "updated_at", time(issue.updatedAt), "closed_at", time(issue.closedAt),
                "closed_by", issue.closedById == null ? null : userBasic(issue.closedById),
                "labels", issue.labels, "milestone", null, "assignees", assignees,
                "author", userBasic(issue.authorId), "type", "ISSUE",
                "assignee", assignees.isEmpty() ? null : assignees.get(0), "user_notes_count", notesCount("Issue", issue.id),
                "merge_requests_count", 0, "upvotes", 0, "downvotes", 0, "due_date", null,
                "confidential", issue.confidential, "discussion_locked", issue.discussionLocked ? true : null,
                "issue_type", "issue", "web_url", projectUrl(project) + "/-/issues/" + issue.iid,
                "time_stats", obj("time_estimate", 0, "total_time_spent", 0, "human_time_estimate", null,
                        "human_total_time_spent", null),
                "task_completion_status", obj("count", 0, "completed_count", 0), "blocking_issues_count", 0,
                "has_tasks", false, "_links", obj(
                        "self", url.base() + "/api/v4/projects/" + project.id + "/issues/" + issue.iid,
                        "notes", url.base() + "/api/v4/projects/" + project.id + "/issues/" + issue.iid + "/notes",
                        "award_emoji", url.base() + "/api/v4/projects/" + project.id + "/issues/" + issue.iid + "/award_emoji",
                        "project", url.base() + "/api/v4/projects/" + project.id,
                        "closed_as_duplicate_of", null),
                "references", obj("short", "#" + issue.iid, "relative", "#" + issue.iid, "full", fullPath + "#" + issue.iid),
                "severity", "UNKNOWN", "moved_to_id", null, "imported", false, "imported_from", "none",
                "service_desk_reply_to", null);
    }

    public Map<String, Object> mergeRequest(MergeRequest mr) {
        Project project = store.projects.get(mr.projectId);
        String fullPath = access.fullPath(project);
        List<Map<String, Object>> assignees = users(mr.assigneeIds);
        String head = git.branchHead(project.id, mr.sourceBranch).orElse(null);
        String start = git.branchHead(project.id, mr.targetBranch).orElse(null);
        String base = head != null && start != null ? git.mergeBase(project.id, start, head).orElse(start) : start;
        return obj("id", mr.id, "iid", mr.iid, "project_id", mr.projectId, "title", mr.title,
                "description", mr.description, "state", mr.state, "created_at", time(mr.createdAt),
                "updated_at", time(mr.updatedAt), "merged_by", null, "merge_user", null, "merged_at", null,
                "closed_by", mr.closedById == null ? null : userBasic(mr.closedById), "closed_at", time(mr.closedAt),
                "target_branch", mr.targetBranch, "source_branch", mr.sourceBranch,
                "user_notes_count", notesCount("MergeRequest", mr.id), "upvotes", 0, "downvotes", 0,
                "author", userBasic(mr.authorId), "assignees", assignees,
                "assignee", assignees.isEmpty() ? null : assignees.get(0), "reviewers", users(mr.reviewerIds),
                "source_project_id", mr.projectId, "target_project_id", mr.projectId, "labels", mr.labels,
                "draft", mr.draft(), "imported", false, "imported_from", "none", "work_in_progress", mr.draft(),
                "milestone", null, "merge_when_pipeline_succeeds", false, "merge_status", "can_be_merged",
                "detailed_merge_status", "mergeable", "sha", head, "merge_commit_sha", null,
                "squash_commit_sha", null, "discussion_locked", null, "should_remove_source_branch", null,
                "force_remove_source_branch", mr.removeSourceBranch, "prepared_at", time(mr.createdAt),
                "reference", "!" + mr.iid, "references", obj("short", "!" + mr.iid, "relative", "!" + mr.iid,
                        "full", fullPath + "!" + mr.iid),
                "web_url", projectUrl(project) + "/-/merge_requests/" + mr.iid,
                "time_stats", obj("time_estimate", 0, "total_time_spent", 0, "human_time_estimate", null,
                        "human_total_time_spent", null),
                "squash", mr.squash, "squash_on_merge", mr.squash,
                "task_completion_status", obj("count", 0, "completed_count", 0), "has_conflicts", false,
                "blocking_discussions_resolved", true, "subscribed", false, "changes_count", null,
                "latest_build_started_at", null, "latest_build_finished_at", null, "first_deployed_to_production_at", null,
                "pipeline", null, "head_pipeline", null,
                "diff_refs", obj("base_sha", base, "head_sha", head, "start_sha", start),
                "merge_error", null, "first_contribution", false, "user", obj("can_merge", true));
    }

    public Map<String, Object> note(Note note) {
        boolean resolvable = "MergeRequest".equals(note.noteableType) && note.type != null;
        Map<String, Object> json = obj("id", note.id, "type", note.type, "body", note.body,
                "author", userBasic(note.authorId), "created_at", time(note.createdAt),
                "updated_at", time(note.updatedAt), "system", note.system, "noteable_id", note.noteableId,
                "noteable_type", note.noteableType, "project_id", note.groupId == null ? note.projectId : null,
                "resolvable", resolvable, "confidential", note.internal, "internal", note.internal,
                "imported", false, "imported_from", "none", "noteable_iid", note.noteableIid,
                "commands_changes", obj());
        if (resolvable) {
            json.put("resolved", false);
            json.put("resolved_by", null);
            json.put("resolved_at", null);
        }
        if (note.position != null) {
            json.put("position", position(note.position));
        }
        return json;
    }

    /** GitLab's discussion entity: a thread id and its notes. */
    public Map<String, Object> discussion(List<Note> thread) {
        List<Map<String, Object>> notes = new ArrayList<>();
        thread.forEach(n -> notes.add(note(n)));
        return obj("id", thread.get(0).discussionId, "individual_note", thread.get(0).type == null, "notes", notes);
    }

    public Map<String, Object> position(NotePosition position) {
        return obj("base_sha", position.baseSha(), "start_sha", position.startSha(), "head_sha", position.headSha(),
                "old_path", position.oldPath() != null ? position.oldPath() : position.newPath(),
                "new_path", position.newPath() != null ? position.newPath() : position.oldPath(),
                "position_type", position.positionType(), "old_line", position.oldLine(),
                "new_line", position.newLine(), "line_range", null);
    }

    private long notesCount(String type, long id) {
        return store.notes.values().stream()
                .filter(n -> n.noteableType.equals(type) && n.noteableId == id && !n.system).count();
    }

    public List<Map<String, Object>> users(List<Long> ids) {
        List<Map<String, Object>> result = new ArrayList<>();
        for (Long id : ids) {
            Map<String, Object> user = userBasic(id);
            if (user != null) {
                result.add(user);
            }
        }
        return result;
    }

    // ---- repository

    public Map<String, Object> commit(Project project, CommitInfo commit) {
        return obj("id", commit.id(), "short_id", commit.shortId(), "created_at", time(commit.committedDate()),
                "parent_ids", commit.parentIds(), "title", commit.title(), "message", commit.message(),
                "author_name", commit.authorName(), "author_email", commit.authorEmail(),
                "authored_date", time(commit.authoredDate()), "committer_name", commit.committerName(),
                "committer_email", commit.committerEmail(), "committed_date", time(commit.committedDate()),
                "trailers", obj(), "extended_trailers", obj(),
                "web_url", projectUrl(project) + "/-/commit/" + commit.id());
    }

    public Map<String, Object> diff(FileDiff diff) {
        return obj("diff", diff.diff(), "new_path", diff.newPath(), "old_path", diff.oldPath(),
                "a_mode", diff.aMode(), "b_mode", diff.bMode(), "new_file", diff.newFile(),
                "renamed_file", diff.renamedFile(), "deleted_file", diff.deletedFile(), "generated_file", false,
                "collapsed", false, "too_large", false);
    }

    public Map<String, Object> branch(Project project, String name, CommitInfo commit) {
        return obj("name", name, "commit", commit(project, commit), "merged", false, "protected", false,
                "developers_can_push", false, "developers_can_merge", false, "can_push", true,
                "default", name.equals(project.defaultBranch),
                "web_url", projectUrl(project) + "/-/tree/" + name);
    }

    // ---- pipelines

    public Map<String, Object> pipelineBasic(Pipeline pipeline) {
        Project project = store.projects.get(pipeline.projectId);
        return obj("id", pipeline.id, "iid", pipeline.iid, "project_id", pipeline.projectId, "sha", pipeline.sha,
                "ref", pipeline.ref, "status", pipeline.status, "source", pipeline.source,
                "created_at", time(pipeline.createdAt), "updated_at", time(pipeline.updatedAt),
                "web_url", projectUrl(project) + "/-/pipelines/" + pipeline.id, "name", null);
    }

    public Map<String, Object> pipeline(Pipeline pipeline) {
        Map<String, Object> json = pipelineBasic(pipeline);
        json.put("before_sha", pipeline.beforeSha);
        json.put("tag", false);
        json.put("yaml_errors", null);
        json.put("user", userBasic(pipeline.userId));
        json.put("started_at", time(pipeline.startedAt));
        json.put("finished_at", time(pipeline.finishedAt));
        json.put("committed_at", null);
        json.put("duration", duration(pipeline));
        json.put("queued_duration", null);
        json.put("coverage", null);
        json.put("archived", false);
        json.put("detailed_status", obj("icon", "status_" + pipeline.status, "text", pipeline.status,
                "label", pipeline.status, "group", pipeline.status, "tooltip", pipeline.status, "has_details", true,
                "details_path", "/" + access.fullPath(store.projects.get(pipeline.projectId)) + "/-/pipelines/" + pipeline.id,
                "illustration", null, "favicon", "/assets/ci_favicons/favicon_status_" + pipeline.status + ".png"));
        return json;
    }

    public Map<String, Object> variable(PipelineVariable variable) {
        return obj("variable_type", variable.variableType(), "key", variable.key(), "value", variable.value(),
                "raw", false);
    }

    public Map<String, Object> job(Pipeline pipeline, Job job) {
        Project project = store.projects.get(pipeline.projectId);
        CommitInfo commit = git.commit(project.id, pipeline.sha).orElse(null);
        Map<String, Object> json = obj("id", job.id, "status", job.status, "stage", job.stage, "name", job.name,
                "ref", pipeline.ref,
                "failure_reason", job.failureReason,
                "tag", false, "coverage", null, "allow_failure", false, "created_at", time(pipeline.createdAt),
                "started_at", time(pipeline.startedAt), "finished_at", time(pipeline.finishedAt),
                "erased_at", null, "duration", duration(pipeline), "queued_duration", null,
                "user", userBasic(pipeline.userId), "commit", commit == null ? null : commit(project, commit),
                "pipeline", pipelineBasic(pipeline), "web_url", projectUrl(project) + "/-/jobs/" + job.id,
                "project", obj("ci_job_token_scope_enabled", false), "artifacts", artifacts(job),
                "runner", null, "runner_manager", null, "artifacts_expire_at", null, "archived", false,
                "tag_list", List.of());
        if (!job.artifacts.isEmpty()) {
            json.put("artifacts_file", obj("filename", "artifacts.zip", "size", JobArtifactService.archiveSize(job)));
        }
        return json;
    }

    private static List<Map<String, Object>> artifacts(Job job) {
        if (job.artifacts.isEmpty()) {
            return List.of();
        }
        return List.of(obj("file_type", "archive", "size", JobArtifactService.archiveSize(job),
                "filename", "artifacts.zip", "file_format", "zip"));
    }

    private static Double duration(Pipeline pipeline) {
        if (pipeline.startedAt == null || pipeline.finishedAt == null) {
            return null;
        }
        return Duration.between(pipeline.startedAt, pipeline.finishedAt).toMillis() / 1000.0;
    }
}
