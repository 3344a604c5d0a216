package io.tandem.gateway.service;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Whether a request may use a model for a run: a valid gateway token, the run id header (when sent) naming the
 * token's run, and a run that has not ended.
 */
@ApplicationScoped
public class RunAuthorizer {

    private final GatewayTokenVerifier verifier;
    private final EndedRuns endedRuns;

    public RunAuthorizer(GatewayTokenVerifier verifier, EndedRuns endedRuns) {
        this.verifier = verifier;
        this.endedRuns = endedRuns;
    }

    /** Must run on a safe Vert.x context (the ended-run lookup uses Hibernate Reactive). */
    public Future<GatewayClaims> authorize(String token, String runIdHeader) {
        if (token == null) {
            return Future.failedFuture(GatewayRefusal.unauthorized("a Tandem AI gateway token is required "
                    + "(AI_FLOW_AI_GATEWAY_TOKEN as Authorization: Bearer, x-api-key or api-key)"));
        }
        return verifier.verify(token).compose(run -> {
            if (runIdHeader != null && !runIdHeader.trim().equals(run.runId())) {
                return Future.failedFuture(GatewayRefusal.unauthorized(
                        "X-Tandem-Run-Id does not name the run the token was issued for"));
            }
            Promise<GatewayClaims> checked = Promise.promise();
            endedRuns.hasEnded(run.runId()).subscribe().with(ended -> {
                if (ended) {
                    checked.fail(GatewayRefusal.unauthorized("run " + run.runId()
                            + " has ended: its Tandem AI gateway token is no longer accepted"));
                } else {
                    checked.complete(run);
                }
            }, checked::fail);
            return checked.future();
        });
    }
}
