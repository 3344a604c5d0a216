package io.tandem.sim.service;

import io.tandem.sim.repository.FileDiff;
import io.tandem.sim.repository.GitDiffs;
import io.tandem.sim.repository.GitRepositories;
import io.tandem.sim.repository.MergeRequest;
import io.tandem.sim.repository.Project;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Merge request changes and the repository compare API, computed by Git from the branches as they are now. */
@ApplicationScoped
public class DiffService {

    private final GitRepositories git;
    private final GitDiffs diffs;
    private final EntityViews views;

    public DiffService(GitRepositories git, GitDiffs diffs, EntityViews views) {
        this.git = git;
        this.diffs = diffs;
        this.views = views;
    }

    /** The merge request's diff: from the merge base ({@code diff_refs.base_sha}) to the source head. */
    public List<FileDiff> mergeRequestDiffs(MergeRequest mr) {
        String head = git.branchHead(mr.projectId, mr.sourceBranch).orElse(null);
        String target = git.branchHead(mr.projectId, mr.targetBranch).orElse(null);
        if (head == null || target == null) {
            return List.of();
        }
        String base = git.mergeBase(mr.projectId, target, head).orElse(target);
        return diffs.diff(mr.projectId, base, head);
    }

    /** GET /merge_requests/:iid/changes: the merge request with {@code changes} and {@code overflow}. */
    public Map<String, Object> changes(MergeRequest mr) {
        Map<String, Object> json = views.mergeRequest(mr);
        List<Map<String, Object>> changes = new ArrayList<>();
        mergeRequestDiffs(mr).forEach(d -> changes.add(views.diff(d)));
        json.put("changes", changes);
        json.put("changes_count", String.valueOf(changes.size()));
        json.put("overflow", false);
        return json;
    }

    /**
     * GET /repository/compare: {@code straight=false} (the default) diffs from the merge base, as
     * {@code from...to}; {@code straight=true} diffs the two commits directly.
     */
    public Map<String, Object> compare(Project project, String fromRef, String toRef, boolean straight) {
        String from = git.resolve(project.id, fromRef).orElseThrow(() -> ApiError.notFound("Ref"));
        String to = git.resolve(project.id, toRef).orElseThrow(() -> ApiError.notFound("Ref"));
        String start = straight ? from : git.mergeBase(project.id, from, to).orElse(from);
        List<Map<String, Object>> commits = new ArrayList<>();
        diffs.commitsBetween(project.id, from, to).forEach(c -> commits.add(views.commit(project, c)));
        List<Map<String, Object>> fileDiffs = new ArrayList<>();
        diffs.diff(project.id, start, to).forEach(d -> fileDiffs.add(views.diff(d)));
        return Json.obj("commit", commits.isEmpty() ? null : commits.get(commits.size() - 1), "commits", commits,
                "diffs", fileDiffs, "compare_timeout", false, "compare_same_ref", from.equals(to),
                "web_url", views.projectUrl(project) + "/-/compare/" + fromRef + (straight ? ".." : "...") + toRef);
    }
}
