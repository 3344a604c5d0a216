package io.tandem.sim.service;

import io.tandem.sim.repository.CommitInfo;
import io.tandem.sim.repository.FileChange;
import io.tandem.sim.repository.GitRepositories;
import io.tandem.sim.repository.Project;
import io.tandem.sim.repository.User;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Branches, commits and files of a project's Git repository; writes fire a Push Hook. */
@ApplicationScoped
public class RepositoryService {

    private static final String ZERO = "0000000000000000000000000000000000000000";

    private final GitRepositories git;
    private final HookService hooks;
    private final HookPayloads payloads;

    public RepositoryService(GitRepositories git, HookService hooks, HookPayloads payloads) {
        this.git = git;
        this.hooks = hooks;
        this.payloads = payloads;
    }

    public CommitInfo createBranch(User caller, Project project, ApiParams params) {
        String branch = params.required("branch");
        String ref = params.required("ref");
        if (!git.isValidBranchName(branch)) {
            throw ApiError.badRequest("Branch name is invalid");
        }
        String sha = git.resolve(project.id, ref).orElseThrow(() -> ApiError.badRequest("Invalid reference name: " + ref));
        if (!git.createBranch(project.id, branch, sha)) {
            throw ApiError.badRequest("Branch already exists");
        }
        CommitInfo commit = git.commit(project.id, sha).orElseThrow();
        hooks.fire(project, "push_events", "Push Hook", payloads.push(project, caller, branch, ZERO, sha, List.of()));
        return commit;
    }

    public void deleteBranch(User caller, Project project, String branch) {
        if (branch.equals(project.defaultBranch)) {
            throw ApiError.badRequest("Cannot remove HEAD branch");
        }
        String before = git.branchHead(project.id, branch).orElseThrow(() -> ApiError.notFound("Branch"));
        git.deleteBranch(project.id, branch);
        hooks.fire(project, "push_events", "Push Hook", payloads.push(project, caller, branch, before, ZERO, List.of()));
    }

    public CommitInfo branch(Project project, String branch) {
        String sha = git.branchHead(project.id, branch).orElseThrow(() -> ApiError.notFound("Branch"));
        return git.commit(project.id, sha).orElseThrow();
    }

    /**
     * GitLab's {@code POST /repository/commits}: commits the actions on {@code branch}, creating it from
     * {@code start_branch} or {@code start_sha} in the same call.
     */
    public CommitInfo commit(User caller, Project project, ApiParams params) {
        String branch = params.required("branch");
        String message = params.required("commit_message");
        List<Map<String, Object>> actions = params.objects("actions");
        if (actions == null || actions.isEmpty()) {
            throw ApiError.missing("actions");
        }
        if (!git.isValidBranchName(branch)) {
            throw ApiError.badRequest("Branch name is invalid");
        }
        String startBranch = params.string("start_branch");
        String startSha = params.string("start_sha");
        Optional<String> current = git.branchHead(project.id, branch);
        String parent;
        if (current.isPresent()) {
            if ((startBranch != null && !startBranch.equals(branch)) || startSha != null) {
                throw ApiError.badRequest("A branch called '" + branch + "' already exists. Switch to that branch in order to make changes");
            }
            parent = current.get();
        } else if (startSha != null) {
            parent = git.resolve(project.id, startSha).orElseThrow(() -> ApiError.badRequest("Invalid start sha: " + startSha));
        } else if (startBranch != null) {
            parent = git.branchHead(project.id, startBranch)
                    .orElseThrow(() -> ApiError.badRequest("Invalid reference name: " + startBranch));
        } else {
            throw ApiError.badRequest("You can only create or edit files when you are on a branch");
        }
        List<FileChange> changes = new ArrayList<>();
        for (Map<String, Object> action : actions) {
            changes.add(change(action));
        }
        Instant now = Instant.now();
        String authorName = params.string("author_name", caller.name);
        String authorEmail = params.string("author_email", caller.email);
        CommitInfo commit;
        try {
            commit = git.commit(project.id, branch, parent, current.orElse(null), changes, message,
                    GitRepositories.ident(authorName, authorEmail, now),
                    GitRepositories.ident(caller.name, caller.email, now));
        } catch (GitRepositories.CommitRejected e) {
            throw ApiError.badRequest(e.getMessage());
        }
        project.lastActivityAt = now;
        hooks.fire(project, "push_events", "Push Hook",
                payloads.push(project, caller, branch, current.orElse(ZERO), commit.id(), List.of(commit)));
        return commit;
    }

    private static FileChange change(Map<String, Object> action) {
        String type = string(action, "action");
        String path = string(action, "file_path");
        if (type == null) {
            throw ApiError.missing("actions[action]");
        }
        if (path == null || path.isBlank()) {
            throw ApiError.missing("actions[file_path]");
        }
        path = path.startsWith("/") ? path.substring(1) : path;
        if (path.contains("..") || path.isEmpty()) {
            throw ApiError.badRequest("Your changes could not be committed, because the file path is invalid");
        }
        String content = string(action, "content");
        byte[] bytes = null;
        if (content != null) {
            bytes = "base64".equals(string(action, "encoding"))
                    ? Base64.getMimeDecoder().decode(content)
                    : content.getBytes(StandardCharsets.UTF_8);
        }
        if (("create".equals(type) || "update".equals(type)) && bytes == null) {
            bytes = new byte[0];
        }
        String previous = string(action, "previous_path");
        if ("move".equals(type) && previous == null) {
            throw ApiError.missing("actions[previous_path]");
        }
        Object executable = action.get("execute_filemode");
        return new FileChange(type, path, previous, bytes,
                executable == null ? null : Boolean.valueOf(executable.toString()));
    }

    private static String string(Map<String, Object> map, String key) {
        Object value = map.get(key);
        return value == null ? null : value.toString();
    }
}
