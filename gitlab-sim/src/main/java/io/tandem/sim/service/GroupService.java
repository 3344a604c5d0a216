package io.tandem.sim.service;

import io.tandem.sim.repository.Group;
import io.tandem.sim.repository.Member;
import io.tandem.sim.repository.SimStore;
import io.tandem.sim.repository.User;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;

/** Groups and subgroups. */
@ApplicationScoped
public class GroupService {

    private final SimStore store;
    private final AccessPolicy access;
    private final MemberService members;

    public GroupService(SimStore store, AccessPolicy access, MemberService members) {
        this.store = store;
        this.access = access;
        this.members = members;
    }

    public Group create(User caller, ApiParams params) {
        String name = params.string("name");
        String path = params.string("path");
        if ((name == null || name.isBlank()) && (path == null || path.isBlank())) {
            throw ApiError.badParam("name, path are missing");
        }
        if (name == null || name.isBlank()) {
            throw ApiError.missing("name");
        }
        if (path == null || path.isBlank()) {
            throw ApiError.missing("path");
        }
        if (!path.matches("[A-Za-z0-9_][A-Za-z0-9_.\\-]*") || path.endsWith(".git") || path.endsWith(".")) {
            throw ApiError.badRequest(Map.of("path", java.util.List.of(
                    "can contain only letters, digits, '_', '-' and '.'. Cannot start with '-', end in '.', '.git' or '.atom'.")));
        }
        Long parentId = params.longValue("parent_id");
        synchronized (store) {
            Group parent = null;
            if (parentId != null) {
                parent = access.findGroup(parentId.toString()).orElseThrow(() -> ApiError.notFound("Parent Group"));
                if (!caller.admin && access.groupAccess(caller.id, parent) < AccessLevels.MAINTAINER) {
                    throw ApiError.forbidden();
                }
            } else if (!caller.admin && !caller.canCreateGroup) {
                throw ApiError.forbidden();
            }
            String fullPath = parent == null ? path : parent.fullPath + "/" + path;
            if (store.groupByFullPath(fullPath).isPresent()
                    || (parent == null && store.userByUsername(path).isPresent())) {
                throw ApiError.badRequest("Failed to save group {:path=>[\"has already been taken\"]}");
            }
            Group group = new Group();
            group.id = store.nextNamespaceId();
            group.name = name;
            group.path = path;
            group.parentId = parent == null ? null : parent.id;
            group.fullPath = fullPath;
            group.fullName = parent == null ? name : parent.fullName + " / " + name;
            group.description = params.string("description", "");
            group.visibility = params.string("visibility", parent == null ? "private" : parent.visibility);
            group.createdAt = Instant.now();
            store.groups.put(group.id, group);
            // GitLab makes the creator an Owner of the new group
            Member owner = new Member();
            owner.userId = caller.id;
            owner.accessLevel = AccessLevels.OWNER;
            owner.createdAt = group.createdAt;
            owner.createdById = caller.id;
            members.put(store.groupMembers(group.id), owner);
            return group;
        }
    }
}
