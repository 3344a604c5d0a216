package io.tandem.identity.service;

import io.tandem.identity.repository.InvocationDecisionEntity;

/** A verified run token of a run still going, with the composite identity decision taken for that run. */
public record RunContext(RunClaims claims, InvocationDecisionEntity decision) {

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
}
