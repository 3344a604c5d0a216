package io.tandem.identity.service;

import io.smallrye.mutiny.Uni;
import io.tandem.identity.repository.SigningKeyEntity;
import io.tandem.identity.repository.SigningKeyRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;

/** The public halves of every key that may have signed a still-valid run token, as a JWKS (RFC 7517). */
@ApplicationScoped
public class JsonWebKeySet {

    private final SigningKeyRepository keys;

    public JsonWebKeySet(SigningKeyRepository keys) {
        this.keys = keys;
    }

    public Uni<Map<String, Object>> current() {
        return keys.findPublished().map(published -> Map.of("keys", published.stream().map(JsonWebKeySet::jwk).toList()));
    }

    private static Map<String, Object> jwk(SigningKeyEntity key) {
        RsaJsonWebKey jwk = new RsaJsonWebKey(SigningKeyManager.publicKey(key));
        jwk.setKeyId(key.kid);
        jwk.setUse("sig");
        jwk.setAlgorithm(key.algorithm);
        return jwk.toParams(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
    }
}
