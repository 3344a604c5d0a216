package io.tandem.identity.rest;

import static io.tandem.identity.support.InternalApi.internal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tandem.identity.support.Database;
import io.tandem.identity.support.GitlabWorld;
import io.tandem.identity.support.InternalApi;
import io.tandem.testsupport.GitlabSimTestResource;
import io.tandem.testsupport.KafkaTestResource;
import io.tandem.testsupport.PostgresTestResource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HexFormat;
import java.util.Map;
import org.gitlab4j.api.GitLabApi;
import org.gitlab4j.api.GitLabApiException;
import org.gitlab4j.api.models.User;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GitlabSimTestResource.class)
class ServiceAccountResourceTest {

    private final GitlabWorld world = GitlabWorld.get();

    @Test
    void createsTheGroupServiceAccountWithAWorkingToken() throws Exception {
        Map<String, Object> account = InternalApi.ensureServiceAccount(world.group.getId(), "Claude Code");
        String username = "ai-claude-code-" + world.groupPath();
        assertEquals(username, account.get("username"));
        assertEquals(world.group.getId().intValue(), ((Number) account.get("groupId")).intValue());
        long userId = ((Number) account.get("id")).longValue();

        User inGitlab = world.root.getUserApi().getUser(userId);
        assertEquals(username, inGitlab.getUsername());

        String token = gitlabToken(userId);
        try (GitLabApi asServiceAccount = new GitLabApi(GitlabSimTestResource.url(), token)) {
            assertEquals(username, asServiceAccount.getUserApi().getCurrentUser().getUsername());
        }
    }

    @Test
    void aSecondRequestReusesTheAccount() {
        Map<String, Object> first = InternalApi.ensureServiceAccount(world.group.getId(), "Reuse Bot");
        Map<String, Object> second = InternalApi.ensureServiceAccount(world.group.getId(), "Reuse Bot");
        assertEquals(first.get("id"), second.get("id"));
        assertEquals("ai-reuse-bot-" + world.groupPath(), second.get("username"));
    }

    @Test
    void anAccountGitlabAlreadyHasIsAdoptedWithANewToken() throws Exception {
        long userId = ((Number) InternalApi.ensureServiceAccount(world.group.getId(), "Adopt Bot").get("id")).longValue();
        try (Connection db = Database.connect();
                PreparedStatement delete = db.prepareStatement("delete from service_account where user_id = ?")) {
            delete.setLong(1, userId);
            assertEquals(1, delete.executeUpdate());
        }
        Map<String, Object> again = InternalApi.ensureServiceAccount(world.group.getId(), "Adopt Bot");
        assertEquals(userId, ((Number) again.get("id")).longValue());
        try (GitLabApi asServiceAccount = new GitLabApi(GitlabSimTestResource.url(), gitlabToken(userId))) {
            assertEquals(userId, asServiceAccount.getUserApi().getCurrentUser().getId());
        }
    }

    @Test
    void theStoredCiphertextDoesNotContainTheToken() throws Exception {
        long userId = ((Number) InternalApi.ensureServiceAccount(world.group.getId(), "Sealed Bot").get("id")).longValue();
        String token = gitlabToken(userId);
        try (Connection db = Database.connect();
                PreparedStatement select = db.prepareStatement(
                        "select token_ciphertext, token_key_id from service_account where user_id = ?")) {
            select.setLong(1, userId);
            try (ResultSet row = select.executeQuery()) {
                assertTrue(row.next());
                byte[] ciphertext = row.getBytes(1);
                assertFalse(new String(ciphertext, StandardCharsets.ISO_8859_1).contains(token));
                assertFalse(HexFormat.of().formatHex(ciphertext)
                        .contains(HexFormat.of().formatHex(token.getBytes(StandardCharsets.UTF_8))));
                // IV, ciphertext as long as the token, tag.
                assertEquals(12 + token.getBytes(StandardCharsets.UTF_8).length + 16, ciphertext.length);
                assertTrue(row.getString(2).startsWith("aes-"));
            }
        }
    }

    @Test
    void addsToAndRemovesFromAProjectAsDeveloper() throws Exception {
        long userId = ((Number) InternalApi.ensureServiceAccount(world.group.getId(), "Member Bot").get("id")).longValue();
        long projectId = world.project.getId();

        internal().put("/internal/v1/service-accounts/" + userId + "/projects/" + projectId).then().statusCode(204);
        assertEquals(30, world.root.getProjectApi().getMember(projectId, userId).getAccessLevel().value);
        // Already a member is fine.
        internal().put("/internal/v1/service-accounts/" + userId + "/projects/" + projectId).then().statusCode(204);

        internal().delete("/internal/v1/service-accounts/" + userId + "/projects/" + projectId).then().statusCode(204);
        GitLabApiException gone = assertThrows(GitLabApiException.class,
                () -> world.root.getProjectApi().getMember(projectId, userId));
        assertEquals(404, gone.getHttpStatus());
        internal().delete("/internal/v1/service-accounts/" + userId + "/projects/" + projectId).then().statusCode(204);
    }

    @Test
    void unknownAccountsAndGroupsAre404AndBadBodies400() {
        internal().post("/internal/v1/service-accounts/987654/gitlab-token").then().statusCode(404);
        internal().put("/internal/v1/service-accounts/987654/projects/" + world.project.getId()).then().statusCode(404);
        internal().body(Map.of("groupId", 987654, "agentName", "Claude")).post("/internal/v1/service-accounts")
                .then().statusCode(404);
        internal().body(Map.of("groupId", world.group.getId(), "agentName", "???")).post("/internal/v1/service-accounts")
                .then().statusCode(400);
    }

    @Test
    void differentAgentsGetDifferentAccounts() {
        Object a = InternalApi.ensureServiceAccount(world.group.getId(), "Agent A").get("id");
        Object b = InternalApi.ensureServiceAccount(world.group.getId(), "Agent B").get("id");
        assertNotEquals(a, b);
    }

    private static String gitlabToken(long userId) {
        return internal().post("/internal/v1/service-accounts/" + userId + "/gitlab-token")
                .then().statusCode(200).extract().path("token");
    }
}
