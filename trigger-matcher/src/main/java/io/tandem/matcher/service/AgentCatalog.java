package io.tandem.matcher.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.tandem.matcher.client.IdentityService;
import io.tandem.matcher.config.MatcherConfig;
import io.tandem.matcher.messaging.AuditPublisher;
import io.tandem.matcher.repository.Agent;
import io.tandem.matcher.repository.AgentRepository;
import io.tandem.matcher.repository.EnabledAgent;
import io.tandem.matcher.repository.GroupEnablementRepository;
import io.tandem.matcher.repository.ProjectEnablementRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The agent catalog: agents owned by projects, created and changed by their Maintainers. */
@ApplicationScoped
public class AgentCatalog {

    static final int MAX_NAME_LENGTH = 100;
    static final int MAX_DESCRIPTION_LENGTH = 2000;

    private final AgentRepository agents;
    private final GroupEnablementRepository groupEnablements;
    private final ProjectEnablementRepository projectEnablements;
    private final AccessPolicy access;
    private final IdentityService identity;
    private final AuditPublisher audit;
    private final AgentDefinitionParser parser;

    public AgentCatalog(AgentRepository agents, GroupEnablementRepository groupEnablements,
            ProjectEnablementRepository projectEnablements, AccessPolicy access, IdentityService identity,
            AuditPublisher audit, MatcherConfig config) {
        this.agents = agents;
        this.groupEnablements = groupEnablements;
        this.projectEnablements = projectEnablements;
        this.access = access;
        this.identity = identity;
        this.audit = audit;
        this.parser = new AgentDefinitionParser(config.definitionMaxBytes());
    }

    public Uni<Agent> create(Caller caller, long projectId, AgentDraft draft) {
        return access.requireProject(caller, projectId, AccessLevels.MAINTAINER, "creating an agent")
                .map(ignored -> validated(draft, null))
                .chain(valid -> Panache.withTransaction(() -> agents.nameTaken(projectId, valid.name(), null)
                        .chain(taken -> {
                            if (taken) {
                                throw duplicateName(projectId, valid.name());
                            }
                            Agent agent = new Agent();
                            agent.projectId = projectId;
                            agent.name = valid.name();
                            agent.description = valid.description();
                            agent.visibility = valid.visibility();
                            agent.definition = valid.definition();
                            agent.createdBy = caller.username();
                            agent.createdAt = Instant.now();
                            agent.updatedAt = agent.createdAt;
                            return agents.persist(agent);
                        })))
                .call(agent -> audit.publish(AuditEvents.forProject("agent.created", projectId, caller, null,
                        describe(agent), agent.id.toString())));
    }

    public Uni<List<Agent>> list(Caller caller, long projectId) {
        return access.requireProject(caller, projectId, AccessLevels.GUEST, "listing agents")
                .chain(() -> Panache.withSession(() -> agents.listByProject(projectId)));
    }

    /** Members of the owning project see the agent; a public agent is visible to anyone authenticated. */
    public Uni<Agent> get(Caller caller, long agentId) {
        return find(agentId).call(agent -> agent.isPublic() ? Uni.createFrom().voidItem()
                : access.requireAgent(caller, agent, AccessLevels.GUEST, "reading this agent"));
    }

    public Uni<Agent> update(Caller caller, long agentId, AgentDraft draft) {
        return find(agentId)
                .call(agent -> access.requireAgent(caller, agent, AccessLevels.MAINTAINER, "changing an agent"))
                .chain(current -> {
                    AgentDraft valid = validated(merge(current, draft), current.id);
                    return Panache.withTransaction(() -> agents.nameTaken(current.projectId, valid.name(), agentId)
                            .chain(taken -> {
                                if (taken) {
                                    throw duplicateName(current.projectId, valid.name());
                                }
                                return agents.findById(agentId);
                            })
                            .onItem().ifNull().failWith(() -> notFound(agentId))
                            .invoke(agent -> {
                                agent.name = valid.name();
                                agent.description = valid.description();
                                agent.visibility = valid.visibility();
                                agent.definition = valid.definition();
                                agent.updatedAt = Instant.now();
                            }));
                })
                .call(agent -> audit.publish(AuditEvents.forProject("agent.updated", agent.projectId, caller, null,
                        describe(agent), agent.id.toString(), agent.updatedAt.toString())));
    }

