package io.tandem.identity.support;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.tandem.identity.rest.InternalTokenFilter;
import java.util.Map;

/** Calls to {@code /internal/v1} as another Tandem service would make them. */
public final class InternalApi {

    public static final String TOKEN = "tandem-local-internal-token";

    public static RequestSpecification internal() {
        return given().header(InternalTokenFilter.HEADER, TOKEN).contentType(ContentType.JSON);
    }

    /** Creates (or reuses) the agent's service account in the world's group; returns id and username. */
    public static Map<String, Object> ensureServiceAccount(long groupId, String agentName) {
        return internal().body(Map.of("groupId", groupId, "agentName", agentName))
                .post("/internal/v1/service-accounts").then().statusCode(200).extract().jsonPath().getMap("$");
    }

    private InternalApi() {
    }
}
