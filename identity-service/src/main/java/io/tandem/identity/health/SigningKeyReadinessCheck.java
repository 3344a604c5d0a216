package io.tandem.identity.health;

import io.tandem.identity.service.SigningKeyManager;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready until run tokens can be signed. */
@Readiness
@ApplicationScoped
public class SigningKeyReadinessCheck implements HealthCheck {

    private final SigningKeyManager signingKeys;

    public SigningKeyReadinessCheck(SigningKeyManager signingKeys) {
        this.signingKeys = signingKeys;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("run-token-signing-key").status(signingKeys.isLoaded()).build();
    }
}
