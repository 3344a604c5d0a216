package io.tandem.gateway.service;

import io.tandem.gateway.client.JwksClient;
import io.tandem.gateway.config.GatewayConfig;
import io.vertx.core.Future;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.PublicKey;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * identity-service's public keys, cached. Keys rotate rarely, so a token naming an unknown {@code kid} reloads
 * them, but at most once per interval: a flood of forged kids cannot turn into a flood of calls.
 */
@ApplicationScoped
public class SigningKeys {

    private static final Logger LOG = Logger.getLogger(SigningKeys.class);
    /** After a failed load (identity-service down), try again sooner than the full interval. */
    private static final long RETRY_AFTER_FAILURE_NANOS = Duration.ofSeconds(5).toNanos();

    private final JwksClient jwks;
    private final long reloadIntervalNanos;
    private final Map<String, PublicKey> known = new ConcurrentHashMap<>();
    private long nextReloadAllowed = System.nanoTime();
    private Future<Void> loading;

    public SigningKeys(JwksClient jwks, GatewayConfig config) {
        this.jwks = jwks;
        this.reloadIntervalNanos = config.gateway().keyReloadInterval().toNanos();
    }

    /** The key, or null when identity-service does not publish it (as far as a reload now may tell). */
    public Future<PublicKey> find(String kid) {
        PublicKey key = known.get(kid);
        if (key != null) {
            return Future.succeededFuture(key);
        }
        return reload().map(ignored -> known.get(kid));
    }

    private synchronized Future<Void> reload() {
        if (loading != null) {
            return loading;
        }
        long now = System.nanoTime();
        if (now - nextReloadAllowed < 0) {
            return Future.succeededFuture();
        }
        nextReloadAllowed = now + reloadIntervalNanos;
        Future<Void> load = jwks.fetch().map(fresh -> {
            known.keySet().retainAll(fresh.keySet());
            known.putAll(fresh);
            return (Void) null;
        }).recover(failure -> {
            LOG.warnf("could not load identity-service's signing keys: %s", failure.getMessage());
            synchronized (this) {
                nextReloadAllowed = System.nanoTime() + RETRY_AFTER_FAILURE_NANOS;
            }
            return Future.succeededFuture();
        });
        loading = load;
        load.onComplete(done -> {
            synchronized (this) {
                loading = null;
            }
        });
        return load;
    }
}
