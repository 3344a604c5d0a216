package io.tandem.matcher.support;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;

/** Admin API calls for tests, as a given GitLab user. */
public final class Agents {

    public static final String DEFINITION = """
            image: node:20
            commands:
              - npx @anthropic-ai/claude-code -p "$AI_FLOW_INPUT"
            variables: [ANTHROPIC_API_KEY]
            injectGatewayToken: true
            timeout: 30
            """;

    public static RequestSpecification as(SimWorld.Person person) {
        return given().contentType(ContentType.JSON).header("PRIVATE-TOKEN", person.token());
    }

    public static Map<String, Object> agent(String name, String visibility) {
        return Map.of("name", name, "description", "Answers in threads", "visibility", visibility,
                "definition", DEFINITION);
    }

    /** Creates an agent in the world's project, enables it in the group and in the project for mentions. */
    public static EnabledAgent enableForMentions(SimWorld world, String name) {
        return enable(world, name, List.of("mention"));
    }

    /** Creates an agent in the world's project, enables it in the group and in the project with {@code triggers}. */
    public static EnabledAgent enable(SimWorld world, String name, List<String> triggers) {
        long agentId = as(world.maintainer).body(agent(name, "private"))
                .post("/api/v1/projects/{p}/agents", world.projectId)
                .then().statusCode(201).extract().jsonPath().getLong("id");
        var account = as(world.owner).post("/api/v1/groups/{g}/agents/{a}/enable", world.groupId, agentId)
                .then().statusCode(201).extract().jsonPath();
        as(world.maintainer).body(Map.of("triggers", triggers))
                .post("/api/v1/projects/{p}/agents/{a}/enable", world.projectId, agentId)
                .then().statusCode(201);
        return new EnabledAgent(agentId, name, account.getLong("serviceAccount.id"),
                account.getString("serviceAccount.username"));
    }

    /** Enables an agent already enabled in the world's group in one more project of it, as the group's Owner. */
    public static void enableInProject(SimWorld world, EnabledAgent agent, long projectId, List<String> triggers) {
        as(world.owner).body(Map.of("triggers", triggers))
                .post("/api/v1/projects/{p}/agents/{a}/enable", projectId, agent.id())
                .then().statusCode(201);
    }

    public record EnabledAgent(long id, String name, long serviceAccountId, String serviceAccountUsername) {
    }

    private Agents() {
    }
}
