package io.tandem.matcher.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.tandem.matcher.client.GitlabClient;
import io.tandem.matcher.client.GitlabGroup;
import io.tandem.matcher.client.GitlabProject;
import io.tandem.matcher.client.IdentityService;
import io.tandem.matcher.messaging.AuditPublisher;
import io.tandem.matcher.repository.Agent;
import io.tandem.matcher.repository.GroupEnablement;
import io.tandem.matcher.repository.GroupEnablementRepository;
import io.tandem.matcher.repository.ProjectEnablement;
import io.tandem.matcher.repository.ProjectEnablementRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Enables agents: first in a top-level group, which gets a service account for the agent, then in projects of
 * that group, which get the service account as a Developer member and the triggers that start the agent.
 */
@ApplicationScoped
public class EnablementService {

    private final AgentCatalog catalog;
    private final GroupEnablementRepository groupEnablements;
    private final ProjectEnablementRepository projectEnablements;
    private final AccessPolicy access;
    private final GitlabClient gitlab;
    private final IdentityService identity;
    private final AuditPublisher audit;

    public EnablementService(AgentCatalog catalog, GroupEnablementRepository groupEnablements,
            ProjectEnablementRepository projectEnablements, AccessPolicy access, GitlabClient gitlab,
            IdentityService identity, AuditPublisher audit) {
        this.catalog = catalog;
        this.groupEnablements = groupEnablements;
        this.projectEnablements = projectEnablements;
        this.access = access;
        this.gitlab = gitlab;
        this.identity = identity;
        this.audit = audit;
    }

    /** The outcome of an enable call; {@code created} is false when it was already enabled. */
    public record Enabled<T>(T enablement, boolean created) {
    }

    public Uni<Enabled<GroupEnablement>> enableInGroup(Caller caller, long groupId, long agentId) {
        return access.requireGroup(caller, groupId, AccessLevels.OWNER, "enabling an agent in a group")
                .chain(() -> topLevelGroup(groupId))
                .chain(group -> catalog.find(agentId)
                        .call(agent -> requireAvailableIn(agent, group))
                        .chain(agent -> Panache.withSession(() -> groupEnablements.find(agentId, groupId))
                                .chain(existing -> existing != null
                                        ? Uni.createFrom().item(new Enabled<>(existing, false))
                                        : createGroupEnablement(caller, agent, group))));
    }

    private Uni<Enabled<GroupEnablement>> createGroupEnablement(Caller caller, Agent agent, GitlabGroup group) {
        return identity.serviceAccount(group.id(), agent.name)
                .chain(account -> Panache.withTransaction(() -> groupEnablements.find(agent.id, group.id())
                        .chain(raced -> {
                            if (raced != null) {
                                return Uni.createFrom().item(new Enabled<>(raced, false));
                            }
                            GroupEnablement enablement = new GroupEnablement();
                            enablement.agentId = agent.id;
                            enablement.groupId = group.id();
                            enablement.serviceAccountId = account.id();
                            enablement.serviceAccountUsername = account.username();
                            enablement.enabledBy = caller.username();
                            enablement.createdAt = Instant.now();
                            return groupEnablements.persist(enablement).map(e -> new Enabled<>(e, true));
                        })))
                .call(enabled -> !enabled.created() ? Uni.createFrom().voidItem()
                        : audit.publish(AuditEvents.forGroup("agent.enabled", group.id(), caller,
                                enabled.enablement().serviceAccountUsername,
                                Map.of("scope", "group", "agentId", agent.id.toString(), "agentName", agent.name,
                                        "groupId", Long.toString(group.id())),
                                enabled.enablement().id.toString())));
    }

    /** Disables the agent in the group and in every project of it where it was enabled. */
    public Uni<Void> disableInGroup(Caller caller, long groupId, long agentId) {
        return access.requireGroup(caller, groupId, AccessLevels.OWNER, "disabling an agent in a group")
                .chain(() -> Panache.withSession(() -> groupEnablements.find(agentId, groupId)))
                .chain(group -> group == null ? Uni.createFrom().voidItem() : disable(caller, group));
    }

    private Uni<Void> disable(Caller caller, GroupEnablement group) {
        return Panache.withSession(() -> projectEnablements.listByAgentAndGroup(group.agentId, group.groupId))
                .call(projects -> removeFromProjects(group, projects))
                // project enablements go with it (foreign key, on delete cascade)
                .call(() -> Panache.withTransaction(() -> groupEnablements.deleteById(group.id)))
                .call(projects -> audit.publish(AuditEvents.forGroup("agent.disabled", group.groupId, caller,
                        group.serviceAccountUsername,
                        Map.of("scope", "group", "agentId", Long.toString(group.agentId),
                                "groupId", Long.toString(group.groupId),
                                "projects", Integer.toString(projects.size())),
                        group.id.toString())))
                .replaceWithVoid();
    }

