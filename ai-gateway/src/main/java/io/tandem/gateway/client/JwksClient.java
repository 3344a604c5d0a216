package io.tandem.gateway.client;

import io.tandem.gateway.config.GatewayConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.PublicKey;
import java.util.HashMap;
import java.util.Map;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.lang.JoseException;

/** Reads identity-service's published signing keys ({@code GET /.well-known/jwks.json}). */
@ApplicationScoped
public class JwksClient {

    private static final long TIMEOUT_MS = 5_000;

    private final HttpClient client;
    private final String url;

    public JwksClient(Vertx vertx, GatewayConfig config) {
        this.url = config.gateway().jwksUrl();
        this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout((int) TIMEOUT_MS)
                .setMaxPoolSize(2));
    }

    /** The RSA keys by {@code kid}; fails if identity-service does not answer 200 with a key set. */
    public Future<Map<String, PublicKey>> fetch() {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url)
                .setTimeout(TIMEOUT_MS);
        return client.request(options).compose(request -> request.send()).compose(response -> {
            if (response.statusCode() != 200) {
                return Future.failedFuture(new IllegalStateException("the key set answered " + response.statusCode()));
            }
            return response.body();
        }).map(body -> {
            try {
                Map<String, PublicKey> keys = new HashMap<>();
                for (JsonWebKey key : new JsonWebKeySet(body.toString()).getJsonWebKeys()) {
                    if (key instanceof RsaJsonWebKey rsa && rsa.getKeyId() != null) {
                        keys.put(rsa.getKeyId(), rsa.getPublicKey());
                    }
                }
                return keys;
            } catch (JoseException e) {
                throw new IllegalStateException("the key set is not a JSON Web Key Set", e);
            }
        });
    }

    @PreDestroy
    void close() {
        client.close();
    }
}