    /** Deletes the agent and disables it everywhere, removing its service accounts from the projects. */
    public Uni<Void> delete(Caller caller, long agentId) {
        return find(agentId)
                .call(agent -> access.requireAgent(caller, agent, AccessLevels.MAINTAINER, "deleting an agent"))
                .call(agent -> Panache.withSession(() -> enabledProjects(agentId))
                        .chain(enabled -> Multi.createFrom().iterable(enabled)
                                .onItem().transformToUniAndConcatenate(e -> identity.removeFromProject(
                                        e.group().serviceAccountId, e.project().projectId))
                                .collect().last()))
                .call(agent -> Panache.withTransaction(() -> agents.deleteById(agentId)))
                .call(agent -> audit.publish(AuditEvents.forProject("agent.deleted", agent.projectId, caller, null,
                        describe(agent), agent.id.toString())))
                .replaceWithVoid();
    }

    Uni<Agent> find(long agentId) {
        return Panache.withSession(() -> agents.findById(agentId))
                .onItem().ifNull().failWith(() -> notFound(agentId));
    }

    private Uni<List<EnabledAgent>> enabledProjects(long agentId) {
        return projectEnablements.listByAgent(agentId)
                .chain(projects -> Multi.createFrom().iterable(projects)
                        .onItem().transformToUniAndConcatenate(p -> groupEnablements.find(agentId, p.groupId)
                                .map(g -> new EnabledAgent(null, g, p)))
                        .filter(e -> e.group() != null)
                        .collect().asList());
    }

    private AgentDraft validated(AgentDraft draft, Long agentId) {
        if (draft == null) {
            throw ApiException.badRequest("a JSON body with name, description, visibility and definition is required");
        }
        String name = draft.name() == null ? "" : draft.name().strip();
        if (name.isEmpty()) {
            throw ApiException.badRequest("name is required");
        }
        if (name.length() > MAX_NAME_LENGTH) {
            throw ApiException.badRequest("name must be at most " + MAX_NAME_LENGTH + " characters");
        }
        if (Slugs.slug(name).isEmpty()) {
            throw ApiException.badRequest("name must contain at least one letter or digit");
        }
        String description = draft.description() == null ? "" : draft.description();
        if (description.length() > MAX_DESCRIPTION_LENGTH) {
            throw ApiException.badRequest("description must be at most " + MAX_DESCRIPTION_LENGTH + " characters");
        }
        String visibility = draft.visibility() == null ? Agent.PRIVATE : draft.visibility();
        if (!Agent.PRIVATE.equals(visibility) && !Agent.PUBLIC.equals(visibility)) {
            throw ApiException.badRequest("visibility must be 'private' or 'public'");
        }
        try {
            parser.parse(draft.definition());
        } catch (InvalidDefinitionException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        return new AgentDraft(name, description, visibility, draft.definition());
    }

    private static AgentDraft merge(Agent current, AgentDraft draft) {
        if (draft == null) {
            return null;
        }
        return new AgentDraft(
                draft.name() != null ? draft.name() : current.name,
                draft.description() != null ? draft.description() : current.description,
                draft.visibility() != null ? draft.visibility() : current.visibility,
                draft.definition() != null ? draft.definition() : current.definition);
    }

    private static Map<String, String> describe(Agent agent) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put("agentId", agent.id.toString());
        data.put("agentName", agent.name);
        data.put("visibility", agent.visibility);
        return data;
    }

    private static ApiException duplicateName(long projectId, String name) {
        return ApiException.conflict("project " + projectId + " already has an agent named '" + name + "'");
    }

    static ApiException notFound(long agentId) {
        return ApiException.notFound("agent " + agentId + " not found");
    }
}
