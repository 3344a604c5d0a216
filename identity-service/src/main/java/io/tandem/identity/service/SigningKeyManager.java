package io.tandem.identity.service;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.tandem.events.EventIds;
import io.tandem.identity.config.TandemConfig;
import io.tandem.identity.messaging.AuditPublisher;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jose4j.jwk.RsaJsonWebKey;

/**
 * The key that signs run tokens. At start it loads the active key, or generates one if there is none; when
 * two replicas start together, the unique index lets one key become active and the other replica adopts it.
 * Rotation: a key older than {@code signing-key-rotation} is replaced (the old one stays published as
 * {@code previous} while tokens it signed may still be valid, then is retired); every replica reloads the
 * active key on a timer, so one that did not rotate signs with the new key within a check interval.
 */
@ApplicationScoped
public class SigningKeyManager {

    public static final String ALGORITHM = "RS256";
    private static final int RSA_BITS = 2048;
    private static final Logger LOG = Logger.getLogger(SigningKeyManager.class);

    private final SigningKeyRepository keys;
    private final SecretBox box;
    private final Blocking blocking;
    private final AuditPublisher audit;
    private final Duration rotationAge;
    private final Duration verifiesFor;
    private volatile ActiveKey active;

    public SigningKeyManager(SigningKeyRepository keys, SecretBox box, Blocking blocking, AuditPublisher audit,
            TandemConfig config) {
        this.keys = keys;
        this.box = box;
        this.blocking = blocking;
        this.audit = audit;
        this.rotationAge = config.identity().signingKeyRotation();
        this.verifiesFor = config.identity().runTokenTtl().plus(config.identity().signingKeyRetireMargin());
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

    /** Adopts the stored active key if another replica replaced the one this replica signs with. */
    public Uni<ActiveKey> reloadActive() {
        return keys.findActive().map(stored -> {
            ActiveKey current = active;
            if (stored == null || (current != null && current.kid().equals(stored.kid))) {
                return current;
            }
            ActiveKey adopted = unseal(stored);
            active = adopted;
            LOG.infof("signing run tokens with key %s from now on", adopted.kid());
            return adopted;
        });
    }

    /**
     * Replaces the active key by a new one; the replaced key becomes {@code previous}. If another replica
     * rotated first, adopts its key instead (then {@code rotated} is false).
     */
    public Uni<KeyRotation> rotate() {
        return keys.findActive().flatMap(current -> blocking.call(this::generate)
                .flatMap(next -> keys.rotate(current.kid, next))
                .map(stored -> {
                    active = unseal(stored);
                    LOG.infof("rotated the run token signing key: %s replaces %s", stored.kid, current.kid);
                    return new KeyRotation(stored.kid, current.kid, true);
                })
                // Lost the race to another replica: sign with its key.
                .onFailure().recoverWithUni(lost -> reloadActive()
                        .map(adopted -> new KeyRotation(adopted.kid(), current.kid, false))))
                .call(rotation -> !rotation.rotated() ? Uni.createFrom().voidItem()
                        : audit.publish(EventIds.derive("audit", "signing-key.rotated", rotation.kid()), Instant.now(),
                                "signing-key", "signing-key.rotated", null, null, null, null,
                                Map.of("kid", rotation.kid(), "previousKid", rotation.previousKid())));
    }

    /** On a timer: adopts another replica's key, rotates an old active key, retires what no token needs. */
    public Uni<Void> maintain() {
        return reloadActive()
                .flatMap(ignored -> keys.findActive())
                .flatMap(current -> current != null && current.createdAt.plus(rotationAge).isBefore(Instant.now())
                        ? rotate().replaceWithVoid() : Uni.createFrom().voidItem())
                .flatMap(ignored -> retireUnneeded());
    }

    /**
     * A previous key stopped signing when its successor was created; once every token it signed has expired
     * (run token lifetime plus a margin), it is retired.
     */
    private Uni<Void> retireUnneeded() {
        return keys.findPublished().flatMap(published -> {
            List<SigningKeyEntity> byAge = new ArrayList<>(published);
            byAge.sort(Comparator.comparing(key -> key.createdAt));
            List<String> retiring = new ArrayList<>();
            Instant now = Instant.now();
            for (int i = 0; i < byAge.size() - 1; i++) {
                SigningKeyEntity key = byAge.get(i);
                Instant stoppedSigning = byAge.get(i + 1).createdAt;
                if (SigningKeyEntity.PREVIOUS.equals(key.status) && stoppedSigning.plus(verifiesFor).isBefore(now)) {
                    retiring.add(key.kid);
                }
            }
            return keys.retire(retiring, now).call(count -> count == 0 ? Uni.createFrom().voidItem()
                    : Uni.join().all(retiring.stream().map(kid -> audit.publish(
                            EventIds.derive("audit", "signing-key.retired", kid), now, "signing-key",
                            "signing-key.retired", null, null, null, null, Map.of("kid", kid))).toList())
                            .andFailFast().invoke(done -> LOG.infof("retired run token signing keys %s", retiring)))
                    .replaceWithVoid();
        });
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

    public record KeyRotation(String kid, String previousKid, boolean rotated) {
    }

    public record ActiveKey(String kid, PrivateKey privateKey) {

        @Override
        public String toString() {
            return "ActiveKey[kid=" + kid + "]";
        }
    }
}
