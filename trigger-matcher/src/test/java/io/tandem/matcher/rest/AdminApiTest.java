package io.tandem.matcher.rest;

import static io.restassured.RestAssured.given;
import static io.tandem.matcher.support.Agents.agent;
import static io.tandem.matcher.support.Agents.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.tandem.matcher.support.FakeIdentityService;
import io.tandem.matcher.support.SimWorld;
import io.tandem.testsupport.GitlabSimTestResource;
import io.tandem.testsupport.KafkaTestResource;
import io.tandem.testsupport.PostgresTestResource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GitlabSimTestResource.class)
@QuarkusTestResource(FakeIdentityService.class)
class AdminApiTest {

    private SimWorld world;

    @BeforeEach
    void seed() {
        world = SimWorld.create();
    }

    @Test
    void refusesCallersWithoutAValidGitlabToken() {
        given().contentType(ContentType.JSON).body(agent("Claude", "private"))
                .post("/api/v1/projects/{p}/agents", world.projectId)
                .then().statusCode(401).body("error", containsString("GitLab token is required"));
        given().header("PRIVATE-TOKEN", "glpat-not-a-real-token")
                .get("/api/v1/projects/{p}/agents", world.projectId)
                .then().statusCode(401).body("error", equalTo("GitLab did not accept the token"));
    }

    @Test
    void developerCannotCreateAnAgent() {
        as(world.developer).body(agent("Claude", "private"))
                .post("/api/v1/projects/{p}/agents", world.projectId)
                .then().statusCode(403)
                .body("error", containsString("requires the Maintainer role"))
                .body("error", containsString("you are Developer"));
    }

    @Test
    void maintainerCreatesAnAgentThatMembersCanRead() {
        long id = as(world.maintainer).body(agent("Claude Code", "private"))
                .post("/api/v1/projects/{p}/agents", world.projectId)
                .then().statusCode(201)
                .body("id", notNullValue())
                .body("name", equalTo("Claude Code"))
                .body("visibility", equalTo("private"))
                .body("projectId", equalTo((int) world.projectId))
                .body("definition", containsString("image: node:20"))
                .body("createdAt", notNullValue())
                .extract().jsonPath().getLong("id");

        as(world.developer).get("/api/v1/projects/{p}/agents", world.projectId)
                .then().statusCode(200).body("id", hasItem((int) id));
        as(world.developer).get("/api/v1/agents/{a}", id).then().statusCode(200).body("name", equalTo("Claude Code"));
        as(world.outsider).get("/api/v1/agents/{a}", id).then().statusCode(404);
        as(world.outsider).get("/api/v1/projects/{p}/agents", world.projectId).then().statusCode(403);

        // the same name again, in another case, is a duplicate
        as(world.maintainer).body(agent("claude code", "public"))
                .post("/api/v1/projects/{p}/agents", world.projectId)
                .then().statusCode(409).body("error", containsString("already has an agent named"));
    }

    @Test
    void bearerTokensWorkToo() {
        given().header("Authorization", "Bearer " + world.maintainer.token())
                .contentType(ContentType.JSON).body(agent("Reviewer", "public"))
                .post("/api/v1/projects/{p}/agents", world.projectId)
                .then().statusCode(201);
    }

    @Test
    void invalidDefinitionIsRefusedWithTheReason() {
        as(world.maintainer).body(Map.of("name", "Broken", "visibility", "private", "definition", "image: a\n"))
                .post("/api/v1/projects/{p}/agents", world.projectId)
                .then().statusCode(400).body("error", containsString("'commands' is required"));
        as(world.maintainer).body(Map.of("name", "Broken", "visibility", "private",
                "definition", "image: a\ncommands: [b]\nsecrets: [x]\n"))
                .post("/api/v1/projects/{p}/agents", world.projectId)
                .then().statusCode(400).body("error", containsString("unknown key 'secrets'"));
        as(world.maintainer).body(Map.of("name", "Broken", "visibility", "internal", "definition", "image: a"))
                .post("/api/v1/projects/{p}/agents", world.projectId)
                .then().statusCode(400).body("error", containsString("visibility"));
    }

    @Test
    void updateAndDeleteNeedMaintainer() {
        long id = createAgent("Updater", "public");
        as(world.developer).body(Map.of("description", "mine now")).put("/api/v1/agents/{a}", id)
                .then().statusCode(403);
        as(world.maintainer).body(Map.of("description", "better", "visibility", "private"))
                .put("/api/v1/agents/{a}", id)
                .then().statusCode(200).body("description", equalTo("better")).body("visibility", equalTo("private"))
                .body("name", equalTo("Updater"));
        as(world.maintainer).body(Map.of("definition", "image: a\ncommands: 7\n")).put("/api/v1/agents/{a}", id)
                .then().statusCode(400).body("error", containsString("'commands' must be a non-empty list"));
        as(world.developer).delete("/api/v1/agents/{a}", id).then().statusCode(403);
        as(world.maintainer).delete("/api/v1/agents/{a}", id).then().statusCode(204);
        as(world.maintainer).get("/api/v1/agents/{a}", id).then().statusCode(404);
    }

