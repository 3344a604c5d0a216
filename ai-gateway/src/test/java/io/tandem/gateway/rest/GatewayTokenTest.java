package io.tandem.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.tandem.gateway.support.GatewayTokens;
import io.tandem.gateway.support.StandInProviders;
import io.tandem.testsupport.KafkaTestResource;
import io.tandem.testsupport.PostgresTestResource;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.lang.JoseException;
import org.junit.jupiter.api.Test;

/** The token check at both front doors: anything but a valid gateway token of a going run gets the provider's 401. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(StandInProviders.class)
class GatewayTokenTest {

    private static final String MESSAGES = "/ai/v1/proxy/anthropic/v1/messages";
    private static final String CHAT = "/ai/v1/proxy/openai/v1/chat/completions";
    private static final String BODY = "{\"model\":\"claude-sonnet-4-20250514\",\"max_tokens\":16,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @Test
    void withoutTokenBothDoorsAnswer401InTheProvidersShape() {
        given().contentType(ContentType.JSON).body(BODY).post(MESSAGES).then().statusCode(401)
                .body("type", equalTo("error")).body("error.type", equalTo("authentication_error"))
                .body("error.message", containsString("AI_FLOW_AI_GATEWAY_TOKEN"));
        given().contentType(ContentType.JSON).body("{\"model\":\"gpt-5\",\"messages\":[]}").post(CHAT).then()
                .statusCode(401).body("error.type", equalTo("invalid_request_error"))
                .body("error.code", equalTo("invalid_api_key"));
        given().header("x-api-key", "not-a-jwt").contentType(ContentType.JSON).body(BODY).post(MESSAGES).then()
                .statusCode(401).body("error.type", equalTo("authentication_error"));
    }

    @Test
    void forgedExpiredAndWrongAudienceTokensAreRefused() throws JoseException {
        String runId = GatewayTokens.runId();
        // Same kid, another key: a forger who read the JWKS.
        String forged = GatewayTokens.sign(GatewayTokens.claims(runId, claims -> { }),
                RsaJwkGenerator.generateJwk(2048), StandInProviders.KID);
        String expired = GatewayTokens.token(runId, claims -> {
            claims.setIssuedAtToNow();
            claims.setExpirationTimeMinutesInTheFuture(-5);
        });
        String runToken = GatewayTokens.token(runId, claims -> claims.setAudience("tandem-gitlab-proxy"));
        String otherIssuer = GatewayTokens.token(runId, claims -> claims.setIssuer("someone-else"));
        for (String token : new String[] {forged, expired, runToken, otherIssuer}) {
            given().header("x-api-key", token).contentType(ContentType.JSON).body(BODY).post(MESSAGES).then()
                    .statusCode(401).body("error.type", equalTo("authentication_error"));
        }
        given().header("x-api-key", expired).contentType(ContentType.JSON).body(BODY).post(MESSAGES).then()
                .body("error.message", containsString("expired"));
        assertTrue(StandInProviders.receivedWith(runId).isEmpty(), "nothing of a refused request reached the provider");
    }

    @Test
    void aRunIdHeaderMustNameTheTokensRun() {
        String runId = GatewayTokens.runId();
        String token = GatewayTokens.token(runId);
        given().header("Authorization", "Bearer " + token).header("X-Tandem-Run-Id", GatewayTokens.runId())
                .contentType(ContentType.JSON).body("{\"model\":\"gpt-5\",\"messages\":[]}").post(CHAT).then()
                .statusCode(401).body("error.code", equalTo("invalid_api_key"))
                .body("error.message", containsString("X-Tandem-Run-Id"));
        given().header("api-key", token).header("X-Tandem-Run-Id", runId)
                .contentType(ContentType.JSON).body("{\"model\":\"gpt-5\",\"messages\":[]}").post(CHAT).then()
                .statusCode(200);
    }

    @Test
    void unknownKidsDoNotReloadTheKeysMoreThanOncePerMinute() {
        String runId = GatewayTokens.runId();
        // Loads the keys (if no test did yet) with a valid token.
        given().header("x-api-key", GatewayTokens.token(runId)).contentType(ContentType.JSON).body(BODY)
                .post(MESSAGES).then().statusCode(200);
        int hits = StandInProviders.jwksHits();
        for (int i = 0; i < 3; i++) {
            String unknownKid = GatewayTokens.sign(GatewayTokens.claims(runId, claims -> { }),
                    StandInProviders.signingKey(), "rotated-" + i);
            given().header("x-api-key", unknownKid).contentType(ContentType.JSON).body(BODY).post(MESSAGES).then()
                    .statusCode(401).body("error.message", containsString("not signed by a key Tandem publishes"));
        }
        assertEquals(hits, StandInProviders.jwksHits(), "the key set was fetched again within the minute");
    }
}
