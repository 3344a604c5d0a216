package io.tandem.identity.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.tandem.testsupport.GitlabSimTestResource;
import io.tandem.testsupport.KafkaTestResource;
import io.tandem.testsupport.PostgresTestResource;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GitlabSimTestResource.class)
class InternalTokenTest {

    @Test
    void internalCallsWithoutTheTokenAre401() {
        given().contentType(ContentType.JSON).body("{\"groupId\": 1, \"agentName\": \"x\"}")
                .post("/internal/v1/service-accounts").then().statusCode(401);
        given().post("/internal/v1/service-accounts/1/gitlab-token").then().statusCode(401);
        given().post("/internal/v1/invocations/abc/run-token").then().statusCode(401);
        given().put("/internal/v1/service-accounts/1/projects/2").then().statusCode(401);
        given().get("/internal/v1/no-such-path").then().statusCode(401);
    }

    @Test
    void aWrongTokenIs401AndDoesNotLeakTheRightOne() {
        given().header(InternalTokenFilter.HEADER, "tandem-local-internal-tokeN")
                .post("/internal/v1/service-accounts/1/gitlab-token")
                .then().statusCode(401).body(not(containsString("tandem-local-internal-token")));
    }

    @Test
    void theRightTokenPassesTheFilter() {
        given().header(InternalTokenFilter.HEADER, "tandem-local-internal-token")
                .post("/internal/v1/service-accounts/999999/gitlab-token").then().statusCode(404);
    }

    @Test
    void jwksIsPublic() {
        given().get("/.well-known/jwks.json").then().statusCode(200).body("keys[0].kty", equalTo("RSA"))
                .body("keys[0].alg", equalTo("RS256")).body("keys[0].use", equalTo("sig"));
    }
}