    public Uni<Enabled<ProjectEnablement>> enableInProject(Caller caller, long projectId, long agentId,
            List<String> requestedTriggers, String definitionPath) {
        return access.requireProject(caller, projectId, AccessLevels.MAINTAINER, "enabling an agent in a project")
                .invoke(() -> RepositoryDefinitions.requireValidPath(definitionPath))
                .map(ignored -> Triggers.parse(requestedTriggers))
                .chain(triggers -> catalog.find(agentId)
                        .chain(agent -> gitlab.project(projectId)
                                .chain(project -> groupEnablementFor(agent, project))
                                .chain(group -> identity.addToProject(group.serviceAccountId, projectId)
                                        .chain(() -> saveProjectEnablement(caller, projectId, group, triggers,
                                                definitionPath))
                                        .call(enabled -> audit.publish(AuditEvents.forProject("agent.enabled",
                                                projectId, caller, group.serviceAccountUsername,
                                                Map.of("scope", "project", "agentId", agent.id.toString(),
                                                        "agentName", agent.name,
                                                        "triggers", enabled.enablement().triggers,
                                                        "definition", definitionPath == null ? "catalog"
                                                                : definitionPath),
                                                enabled.enablement().id.toString(),
                                                enabled.enablement().updatedAt.toString()))))));
    }

    private Uni<GroupEnablement> groupEnablementFor(Agent agent, GitlabProject project) {
        if (project.topLevelGroupId() == null) {
            return Uni.createFrom().failure(ApiException.badRequest("project " + project.id()
                    + " is not in a group; agents are enabled through the project's top-level group"));
        }
        long groupId = project.topLevelGroupId();
        return Panache.withSession(() -> groupEnablements.find(agent.id, groupId))
                .onItem().ifNull().failWith(() -> ApiException.conflict("agent '" + agent.name
                        + "' is not enabled in group " + groupId + ", the top-level group of project "
                        + project.pathWithNamespace() + "; an Owner of the group must enable it first"));
    }

    private Uni<Enabled<ProjectEnablement>> saveProjectEnablement(Caller caller, long projectId,
            GroupEnablement group, List<String> triggers, String definitionPath) {
        return Panache.withTransaction(() -> projectEnablements.find(group.agentId, projectId)
                .chain(existing -> {
                    Instant now = Instant.now();
                    if (existing != null) {
                        existing.triggerList(triggers);
                        existing.definitionPath = definitionPath;
                        existing.groupId = group.groupId;
                        existing.updatedAt = now;
                        return Uni.createFrom().item(new Enabled<>(existing, false));
                    }
                    ProjectEnablement enablement = new ProjectEnablement();
                    enablement.agentId = group.agentId;
                    enablement.projectId = projectId;
                    enablement.groupId = group.groupId;
                    enablement.triggerList(triggers);
                    enablement.definitionPath = definitionPath;
                    enablement.enabledBy = caller.username();
                    enablement.createdAt = now;
                    enablement.updatedAt = now;
                    return projectEnablements.persist(enablement).map(e -> new Enabled<>(e, true));
                }));
    }

    public Uni<Void> disableInProject(Caller caller, long projectId, long agentId) {
        return access.requireProject(caller, projectId, AccessLevels.MAINTAINER, "disabling an agent in a project")
                .chain(() -> Panache.withSession(() -> projectEnablements.find(agentId, projectId)
                        .chain(project -> project == null ? Uni.createFrom().<GroupEnablement>nullItem()
                                : groupEnablements.find(agentId, project.groupId))))
                .chain(group -> group == null
                        ? Panache.withTransaction(() -> projectEnablements.delete(
                                "agentId = ?1 and projectId = ?2", agentId, projectId)).replaceWithVoid()
                        : identity.removeFromProject(group.serviceAccountId, projectId)
                                .chain(() -> Panache.withTransaction(() -> projectEnablements.delete(
                                        "agentId = ?1 and projectId = ?2", agentId, projectId)))
                                .chain(deleted -> deleted == 0 ? Uni.createFrom().voidItem()
                                        : audit.publish(AuditEvents.forProject("agent.disabled", projectId, caller,
                                                group.serviceAccountUsername,
                                                Map.of("scope", "project", "agentId", Long.toString(agentId)),
                                                Long.toString(agentId), Instant.now().toString()))));
    }

    private Uni<GitlabGroup> topLevelGroup(long groupId) {
        return gitlab.group(groupId).invoke(group -> {
            if (!group.topLevel()) {
                throw ApiException.badRequest("group " + group.fullPath()
                        + " is a subgroup; agents are enabled in top-level groups");
            }
        });
    }

    /** A public agent can be enabled in any group; a private one only in its own project's top-level group. */
    private Uni<Void> requireAvailableIn(Agent agent, GitlabGroup group) {
        if (agent.isPublic()) {
            return Uni.createFrom().voidItem();
        }
        return gitlab.project(agent.projectId)
                .invoke(owner -> {
                    if (owner.topLevelGroupId() == null || owner.topLevelGroupId() != group.id()) {
                        throw AgentCatalog.notFound(agent.id);
                    }
                })
                .replaceWithVoid();
    }

    private Uni<Void> removeFromProjects(GroupEnablement group, List<ProjectEnablement> projects) {
        return Multi.createFrom().iterable(projects)
                .onItem().transformToUniAndConcatenate(p -> identity.removeFromProject(group.serviceAccountId,
                        p.projectId))
                .collect().last()
                .replaceWithVoid();
    }
}
