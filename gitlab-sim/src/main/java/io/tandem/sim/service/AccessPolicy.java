package io.tandem.sim.service;

import io.tandem.sim.repository.Group;
import io.tandem.sim.repository.Member;
import io.tandem.sim.repository.Project;
import io.tandem.sim.repository.SimStore;
import io.tandem.sim.repository.User;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Looks up projects and groups by id or full path and decides access as GitLab does: a project inherits
 * the members of its group and of the group's ancestors; the highest level wins; admins may do anything.
 * What a caller may not see answers 404, what it sees but may not change 403.
 */
@ApplicationScoped
public class AccessPolicy {

    private final SimStore store;

    public AccessPolicy(SimStore store) {
        this.store = store;
    }

    // ---- lookups

    public Optional<Project> findProject(String idOrPath) {
        if (idOrPath == null) {
            return Optional.empty();
        }
        if (idOrPath.chars().allMatch(Character::isDigit) && !idOrPath.isEmpty()) {
            return Optional.ofNullable(store.projects.get(Long.parseLong(idOrPath)));
        }
        return store.projects.values().stream().filter(p -> fullPath(p).equalsIgnoreCase(idOrPath)).findFirst();
    }

    public Optional<Group> findGroup(String idOrPath) {
        if (idOrPath == null || idOrPath.isEmpty()) {
            return Optional.empty();
        }
        if (idOrPath.chars().allMatch(Character::isDigit)) {
            return Optional.ofNullable(store.groups.get(Long.parseLong(idOrPath)));
        }
        return store.groupByFullPath(idOrPath);
    }

    /** The project if the caller may see it, else 404. */
    public Project readableProject(User caller, String idOrPath) {
        Project project = findProject(idOrPath).orElseThrow(() -> ApiError.notFound("Project"));
        if (!canRead(caller, project)) {
            throw ApiError.notFound("Project");
        }
        return project;
    }

    /** The project if the caller has at least {@code level} in it; 404 if invisible, 403 if too low. */
    public Project project(User caller, String idOrPath, int level) {
        Project project = readableProject(caller, idOrPath);
        require(caller, project, level);
        return project;
    }

    public Group readableGroup(User caller, String idOrPath) {
        Group group = findGroup(idOrPath).orElseThrow(() -> ApiError.notFound("Group"));
        if (!canRead(caller, group)) {
            throw ApiError.notFound("Group");
        }
        return group;
    }

    public Group group(User caller, String idOrPath, int level) {
        Group group = readableGroup(caller, idOrPath);
        if (!caller.admin && groupAccess(caller.id, group) < level) {
            throw ApiError.forbidden();
        }
        return group;
    }

    // ---- decisions

    public void require(User caller, Project project, int level) {
        if (!caller.admin && effectiveProjectLevel(caller, project) < level) {
            throw ApiError.forbidden();
        }
    }

    /** Level for permission checks: members' level, or Guest on public and internal projects. */
    public int effectiveProjectLevel(User caller, Project project) {
        if (caller.admin) {
            return AccessLevels.OWNER;
        }
        int level = projectAccess(caller.id, project);
        if (level < AccessLevels.GUEST && !"private".equals(project.visibility) && !caller.bot) {
            return AccessLevels.GUEST;
        }
        return level;
    }

    public boolean canRead(User caller, Project project) {
        return caller.admin || !"private".equals(project.visibility)
                || projectAccess(caller.id, project) >= AccessLevels.GUEST;
    }

    public boolean canRead(User caller, Group group) {
        if (caller.admin || !"private".equals(group.visibility) || groupAccess(caller.id, group) >= AccessLevels.MINIMAL) {
            return true;
        }
        // members of a project or subgroup below a private group may see it
        return store.projects.values().stream()
                .filter(p -> groupChain(p.namespaceId).stream().anyMatch(g -> g.id == group.id))
                .anyMatch(p -> p.members.containsKey(caller.id))
                || store.groups.values().stream()
                        .filter(g -> groupChain(g.id).stream().anyMatch(a -> a.id == group.id))
                        .anyMatch(g -> active(store.groupMembers(g.id).get(caller.id)) != null);
    }

    /** Highest level from direct project membership and the group ancestry; 0 if none. */
    public int projectAccess(long userId, Project project) {
        Optional<Member> member = inheritedProjectMember(userId, project);
        return member.map(m -> m.accessLevel).orElse(AccessLevels.NONE);
    }

    public Optional<Member> inheritedProjectMember(long userId, Project project) {
        Member best = active(project.members.get(userId));
        Optional<Member> fromGroups = inheritedGroupMember(userId, project.namespaceId);
        if (fromGroups.isPresent() && (best == null || fromGroups.get().accessLevel > best.accessLevel)) {
            best = fromGroups.get();
        }
        if (best == null) {
            // the owner of a personal namespace owns its projects
            Optional<Member> owner = store.userByNamespace(project.namespaceId)
                    .filter(u -> u.id == userId)
                    .map(u -> ownerMember(u.id, project.createdAt));
            return owner;
        }
        return Optional.of(best);
    }

    public int groupAccess(long userId, Group group) {
        return inheritedGroupMember(userId, group.id).map(m -> m.accessLevel).orElse(AccessLevels.NONE);
    }

    public Optional<Member> inheritedGroupMember(long userId, long namespaceId) {
        Member best = null;
        for (Group group : groupChain(namespaceId)) {
            Member member = active(store.groupMembers(group.id).get(userId));
            if (member != null && (best == null || member.accessLevel > best.accessLevel)) {
                best = member;
            }
        }
        return Optional.ofNullable(best);
    }

    /** The group with this namespace id and its ancestors, nearest first; empty for a personal namespace. */
    public List<Group> groupChain(long namespaceId) {
        List<Group> chain = new ArrayList<>();
        Group group = store.groups.get(namespaceId);
        while (group != null && chain.size() < 32) {
            chain.add(group);
            group = group.parentId == null ? null : store.groups.get(group.parentId);
        }
        return chain;
    }

    public Group rootGroup(Group group) {
        List<Group> chain = groupChain(group.id);
        return chain.get(chain.size() - 1);
    }

    // ---- paths

    public String namespaceFullPath(long namespaceId) {
        Group group = store.groups.get(namespaceId);
        if (group != null) {
            return group.fullPath;
        }
        return store.userByNamespace(namespaceId).map(u -> u.username).orElse("unknown");
    }

    public String namespaceName(long namespaceId) {
        Group group = store.groups.get(namespaceId);
        if (group != null) {
            return group.fullName;
        }
        return store.userByNamespace(namespaceId).map(u -> u.name).orElse("unknown");
    }

    public String fullPath(Project project) {
        return namespaceFullPath(project.namespaceId) + "/" + project.path;
    }

    private static Member active(Member member) {
        if (member == null || (member.expiresAt != null && !member.expiresAt.isAfter(LocalDate.now(ZoneOffset.UTC)))) {
            return null;
        }
        return member;
    }

    private static Member ownerMember(long userId, java.time.Instant since) {
        Member member = new Member();
        member.userId = userId;
        member.accessLevel = AccessLevels.OWNER;
        member.createdAt = since;
        return member;
    }
}
