package io.tandem.identity.rest;

import io.smallrye.mutiny.Uni;
import io.tandem.identity.service.RunTokenVerifier;
import io.tandem.identity.service.SigningKeyManager;
import io.tandem.identity.service.SigningKeyManager.KeyRotation;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** For operators (and tests): rotates the run token signing key now, whatever its age. */
@Path("/internal/v1/signing-keys")
@Produces(MediaType.APPLICATION_JSON)
public class SigningKeyResource {

    private final SigningKeyManager signingKeys;
    private final RunTokenVerifier verifier;

    public SigningKeyResource(SigningKeyManager signingKeys, RunTokenVerifier verifier) {
        this.signingKeys = signingKeys;
        this.verifier = verifier;
    }

    @POST
    @Path("/rotate")
    public Uni<KeyRotation> rotate() {
        return signingKeys.rotate().call(verifier::refresh);
    }
}
