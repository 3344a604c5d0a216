package io.tandem.identity.service;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.tandem.identity.repository.SigningKeyEntity;
import io.tandem.identity.repository.SigningKeyRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import org.jboss.logging.Logger;
import org.jose4j.jwk.RsaJsonWebKey;

/**
 * The key that signs run tokens. At start it loads the active key, or generates one if there is none; when
 * two replicas start together, the unique index lets one key become active and the other replica adopts it.
 */
@ApplicationScoped
public class SigningKeyManager {

    public static final String ALGORITHM = "RS256";
    private static final int RSA_BITS = 2048;
    private static final Logger LOG = Logger.getLogger(SigningKeyManager.class);

    private final SigningKeyRepository keys;
    private final SecretBox box;
    private volatile ActiveKey active;

    public SigningKeyManager(SigningKeyRepository keys, SecretBox box) {
        this.keys = keys;
        this.box = box;
    }

    void onStart(@Observes StartupEvent event) throws Throwable {
        VertxContextSupport.subscribeAndAwait(this::loadOrCreate);
    }

    /** Loads the active key, generating it if none is stored yet. */
    public Uni<ActiveKey> loadOrCreate() {
        return keys.findActive()
                .flatMap(stored -> stored != null ? Uni.createFrom().item(stored)
                        : keys.insert(generate())
                                .invoke(created -> LOG.infof("generated run token signing key %s", created.kid))
                                // Lost the race to another replica: use its key.
                                .onFailure().recoverWithUni(failure -> keys.findActive()
                                        .onItem().ifNull().failWith(() -> new IllegalStateException(
                                                "no active signing key could be stored", failure))))
                .map(this::unseal)
                .invoke(key -> active = key);
    }

    /** The key to sign with; present once the service has started. */
    public ActiveKey active() {
        ActiveKey key = active;
        if (key == null) {
            throw new IllegalStateException("the signing key is not loaded yet");
        }
        return key;
    }

    public boolean isLoaded() {
        return active != null;
    }

    private SigningKeyEntity generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(RSA_BITS);
            KeyPair pair = generator.generateKeyPair();
            SigningKeyEntity key = new SigningKeyEntity();
            key.kid = new RsaJsonWebKey((RSAPublicKey) pair.getPublic()).calculateBase64urlEncodedThumbprint("SHA-256");
            key.algorithm = ALGORITHM;
            key.publicKey = pair.getPublic().getEncoded();
            SecretBox.Sealed sealed = box.seal(pair.getPrivate().getEncoded(), privateKeyContext(key.kid));
            key.privateKeyCiphertext = sealed.ciphertext();
            key.privateKeyKeyId = sealed.keyId();
            key.status = SigningKeyEntity.ACTIVE;
            key.createdAt = Instant.now();
            return key;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a signing key", e);
        }
    }

    private ActiveKey unseal(SigningKeyEntity key) {
        byte[] pkcs8 = box.open(new SecretBox.Sealed(key.privateKeyKeyId, key.privateKeyCiphertext),
                privateKeyContext(key.kid));
        try {
            return new ActiveKey(key.kid, KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing key " + key.kid + " cannot be read");
        }
    }

    public static RSAPublicKey publicKey(SigningKeyEntity key) {
        try {
            return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(key.publicKey));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("public key " + key.kid + " cannot be read", e);
        }
    }

    private static String privateKeyContext(String kid) {
        return "signing_key.private_key:" + kid;
    }

    public record ActiveKey(String kid, PrivateKey privateKey) {

        @Override
        public String toString() {
            return "ActiveKey[kid=" + kid + "]";
        }
    }
}
