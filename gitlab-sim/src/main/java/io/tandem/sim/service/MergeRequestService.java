package io.tandem.sim.service;

import io.tandem.sim.repository.GitRepositories;
import io.tandem.sim.repository.MergeRequest;
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
import java.util.Objects;

/** Merge requests within one project; every write fires a Merge Request Hook. */
@ApplicationScoped
public class MergeRequestService {

    private final SimStore store;
    private final AccessPolicy access;
    private final GitRepositories git;
    private final HookService hooks;
    private final HookPayloads payloads;

    public MergeRequestService(SimStore store, AccessPolicy access, GitRepositories git, HookService hooks,
            HookPayloads payloads) {
        this.store = store;
        this.access = access;
        this.git = git;
        this.hooks = hooks;
        this.payloads = payloads;
    }

    public MergeRequest create(User caller, Project project, ApiParams params) {
        String source = params.required("source_branch");
        String target = params.required("target_branch");
        String title = params.required("title");
        if (source.equals(target)) {
            throw ApiError.badRequest(List.of("You can't use same project/branch for source and target"));
        }
        if (git.branchHead(project.id, source).isEmpty()) {
            throw ApiError.badRequest(List.of("Source branch \"" + source + "\" does not exist"));
        }
        if (git.branchHead(project.id, target).isEmpty()) {
            throw ApiError.badRequest(List.of("Target branch \"" + target + "\" does not exist"));
        }
        synchronized (store) {
            store.mergeRequests.values().stream()
                    .filter(m -> m.projectId == project.id && "opened".equals(m.state)
                            && m.sourceBranch.equals(source) && m.targetBranch.equals(target))
                    .findFirst().ifPresent(m -> {
                        throw ApiError.conflict(List.of("Another open merge request already exists for this source branch: !" + m.iid));
                    });
            MergeRequest mr = new MergeRequest();
            mr.id = store.nextMergeRequestId();
            mr.iid = project.mergeRequestIids.incrementAndGet();
            mr.projectId = project.id;
            mr.title = title;
            mr.description = params.string("description");
            mr.sourceBranch = source;
            mr.targetBranch = target;
            mr.authorId = caller.id;
            mr.assigneeIds = ids(params, "assignee_ids", "assignee_id", List.of());
            mr.reviewerIds = ids(params, "reviewer_ids", null, List.of());
            List<String> labels = params.strings("labels");
            mr.labels = labels == null ? new ArrayList<>() : new ArrayList<>(labels);
            mr.removeSourceBranch = params.bool("remove_source_branch", false);
            mr.squash = params.bool("squash", false);
            if (params.bool("draft", false) && !mr.draft()) {
                mr.title = "Draft: " + mr.title;
            }
            mr.createdAt = Instant.now();
            mr.updatedAt = mr.createdAt;
            store.mergeRequests.put(mr.id, mr);
            project.lastActivityAt = mr.createdAt;
            hooks.fire(project, "merge_requests_events", "Merge Request Hook",
                    payloads.mergeRequest(mr, caller, "open", new LinkedHashMap<>()));
            return mr;
        }
    }

    private List<Long> ids(ApiParams params, String listName, String singleName, List<Long> fallback) {
        List<Long> ids = params.ids(listName);
        if (ids == null && singleName != null && params.has(singleName)) {
            Long single = params.longValue(singleName);
            ids = single == null || single == 0 ? List.of() : List.of(single);
        }
        if (ids == null) {
            return new ArrayList<>(fallback);
        }
        for (Long id : ids) {
            store.user(id).orElseThrow(() -> ApiError.notFound("User"));
        }
        return new ArrayList<>(ids);
    }

    public MergeRequest get(Project project, long iid) {
        return store.mergeRequests.values().stream().filter(m -> m.projectId == project.id && m.iid == iid)
                .findFirst().orElseThrow(() -> ApiError.notFound());
    }

