package io.tandem.matcher.rest;

import io.tandem.matcher.repository.Agent;
import java.time.Instant;

/** An agent as the admin API shows it. */
public record AgentView(long id, String name, String description, String visibility, long projectId,
        String definition, String createdBy, Instant createdAt, Instant updatedAt, boolean disabled) {

    static AgentView of(Agent agent) {
        return new AgentView(agent.id, agent.name, agent.description, agent.visibility, agent.projectId,
                agent.definition, agent.createdBy, agent.createdAt, agent.updatedAt, agent.disabled);
    }
}
