package io.tandem.launcher.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;

/** Checks an RS256 JWT against the keys a JWKS endpoint publishes, as the ai-gateway does; answers its claims. */
public final class JwksVerifier {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** @throws AssertionError if no published key signed the token */
    public static JsonNode verifiedClaims(String jwt, String jwksUrl) throws Exception {
        String[] parts = jwt.split("\\.");
        if (parts.length != 3) {
            throw new AssertionError("not a signed JWT");
        }
        JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
        if (!"RS256".equals(header.path("alg").asText())) {
            throw new AssertionError("not RS256: " + header);
        }
        JsonNode jwks = JSON.readTree(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(jwksUrl))
                .GET().build(), HttpResponse.BodyHandlers.ofString()).body());
        for (JsonNode key : jwks.path("keys")) {
            if (!header.path("kid").asText().equals(key.path("kid").asText())) {
                continue;
            }
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initVerify(publicKey(key));
            rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (rs256.verify(Base64.getUrlDecoder().decode(parts[2]))) {
                return JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            }
        }
        throw new AssertionError("no key of " + jwksUrl + " verifies the token");
    }

    private static PublicKey publicKey(JsonNode jwk) throws Exception {
        BigInteger n = new BigInteger(1, Base64.getUrlDecoder().decode(jwk.path("n").asText()));
        BigInteger e = new BigInteger(1, Base64.getUrlDecoder().decode(jwk.path("e").asText()));
        return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e));
    }

    private JwksVerifier() {
    }
}