    public List<MergeRequest> list(Project project, ApiParams params) {
        String state = params.string("state", "all");
        String source = params.string("source_branch");
        String target = params.string("target_branch");
        Long authorId = params.longValue("author_id");
        Long assigneeId = params.longValue("assignee_id");
        Long reviewerId = params.longValue("reviewer_id");
        List<String> labels = params.strings("labels");
        List<Long> iids = params.ids("iids");
        boolean ascending = "asc".equals(params.string("sort"));
        Comparator<MergeRequest> order = Comparator.comparing((MergeRequest m) -> m.createdAt).thenComparingLong(m -> m.id);
        return SimStore.sorted(store.mergeRequests.values(), m -> m.projectId == project.id
                && ("all".equals(state) || m.state.equals(state))
                && (source == null || m.sourceBranch.equals(source))
                && (target == null || m.targetBranch.equals(target))
                && (authorId == null || m.authorId == authorId)
                && (assigneeId == null || m.assigneeIds.contains(assigneeId))
                && (reviewerId == null || m.reviewerIds.contains(reviewerId))
                && (labels == null || m.labels.containsAll(labels))
                && (iids == null || iids.isEmpty() || iids.contains(m.iid)),
                ascending ? order : order.reversed());
    }

    public MergeRequest update(User caller, Project project, MergeRequest mr, ApiParams params) {
        if (access.effectiveProjectLevel(caller, project) < AccessLevels.DEVELOPER && mr.authorId != caller.id) {
            throw ApiError.forbidden();
        }
        synchronized (store) {
            Map<String, Object> changes = new LinkedHashMap<>();
            String action = "update";
            if (params.has("title") && !params.required("title").equals(mr.title)) {
                changes.put("title", HookPayloads.change(mr.title, params.string("title")));
                if (mr.draft() != io.tandem.sim.repository.DraftTitles.isDraft(params.string("title"))) {
                    changes.put("draft", HookPayloads.change(mr.draft(), !mr.draft()));
                }
                mr.title = params.string("title");
            }
            if (params.has("description") && !Objects.equals(params.string("description"), mr.description)) {
                changes.put("description", HookPayloads.change(mr.description, params.string("description")));
                mr.description = params.string("description");
            }
            if (params.has("target_branch") && !params.string("target_branch").equals(mr.targetBranch)) {
                if (git.branchHead(project.id, params.string("target_branch")).isEmpty()) {
                    throw ApiError.badRequest(List.of("Target branch \"" + params.string("target_branch") + "\" does not exist"));
                }
                changes.put("target_branch", HookPayloads.change(mr.targetBranch, params.string("target_branch")));
                mr.targetBranch = params.string("target_branch");
            }
            List<Long> assignees = ids(params, "assignee_ids", "assignee_id", mr.assigneeIds);
            if (!assignees.equals(mr.assigneeIds)) {
                changes.put("assignees", payloads.userChange(mr.assigneeIds, assignees));
                mr.assigneeIds = assignees;
            }
            List<Long> reviewers = ids(params, "reviewer_ids", null, mr.reviewerIds);
            if (!reviewers.equals(mr.reviewerIds)) {
                changes.put("reviewers", payloads.userChange(mr.reviewerIds, reviewers));
                mr.reviewerIds = reviewers;
            }
            List<String> labels = IssueService.labels(params, mr.labels);
            if (!labels.equals(mr.labels)) {
                changes.put("labels", payloads.labelChange(project, mr.labels, labels));
                mr.labels = labels;
            }
            String stateEvent = params.string("state_event");
            Instant now = Instant.now();
            if ("close".equals(stateEvent) && "opened".equals(mr.state)) {
                changes.put("state_id", HookPayloads.change(1, 2));
                mr.state = "closed";
                mr.closedAt = now;
                mr.closedById = caller.id;
                action = "close";
            } else if ("reopen".equals(stateEvent) && "closed".equals(mr.state)) {
                changes.put("state_id", HookPayloads.change(2, 1));
                mr.state = "opened";
                mr.closedAt = null;
                mr.closedById = null;
                action = "reopen";
            } else if (stateEvent != null && !"close".equals(stateEvent) && !"reopen".equals(stateEvent)) {
                throw ApiError.badParam("state_event does not have a valid value");
            }
            if (!changes.isEmpty()) {
                changes.put("updated_at", HookPayloads.change(Json.hookTime(mr.updatedAt), Json.hookTime(now)));
                changes.put("updated_by_id", HookPayloads.change(mr.updatedById, caller.id));
                mr.updatedAt = now;
                mr.updatedById = caller.id;
                project.lastActivityAt = now;
                hooks.fire(project, "merge_requests_events", "Merge Request Hook",
                        payloads.mergeRequest(mr, caller, action, changes));
            }
            return mr;
        }
    }
}
