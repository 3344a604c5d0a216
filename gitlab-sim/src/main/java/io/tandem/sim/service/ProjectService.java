package io.tandem.sim.service;

import io.tandem.sim.repository.GitRepositories;
import io.tandem.sim.repository.Group;
import io.tandem.sim.repository.Member;
import io.tandem.sim.repository.Project;
import io.tandem.sim.repository.SimStore;
import io.tandem.sim.repository.User;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Projects: creation (with an initial commit so that branches can start from it). */
@ApplicationScoped
public class ProjectService {

    private final SimStore store;
    private final AccessPolicy access;
    private final GitRepositories git;

    public ProjectService(SimStore store, AccessPolicy access, GitRepositories git) {
        this.store = store;
        this.access = access;
        this.git = git;
    }

    public Project create(User caller, ApiParams params) {
        String name = params.string("name");
        String path = params.string("path");
        if ((name == null || name.isBlank()) && (path == null || path.isBlank())) {
            throw ApiError.badParam("name, path are missing, at least one parameter must be provided");
        }
        if (path == null || path.isBlank()) {
            path = name.trim().toLowerCase().replaceAll("[^a-z0-9_.]+", "-").replaceAll("^-+|-+$", "");
        }
        if (name == null || name.isBlank()) {
            name = path;
        }
        if (!path.matches("[A-Za-z0-9_][A-Za-z0-9_.\\-]*") || path.endsWith(".git") || path.endsWith(".")) {
            throw ApiError.badRequest(Map.of("path", List.of(
                    "can contain only letters, digits, '_', '-' and '.'. Cannot start with '-', end in '.', '.git' or '.atom'.")));
        }
        Long namespaceId = params.longValue("namespace_id");
        String defaultBranch = params.string("default_branch", "main");
        if (!git.isValidBranchName(defaultBranch)) {
            throw ApiError.badRequest("Invalid default branch name");
        }
        synchronized (store) {
            long namespace = namespaceId == null ? caller.namespaceId : namespaceId;
            Group group = store.groups.get(namespace);
            if (group != null) {
                if (!caller.admin && access.groupAccess(caller.id, group) < AccessLevels.DEVELOPER) {
                    throw access.canRead(caller, group) ? ApiError.forbidden() : ApiError.notFound("Namespace");
                }
            } else {
                User owner = store.userByNamespace(namespace).orElseThrow(() -> ApiError.notFound("Namespace"));
                if (owner.id != caller.id && !caller.admin) {
                    throw ApiError.notFound("Namespace");
                }
            }
            String fullPath = access.namespaceFullPath(namespace) + "/" + path;
            String finalName = name;
            boolean taken = store.projects.values().stream().anyMatch(p -> p.namespaceId == namespace
                    && (access.fullPath(p).equalsIgnoreCase(fullPath) || p.name.equalsIgnoreCase(finalName)));
            if (taken) {
                throw ApiError.badRequest(Map.of("name", List.of("has already been taken"),
                        "path", List.of("has already been taken")));
            }
            Project project = new Project();
            project.id = store.nextProjectId();
            project.name = name;
            project.path = path;
            project.namespaceId = namespace;
            project.description = params.string("description", "");
            project.defaultBranch = defaultBranch;
            project.visibility = params.string("visibility", "private");
            project.creatorId = caller.id;
            project.createdAt = Instant.now();
            project.lastActivityAt = project.createdAt;
            addCreator(project, caller, group);
            git.init(project.id, defaultBranch, "# " + name + "\n",
                    GitRepositories.ident(caller.name, caller.email, project.createdAt));
            store.projects.put(project.id, project);
            return project;
        }
    }

    /** As GitLab: Owner in a personal namespace; Maintainer in a group unless the group already grants more. */
    private void addCreator(Project project, User caller, Group group) {
        int inherited = group == null ? 0 : access.groupAccess(caller.id, group);
        if (group != null && inherited >= AccessLevels.MAINTAINER) {
            return;
        }
        Member member = new Member();
        member.userId = caller.id;
        member.accessLevel = group == null ? AccessLevels.OWNER : AccessLevels.MAINTAINER;
        member.createdAt = project.createdAt;
        member.createdById = caller.id;
        project.members.put(caller.id, member);
    }
}
