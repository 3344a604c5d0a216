package io.tandem.identity.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tandem.identity.repository.InvocationDecisionEntity;
import java.io.IOException;

/** A verified run token of a run still going, with the composite identity decision taken for that run. */
public record RunContext(RunClaims claims, InvocationDecisionEntity decision) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public long serviceAccountId() {
        return decision.serviceAccountId;
    }

    public String serviceAccountUsername() {
        return decision.serviceAccountUsername;
    }

    public String humanUsername() {
        return decision.requesterUsername;
    }

    public long projectId() {
        return decision.projectId;
    }

    public String projectPath() {
        return decision.projectPath;
    }

    /**
     * Whether the agent's definition lets its runs change CI configuration ({@code allowCiChanges}), as stored
     * with the decision. Anything unreadable counts as no: a pushed CI change runs with the project's secrets.
     */
    public boolean ciChangesAllowed() {
        if (decision.invocationJson == null) {
            return false;
        }
        try {
            JsonNode allowed = JSON.readTree(decision.invocationJson).path("definition").path("allowCiChanges");
            return allowed.isBoolean() && allowed.booleanValue();
        } catch (IOException e) {
            return false;
        }
    }

    /** The project's default branch as the run was requested, or null. */
    public String defaultBranch() {
        if (decision.invocationJson == null) {
            return null;
        }
        try {
            return JSON.readTree(decision.invocationJson).path("defaultBranch").asText(null);
        } catch (IOException e) {
            return null;
        }
    }
}
