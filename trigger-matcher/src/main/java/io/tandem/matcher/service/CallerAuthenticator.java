package io.tandem.matcher.service;

import io.smallrye.mutiny.Uni;
import io.tandem.matcher.client.CallerToken;
import io.tandem.matcher.client.GitlabClient;
import jakarta.enterprise.context.ApplicationScoped;

/** Identifies an admin API caller by asking GitLab who owns the token they sent. */
@ApplicationScoped
public class CallerAuthenticator {

    private final GitlabClient gitlab;

    public CallerAuthenticator(GitlabClient gitlab) {
        this.gitlab = gitlab;
    }

    public Uni<Caller> authenticate(CallerToken token) {
        if (token == null) {
            return Uni.createFrom().failure(ApiException.unauthorized(
                    "a GitLab token is required (PRIVATE-TOKEN or Authorization: Bearer)"));
        }
        return gitlab.currentUser(token).map(user -> new Caller(user.id(), user.username(), user.admin()));
    }
}
