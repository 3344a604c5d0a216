package io.tandem.identity.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which GitLab REST calls (paths under {@code /api/v4}) a run may make, and with what role. Anything outside the
 * run's project is refused, except a few reads about the caller itself and the instance. Deny by default:
 * a write this class does not know needs Developer, and settings-like sub-resources need Maintainer.
 */
@ApplicationScoped
public class GitlabCallPolicy {

    private static final Set<String> READS_OUTSIDE_PROJECT = Set.of("user", "version", "metadata", "users");
    /** Sub-resources GitLab lets only Maintainers (or Owners) change. */
    private static final Set<String> MAINTAINER_WRITES = Set.of("members", "hooks", "protected_branches",
            "protected_tags", "protected_environments", "variables", "deploy_keys", "deploy_tokens", "integrations",
            "services", "access_tokens", "share", "transfer", "archive", "unarchive", "badges", "push_rule",
            "remote_mirrors", "approval_rules", "approvals", "export", "import", "mirror", "pages",
            "pipeline_schedules", "triggers", "runners", "clusters", "feature_flags_user_lists", "invitations");
    /** Writes that would create or change things outside the run's project or beyond its branches. */
    private static final Set<String> REFUSED_WRITES = Set.of("fork", "repository_storage_moves", "star", "unstar");

    public ApiCall classify(String method, String rawApiPath, RunContext run) {
        boolean write = !("GET".equals(method) || "HEAD".equals(method));
        List<String> segments = segments(rawApiPath);
        if (segments.isEmpty()) {
            throw ProxyRefusal.forbidden("this path is outside the run's project");
        }
        if (!"projects".equals(segments.get(0))) {
            if (!write && segments.size() <= 2 && READS_OUTSIDE_PROJECT.contains(segments.get(0))) {
                return new ApiCall(false, AccessLevels.NONE, List.of(), List.of(), ApiCall.BodyCheck.NONE);
            }
            throw ProxyRefusal.forbidden("the run may only use the API of its project " + run.projectPath());
        }
        if (segments.size() < 2 || !isRunProject(segments.get(1), run)) {
            throw ProxyRefusal.forbidden("the run may only use the API of its project " + run.projectPath());
        }
        List<String> rest = segments.subList(2, segments.size());
        if (!write) {
            return new ApiCall(false, AccessLevels.REPORTER, List.of(), List.of(), ApiCall.BodyCheck.NONE);
        }
        return classifyWrite(method, rest);
    }

    private ApiCall classifyWrite(String method, List<String> rest) {
        if (rest.isEmpty()) {
            int level = "DELETE".equals(method) ? AccessLevels.OWNER : AccessLevels.MAINTAINER;
            return new ApiCall(true, level, List.of(), List.of(), ApiCall.BodyCheck.NONE);
        }
        String resource = rest.get(0);
        if (REFUSED_WRITES.contains(resource)) {
            throw ProxyRefusal.forbidden("a run may not " + resource + " its project");
        }
        if (MAINTAINER_WRITES.contains(resource)) {
            return new ApiCall(true, AccessLevels.MAINTAINER, List.of(), List.of(), ApiCall.BodyCheck.NONE);
        }
        if ("merge_requests".equals(resource) && rest.size() >= 3 && "merge".equals(rest.get(2))) {
            throw ProxyRefusal.forbidden("a run may not merge: that writes the target branch");
        }
        if ("repository".equals(resource) && rest.size() >= 2) {
            return classifyRepositoryWrite(method, rest.subList(1, rest.size()));
        }
        return developer(List.of(), List.of(), ApiCall.BodyCheck.NONE);
    }

    private ApiCall classifyRepositoryWrite(String method, List<String> repo) {
        String kind = repo.get(0);
        switch (kind) {
            case "branches":
                if (repo.size() == 1) {
                    return developer(List.of(), List.of(), ApiCall.BodyCheck.BRANCH);
                }
                return developer(List.of(String.join("/", repo.subList(1, repo.size()))), List.of(), ApiCall.BodyCheck.NONE);
            case "commits":
                if (repo.size() == 1) {
                    return developer(List.of(), List.of(), ApiCall.BodyCheck.COMMIT);
                }
                // cherry_pick, revert: they write the branch they are given.
                return developer(List.of(), List.of(), ApiCall.BodyCheck.BRANCH);
            case "files":
                if (repo.size() < 2) {
                    throw ProxyRefusal.forbidden("no file named");
                }
                return developer(List.of(), List.of(String.join("/", repo.subList(1, repo.size()))), ApiCall.BodyCheck.BRANCH);
            case "submodules":
                return developer(List.of(), List.of(), ApiCall.BodyCheck.BRANCH);
            default:
                // Tags and anything else that moves refs: the run may write only its branches.
                throw ProxyRefusal.forbidden("a run may write only its branches, not repository/" + kind);
        }
    }

    private static ApiCall developer(List<String> branches, List<String> files, ApiCall.BodyCheck body) {
        return new ApiCall(true, AccessLevels.DEVELOPER, branches, files, body);
    }

    /** GitLab names a project by its id or its URL-encoded full path; both count. */
    private static boolean isRunProject(String id, RunContext run) {
        return id.equals(String.valueOf(run.projectId()))
                || (run.projectPath() != null && id.toLowerCase(Locale.ROOT).equals(run.projectPath().toLowerCase(Locale.ROOT)));
    }

    /** Decoded path segments; a dot segment or an empty one could make GitLab see a different path: refused. */
    static List<String> segments(String rawApiPath) {
        String trimmed = rawApiPath.startsWith("/") ? rawApiPath.substring(1) : rawApiPath;
        if (trimmed.isEmpty()) {
            return List.of();
        }
        List<String> segments = Arrays.stream(trimmed.split("/", -1))
                .map(segment -> URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8)).toList();
        for (String segment : segments) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..") || segment.contains("%")
                    || segment.contains("/..") || segment.startsWith("../")) {
                throw ProxyRefusal.forbidden("this path is not accepted by the proxy");
            }
        }
        return segments;
    }
}
