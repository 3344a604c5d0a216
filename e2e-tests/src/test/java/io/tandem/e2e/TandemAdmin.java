package io.tandem.e2e;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hamcrest.Matchers;

/** trigger-matcher's admin API (contract section 2), called as a GitLab user with their own token. */
record TandemAdmin(String matcherUrl, String token) {

    /** A service account as the group enable call answers it. */
    record ServiceAccount(long id, String username) {
    }

    long createAgent(long projectId, String name, String definitionYaml) {
        return given().header("PRIVATE-TOKEN", token).contentType(ContentType.JSON)
                .body(Map.of("name", name, "description", name + " for the end-to-end tests",
                        "visibility", "private", "definition", definitionYaml))
                .post(matcherUrl + "/api/v1/projects/" + projectId + "/agents")
                .then().statusCode(201).extract().jsonPath().getLong("id");
    }

    ServiceAccount enableInGroup(long groupId, long agentId) {
        JsonPath enabled = given().header("PRIVATE-TOKEN", token).contentType(ContentType.JSON)
                .post(matcherUrl + "/api/v1/groups/" + groupId + "/agents/" + agentId + "/enable")
                .then().statusCode(Matchers.oneOf(200, 201)).extract().jsonPath();
        return new ServiceAccount(enabled.getLong("serviceAccount.id"), enabled.getString("serviceAccount.username"));
    }

    void enableInProject(long projectId, long agentId, List<String> triggers) {
        enableInProject(projectId, agentId, triggers, null);
    }

    /** With {@code definitionPath} the project runs {@code .gitlab/duo/flows/<name>.yaml} from its repository. */
    void enableInProject(long projectId, long agentId, List<String> triggers, String definitionPath) {
        Map<String, Object> body = new HashMap<>();
        body.put("triggers", triggers);
        if (definitionPath != null) {
            body.put("definitionPath", definitionPath);
        }
        given().header("PRIVATE-TOKEN", token).contentType(ContentType.JSON).body(body)
                .post(matcherUrl + "/api/v1/projects/" + projectId + "/agents/" + agentId + "/enable")
                .then().statusCode(Matchers.oneOf(200, 201, 204));
    }

    /** The group's "allow external agents" switch (Owner of the group). */
    void allowExternalAgents(long groupId, boolean allowed) {
        given().header("PRIVATE-TOKEN", token).contentType(ContentType.JSON).body(Map.of("allowed", allowed))
                .put(matcherUrl + "/api/v1/groups/" + groupId + "/settings/external-agents")
                .then().statusCode(200);
    }
}
