package io.tandem.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import org.gitlab4j.api.GitLabApi;
import org.gitlab4j.api.GitLabApiException;
import org.gitlab4j.api.models.AccessLevel;
import org.gitlab4j.api.models.Group;
import org.gitlab4j.api.models.GroupParams;
import org.gitlab4j.api.models.Note;
import org.gitlab4j.api.models.Project;
import org.gitlab4j.api.models.User;
import org.junit.jupiter.api.Test;

/** Group service accounts (GitLab's API; gitlab4j-api has no client for it) and their tokens. */
@QuarkusTest
class ServiceAccountTest {

    @TestHTTPResource("/")
    URL url;

    @Test
    void ownerCreatesServiceAccountWhoseTokenWorks() throws Exception {
        SimClient sim = new SimClient(url);
        GitLabApi root = sim.root();
        User owner = SeedingTest.createUser(root, SimClient.unique("owner"));
        String ownerToken = SeedingTest.token(root, owner);
        String path = SimClient.unique("corp");
        Group group = sim.as(ownerToken).getGroupApi().createGroup(new GroupParams().withName(path).withPath(path));
        Project project = sim.as(ownerToken).getProjectApi().createProject(group.getId(), "app");
        org.gitlab4j.api.models.Issue issue = root.getIssuesApi().createIssue(project.getId(), "t", null);

        String username = "ai-claude-code-" + path;
        SimClient.Reply created = sim.send("POST", "/api/v4/groups/" + group.getId() + "/service_accounts", ownerToken,
                "{\"name\":\"Claude Code\",\"username\":\"" + username + "\"}");
        assertEquals(201, created.status());
        assertTrue(created.json().get("bot").asBoolean());
        assertEquals(username, created.json().get("username").asText());
        long accountId = created.json().get("id").asLong();

        SimClient.Reply list = sim.send("GET", "/api/v4/groups/" + group.getId() + "/service_accounts", ownerToken, null);
        assertEquals(1, list.json().size());
        assertEquals(accountId, list.json().get(0).get("id").asLong());
        assertTrue(root.getUserApi().getUser(accountId).getBot());

        // a non-owner may not create one
        User dev = SeedingTest.createUser(root, SimClient.unique("dev"));
        root.getGroupApi().addMember(group.getId(), dev.getId(), AccessLevel.DEVELOPER);
        assertEquals(403, sim.send("POST", "/api/v4/groups/" + group.getId() + "/service_accounts",
                SeedingTest.token(root, dev), "{\"name\":\"x\"}").status());

        SimClient.Reply pat = sim.send("POST", "/api/v4/groups/" + group.getId() + "/service_accounts/" + accountId
                + "/personal_access_tokens", ownerToken, "{\"name\":\"tandem\",\"scopes\":[\"api\"],\"expires_at\":\"2099-01-01\"}");
        assertEquals(201, pat.status());
        String token = pat.json().get("token").asText();
        GitLabApi asBot = sim.as(token);
        assertEquals(accountId, asBot.getUserApi().getCurrentUser().getId());

        // usable in a project once it is a member
        assertEquals(404, assertThrows(GitLabApiException.class,
                () -> asBot.getNotesApi().createIssueNote(project.getId(), issue.getIid(), "hi")).getHttpStatus());
        root.getProjectApi().addMember(project.getId(), accountId, AccessLevel.DEVELOPER);
        Note note = asBot.getNotesApi().createIssueNote(project.getId(), issue.getIid(), "hi");
        assertEquals(accountId, note.getAuthor().getId());

        SimClient.Reply rotated = sim.send("POST", "/api/v4/groups/" + group.getId() + "/service_accounts/" + accountId
                + "/personal_access_tokens/" + pat.json().get("id").asLong() + "/rotate", ownerToken, null);
        assertEquals(200, rotated.status());
        String newToken = rotated.json().get("token").asText();
        assertNotEquals(token, newToken);
        assertEquals(401, assertThrows(GitLabApiException.class, () -> asBot.getUserApi().getCurrentUser()).getHttpStatus());
        assertEquals(accountId, sim.as(newToken).getUserApi().getCurrentUser().getId());

        assertEquals(204, sim.send("DELETE", "/api/v4/groups/" + group.getId() + "/service_accounts/" + accountId,
                ownerToken, null).status());
        assertEquals(404, sim.send("GET", "/api/v4/users/" + accountId, SimClient.ROOT_TOKEN, null).status());
    }
}
