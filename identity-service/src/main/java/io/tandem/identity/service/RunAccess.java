package io.tandem.identity.service;

import io.smallrye.mutiny.Uni;
import io.tandem.identity.repository.EndedRunRepository;
import io.tandem.identity.repository.InvocationDecisionRepository;
import jakarta.enterprise.context.ApplicationScoped;
import io.tandem.identity.repository.InvocationDecisionEntity;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns a presented run token into the run it is for, or a refusal: a valid token, of a run that was
 * authorized, that names the same identities and project as the stored decision, and has not ended.
 */
@ApplicationScoped
public class RunAccess {

    private static final int MAX_CACHED_DECISIONS = 10_000;

    private final RunTokenVerifier verifier;
    private final InvocationDecisionRepository decisions;
    private final EndedRunRepository endedRuns;
    private final Map<String, InvocationDecisionEntity> decisionsByRun = new ConcurrentHashMap<>();

    public RunAccess(RunTokenVerifier verifier, InvocationDecisionRepository decisions, EndedRunRepository endedRuns) {
        this.verifier = verifier;
        this.decisions = decisions;
        this.endedRuns = endedRuns;
    }

    /** Decisions never change once stored: each is read from the database once per process. */
    private Uni<InvocationDecisionEntity> decision(String runId) {
        InvocationDecisionEntity known = decisionsByRun.get(runId);
        if (known != null) {
            return Uni.createFrom().item(known);
        }
        return decisions.findByInvocationId(runId).invoke(found -> {
            if (found != null) {
                if (decisionsByRun.size() >= MAX_CACHED_DECISIONS) {
                    decisionsByRun.clear();
                }
                decisionsByRun.put(runId, found);
            }
        });
    }

    public Uni<RunContext> open(String token) {
        return Uni.createFrom().deferred(() -> verifier.verify(token))
                .flatMap(claims -> decision(claims.runId()).map(decision -> {
                    // The token is signed by Tandem, but the stored decision is what counts: a token that
                    // disagrees with it (or outlived it) is refused.
                    if (decision == null || !decision.allowed || decision.projectId == null
                            || !Objects.equals(decision.serviceAccountUsername, claims.serviceAccountUsername())
                            || !Objects.equals(decision.requesterUsername, claims.humanUsername())
                            || !Objects.equals(decision.projectId, claims.projectId())) {
                        throw ProxyRefusal.forbidden("the run token does not belong to an authorized run in a project");
                    }
                    return new RunContext(claims, decision);
                }))
                .flatMap(run -> endedRuns.hasEnded(run.claims().runId()).map(ended -> {
                    if (ended) {
                        throw ProxyRefusal.unauthorized("the run has ended; its token is no longer accepted");
                    }
                    return run;
                }));
    }
}
