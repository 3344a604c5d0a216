package io.tandem.identity.rest;

import io.smallrye.mutiny.Uni;
import io.tandem.identity.repository.ServiceAccountEntity;
import io.tandem.identity.service.ServiceAccountService;
import io.tandem.identity.service.ServiceAccountTokenRotation;
import io.tandem.identity.service.ServiceAccountTokenRotation.Outcome;
import io.tandem.identity.service.Slugs;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Service accounts, for trigger-matcher (create, add to projects) and the services that act as them. */
@Path("/internal/v1/service-accounts")
@Produces(MediaType.APPLICATION_JSON)
public class ServiceAccountResource {

    private final ServiceAccountService accounts;
    private final ServiceAccountTokenRotation rotation;

    public ServiceAccountResource(ServiceAccountService accounts, ServiceAccountTokenRotation rotation) {
        this.accounts = accounts;
        this.rotation = rotation;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<ServiceAccountView> ensure(CreateServiceAccountRequest request) {
        if (request == null || request.groupId() == null || request.agentName() == null
                || Slugs.slug(request.agentName()).isEmpty()) {
            throw new BadRequestException(ErrorMappers.answer(Response.Status.BAD_REQUEST,
                    "groupId and an agentName with at least one letter or digit are required"));
        }
        return accounts.ensure(request.groupId(), request.agentName()).map(ServiceAccountView::of);
    }

    @PUT
    @Path("/{userId}/projects/{projectId}")
    public Uni<Response> addToProject(long userId, long projectId) {
        return accounts.addToProject(userId, projectId).replaceWith(Response.noContent().build());
    }

    @DELETE
    @Path("/{userId}/projects/{projectId}")
    public Uni<Response> removeFromProject(long userId, long projectId) {
        return accounts.removeFromProject(userId, projectId).replaceWith(Response.noContent().build());
    }

    @POST
    @Path("/{userId}/gitlab-token")
    public Uni<GitlabTokenView> gitlabToken(long userId) {
        return accounts.gitlabToken(userId).map(GitlabTokenView::new);
    }

    /** For operators (and tests): rotates the token now, due or not. 409 while another replica rotates it. */
    @POST
    @Path("/{userId}/gitlab-token/rotate")
    public Uni<Response> rotateGitlabToken(long userId) {
        return rotation.rotate(userId, true).map(rotated -> rotated.outcome() == Outcome.BUSY
                ? ErrorMappers.answer(Response.Status.CONFLICT, "the token of service account " + userId
                        + " is being rotated by another replica")
                : Response.ok(new RotatedTokenView(userId, rotated.account().tokenId,
                        rotated.account().tokenExpiresAt.toString())).build());
    }

    public record CreateServiceAccountRequest(Long groupId, String agentName) {
    }

    public record ServiceAccountView(long id, String username, long groupId) {

        static ServiceAccountView of(ServiceAccountEntity account) {
            return new ServiceAccountView(account.userId, account.username, account.groupId);
        }
    }

    public record RotatedTokenView(long userId, Long tokenId, String expiresAt) {
    }

    public record GitlabTokenView(String token) {

        @Override
        public String toString() {
            return "GitlabTokenView[token=***]";
        }
    }
}
