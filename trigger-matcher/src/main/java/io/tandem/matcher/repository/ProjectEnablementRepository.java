package io.tandem.matcher.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

@ApplicationScoped
public class ProjectEnablementRepository implements PanacheRepositoryBase<ProjectEnablement, Long> {

    public Uni<ProjectEnablement> find(long agentId, long projectId) {
        return find("agentId = ?1 and projectId = ?2", agentId, projectId).firstResult();
    }

    public Uni<List<ProjectEnablement>> listByProject(long projectId) {
        return list("projectId = ?1 order by id", projectId);
    }

    public Uni<List<ProjectEnablement>> listByAgent(long agentId) {
        return list("agentId", agentId);
    }

    /** Every agent enabled in the project, joined with its agent and its group's service account. */
    public Uni<List<EnabledAgent>> enabledAgents(long projectId) {
        return getSession().chain(session -> session.createSelectionQuery("""
                select new io.tandem.matcher.repository.EnabledAgent(a, g, p)
                from ProjectEnablement p
                join GroupEnablement g on g.agentId = p.agentId and g.groupId = p.groupId
                join Agent a on a.id = p.agentId
                where p.projectId = :projectId
                order by p.id""", EnabledAgent.class)
                .setParameter("projectId", projectId)
                .getResultList());
    }

    /** Every agent enabled in a project of the top-level group, oldest enablement first. */
    public Uni<List<EnabledAgent>> enabledAgentsInGroup(long groupId) {
        return getSession().chain(session -> session.createSelectionQuery("""
                select new io.tandem.matcher.repository.EnabledAgent(a, g, p)
                from ProjectEnablement p
                join GroupEnablement g on g.agentId = p.agentId and g.groupId = p.groupId
                join Agent a on a.id = p.agentId
                where p.groupId = :groupId
                order by p.id""", EnabledAgent.class)
                .setParameter("groupId", groupId)
                .getResultList());
    }

    public Uni<List<ProjectEnablement>> listByAgentAndGroup(long agentId, long groupId) {
        return list("agentId = ?1 and groupId = ?2", agentId, groupId);
    }
}
