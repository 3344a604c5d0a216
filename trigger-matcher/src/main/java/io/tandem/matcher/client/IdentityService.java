package io.tandem.matcher.client;

import io.smallrye.mutiny.Uni;
import io.tandem.matcher.service.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import java.time.Duration;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * Calls identity-service and turns its failures into answers for the admin API caller. Each call is
 * idempotent on identity-service's side, so a short retry of a connection failure is safe.
 */
@ApplicationScoped
public class IdentityService {

    private static final Logger LOG = Logger.getLogger(IdentityService.class);

    private final IdentityServiceClient client;

    public IdentityService(@RestClient IdentityServiceClient client) {
        this.client = client;
    }

    public Uni<ServiceAccount> serviceAccount(long groupId, String agentName) {
        return guarded("create the service account", client.createServiceAccount(
                new ServiceAccountRequest(groupId, agentName)));
    }

    public Uni<Void> addToProject(long userId, long projectId) {
        return guarded("add the service account to the project", client.addToProject(userId, projectId));
    }

    /** Removes the membership; a service account that is already gone counts as removed. */
    public Uni<Void> removeFromProject(long userId, long projectId) {
        return guarded("remove the service account from the project", client.removeFromProject(userId, projectId)
                .onFailure(e -> e instanceof WebApplicationException w && w.getResponse().getStatus() == 404)
                .recoverWithNull());
    }

    private static <T> Uni<T> guarded(String what, Uni<T> call) {
        return call
                .onFailure(e -> !(e instanceof WebApplicationException))
                .retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(2)).atMost(2)
                .onFailure().transform(e -> {
                    String detail = e instanceof WebApplicationException w
                            ? "answered " + w.getResponse().getStatus()
                            : "is unreachable";
                    LOG.warnf("identity-service could not %s: %s", what, detail);
                    return ApiException.badGateway("identity-service could not " + what + ": it " + detail);
                });
    }
}