    @Test
    void groupOwnerEnablesAnAgentAndGetsItsServiceAccount() {
        long id = createAgent("Claude Code", "private");
        as(world.maintainer).post("/api/v1/groups/{g}/agents/{a}/enable", world.groupId, id)
                .then().statusCode(403).body("error", containsString("requires the Owner role"));

        var first = as(world.owner).post("/api/v1/groups/{g}/agents/{a}/enable", world.groupId, id)
                .then().statusCode(201)
                .body("serviceAccount.id", notNullValue())
                .body("serviceAccount.username", equalTo("ai-claude-code-" + world.groupPath))
                .extract().jsonPath();
        as(world.owner).post("/api/v1/groups/{g}/agents/{a}/enable", world.groupId, id)
                .then().statusCode(200)
                .body("serviceAccount.id", equalTo(first.getInt("serviceAccount.id")))
                .body("serviceAccount.username", equalTo(first.getString("serviceAccount.username")));
        assertTrue(FakeIdentityService.calls().contains(
                new FakeIdentityService.Call("POST", "/internal/v1/service-accounts")));
    }

    @Test
    void agentsAreEnabledInTopLevelGroupsOnly() {
        long id = createAgent("Sub", "private");
        given().header("PRIVATE-TOKEN", "sim-root-token")
                .post("/api/v1/groups/{g}/agents/{a}/enable", world.subgroupId, id)
                .then().statusCode(400).body("error", containsString("subgroup"));
    }

    @Test
    void projectEnableNeedsTriggersAndAGroupEnablement() {
        long id = createAgent("Helper", "private");
        as(world.maintainer).body(Map.of("triggers", List.of()))
                .post("/api/v1/projects/{p}/agents/{a}/enable", world.projectId, id)
                .then().statusCode(400).body("error", containsString("non-empty list"));
        as(world.maintainer).body(Map.of("triggers", List.of("mention", "poke")))
                .post("/api/v1/projects/{p}/agents/{a}/enable", world.projectId, id)
                .then().statusCode(400).body("error", containsString("unknown trigger 'poke'"));
        as(world.maintainer).body(Map.of("triggers", List.of("mention")))
                .post("/api/v1/projects/{p}/agents/{a}/enable", world.projectId, id)
                .then().statusCode(409).body("error", containsString("not enabled in group"));
        as(world.developer).body(Map.of("triggers", List.of("mention")))
                .post("/api/v1/projects/{p}/agents/{a}/enable", world.projectId, id)
                .then().statusCode(403);

        long accountId = as(world.owner).post("/api/v1/groups/{g}/agents/{a}/enable", world.groupId, id)
                .then().statusCode(201).extract().jsonPath().getLong("serviceAccount.id");
        as(world.maintainer).body(Map.of("triggers", List.of("assign", "mention")))
                .post("/api/v1/projects/{p}/agents/{a}/enable", world.projectId, id)
                .then().statusCode(201).body("triggers", equalTo(List.of("mention", "assign")));
        // a project of a subgroup is enabled through the top-level group too
        as(world.maintainer).body(Map.of("triggers", List.of("mention")))
                .post("/api/v1/projects/{p}/agents/{a}/enable", world.subgroupProjectId, id)
                .then().statusCode(201).body("groupId", equalTo((int) world.groupId));
        as(world.maintainer).body(Map.of("triggers", List.of("assign_reviewer")))
                .post("/api/v1/projects/{p}/agents/{a}/enable", world.projectId, id)
                .then().statusCode(200).body("triggers", equalTo(List.of("assign_reviewer")));
        String membership = "/internal/v1/service-accounts/" + accountId + "/projects/" + world.projectId;
        assertTrue(FakeIdentityService.calls().contains(new FakeIdentityService.Call("PUT", membership)));

        as(world.maintainer).delete("/api/v1/projects/{p}/agents/{a}/enable", world.projectId, id)
                .then().statusCode(204);
        assertTrue(FakeIdentityService.calls().contains(new FakeIdentityService.Call("DELETE", membership)));

        // disabling in the group removes the service account from the remaining project as well
        as(world.owner).delete("/api/v1/groups/{g}/agents/{a}/enable", world.groupId, id).then().statusCode(204);
        assertTrue(FakeIdentityService.calls().contains(new FakeIdentityService.Call("DELETE",
                "/internal/v1/service-accounts/" + accountId + "/projects/" + world.subgroupProjectId)));
        as(world.maintainer).body(Map.of("triggers", List.of("mention")))
                .post("/api/v1/projects/{p}/agents/{a}/enable", world.projectId, id)
                .then().statusCode(409);
    }

    @Test
    void privateAgentsOfOtherGroupsCannotBeEnabled() {
        long id = createAgent("Secret", "private");
        SimWorld other = SimWorld.create();
        as(other.owner).post("/api/v1/groups/{g}/agents/{a}/enable", other.groupId, id)
                .then().statusCode(404);
        long publicId = createAgent("Shared", "public");
        as(other.owner).post("/api/v1/groups/{g}/agents/{a}/enable", other.groupId, publicId)
                .then().statusCode(201)
                .body("serviceAccount.username", startsWith("ai-shared-"))
                .body("serviceAccount.username", not(equalTo("ai-shared-" + world.groupPath)));
    }

    private long createAgent(String name, String visibility) {
        return as(world.maintainer).body(agent(name, visibility))
                .post("/api/v1/projects/{p}/agents", world.projectId)
                .then().statusCode(201).extract().jsonPath().getLong("id");
    }
}
