package io.tandem.launcher.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stands in for identity-service's internal API (the neighbouring service, not under test here): hands out
 * the GitLab tokens the test registered for service accounts, a dummy run token and, with it, an AI gateway
 * token (RS256, verifiable against this stand-in's {@code /.well-known/jwks.json}) and its headers. It does not
 * know the agent definition, so it answers every run with a gateway block: the launcher must pass it on only for a
 * definition with {@code injectGatewayToken}. Like the real one it answers 401 without the internal token and 404
 * for an unknown service account.
 */
public class FakeIdentityService implements QuarkusTestResourceLifecycleManager {

    public static final String INTERNAL_TOKEN = "tandem-local-internal-token";
    public static final String RUN_TOKEN = "eyJhbGciOiJFUzI1NiIsImtpZCI6InRlc3QifQ.eyJzdWIiOiJydW4ifQ.c2lnbmF0dXJl";

    private static final Pattern ACCOUNT_TOKEN = Pattern.compile("/internal/v1/service-accounts/(\\d+)/gitlab-token");
    private static final Pattern RUN_TOKEN_PATH = Pattern.compile("/internal/v1/invocations/([^/]+)/run-token");
    private static final Map<Long, String> ACCOUNT_TOKENS = new ConcurrentHashMap<>();
    private static final Map<Long, Deque<String>> STALE_TOKENS = new ConcurrentHashMap<>();
    private static final Map<Long, AtomicInteger> TOKEN_ASKS = new ConcurrentHashMap<>();
    public static final String KID = "fake-identity-key";
    /** The service account's group the gateway tokens name ({@code group_id}). */
    public static final long GATEWAY_GROUP_ID = 4242;
    private static final KeyPair SIGNING_KEY = rsaKey();
    private static volatile long gatewayProjectId;
    private static volatile String url;

    private HttpServer server;

    /** Registers the GitLab token identity-service would hold for a service account. */
    public static void registerServiceAccount(long userId, String gitlabToken) {
        ACCOUNT_TOKENS.put(userId, gitlabToken);
    }

    /** The next ask for the account's token gets {@code staleToken}, as just before a rotation; later ones the real one. */
    public static void handOutStaleTokenOnce(long userId, String staleToken) {
        STALE_TOKENS.computeIfAbsent(userId, id -> new ConcurrentLinkedDeque<>()).add(staleToken);
    }

    /** How often the launcher asked for the account's GitLab token. */
    public static int tokenAsks(long userId) {
        AtomicInteger asks = TOKEN_ASKS.get(userId);
        return asks == null ? 0 : asks.get();
    }

    /** The project named in {@code X-Tandem-Project-Id} of the gateway headers (the stand-in knows no decision). */
    public static void gatewayProjectId(long projectId) {
        gatewayProjectId = projectId;
    }

    /** The stand-in's base URL, e.g. for its JWKS. */
    public static String url() {
        return url;
    }

    public static String gatewayHeaders(String invocationId) {
        return "X-Tandem-Run-Id: " + invocationId + "\nX-Tandem-Project-Id: " + gatewayProjectId;
    }

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/internal/v1/", this::handle);
        server.createContext("/.well-known/jwks.json", exchange -> {
            try (exchange) {
                respond(exchange, 200, jwks());
            }
        });
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort();
        return Map.of("quarkus.rest-client.identity-service.url", url,
                "tandem.internal-token", INTERNAL_TOKEN,
                "tandem.launcher.gitlab-backoff", "50ms");
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!INTERNAL_TOKEN.equals(exchange.getRequestHeaders().getFirst("X-Tandem-Internal-Token"))) {
                respond(exchange, 401, "{\"message\":\"401 Unauthorized\"}");
                return;
            }
            String path = exchange.getRequestURI().getPath();
            Matcher account = ACCOUNT_TOKEN.matcher(path);
            Matcher run = RUN_TOKEN_PATH.matcher(path);
            if (!"POST".equals(exchange.getRequestMethod())) {
                respond(exchange, 405, "{}");
            } else if (account.matches()) {
                long userId = Long.parseLong(account.group(1));
                TOKEN_ASKS.computeIfAbsent(userId, id -> new AtomicInteger()).incrementAndGet();
                Deque<String> stale = STALE_TOKENS.get(userId);
                String staleToken = stale == null ? null : stale.poll();
                String token = staleToken != null ? staleToken : ACCOUNT_TOKENS.get(userId);
                if (token == null) {
                    respond(exchange, 404, "{\"message\":\"unknown service account\"}");
                } else {
                    respond(exchange, 200, "{\"token\":\"" + token + "\"}");
                }
            } else if (run.matches()) {
                String invocationId = run.group(1);
                respond(exchange, 200, "{\"token\":\"" + RUN_TOKEN + "\",\"expiresAt\":\"2099-01-01T00:00:00Z\","
                        + "\"gateway\":{\"token\":\"" + gatewayToken(invocationId) + "\",\"headers\":\""
                        + gatewayHeaders(invocationId).replace("\n", "\\n") + "\"}}");
            } else {
                respond(exchange, 404, "{}");
            }
        }
    }

    /** A gateway token as identity-service signs it (the claims the launcher's tests look at). */
    private static String gatewayToken(String invocationId) {
        long now = Instant.now().getEpochSecond();
        String header = "{\"alg\":\"RS256\",\"kid\":\"" + KID + "\",\"typ\":\"JWT\"}";
        String claims = "{\"iss\":\"tandem\",\"aud\":\"tandem-ai-gateway\",\"run_id\":\"" + invocationId
                + "\",\"group_id\":" + GATEWAY_GROUP_ID + ",\"iat\":" + now + ",\"exp\":" + (now + 7200) + "}";
        String signingInput = base64Url(header.getBytes(StandardCharsets.UTF_8)) + "."
                + base64Url(claims.getBytes(StandardCharsets.UTF_8));
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(SIGNING_KEY.getPrivate());
            rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + base64Url(rs256.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String jwks() {
        RSAPublicKey key = (RSAPublicKey) SIGNING_KEY.getPublic();
        return "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"" + KID + "\",\"use\":\"sig\",\"alg\":\"RS256\","
                + "\"n\":\"" + base64Url(unsigned(key.getModulus())) + "\",\"e\":\""
                + base64Url(unsigned(key.getPublicExponent())) + "\"}]}";
    }

    private static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return bytes[0] == 0 ? java.util.Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static KeyPair rsaKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
