package io.tandem.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.util.Date;
import java.util.List;
import org.gitlab4j.api.GitLabApi;
import org.gitlab4j.api.GitLabApiException;
import org.gitlab4j.api.models.AccessLevel;
import org.gitlab4j.api.models.Group;
import org.gitlab4j.api.models.GroupParams;
import org.gitlab4j.api.models.ImpersonationToken;
import org.gitlab4j.api.models.Issue;
import org.gitlab4j.api.models.Member;
import org.gitlab4j.api.models.Note;
import org.gitlab4j.api.models.Project;
import org.gitlab4j.api.models.User;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Seeding and reading through gitlab4j-api, as Tandem's services and tests do. */
@QuarkusTest
class SeedingTest {

    @TestHTTPResource("/")
    URL url;

    SimClient sim;
    GitLabApi root;

    @BeforeEach
    void setUp() {
        sim = new SimClient(url);
        root = sim.root();
    }

    static User createUser(GitLabApi root, String username) throws GitLabApiException {
        return root.getUserApi().createUser(new User().withUsername(username).withName("User " + username)
                .withEmail(username + "@example.com").withSkipConfirmation(true), "password-123", false);
    }

    static String token(GitLabApi root, User user) throws GitLabApiException {
        return root.getUserApi().createPersonalAccessToken(user.getId(), "test", "for tests",
                new Date(System.currentTimeMillis() + 86_400_000L * 30), new ImpersonationToken.Scope[] {
                        ImpersonationToken.Scope.API }).getToken();
    }

    @Test
    void rootIsAnAdminAndWrongTokensAre401() throws Exception {
        User me = root.getUserApi().getCurrentUser();
        assertEquals(1L, me.getId());
        assertEquals("root", me.getUsername());
        assertTrue(me.getIsAdmin());

        GitLabApiException e = assertThrows(GitLabApiException.class,
                () -> sim.as("wrong-token").getUserApi().getCurrentUser());
        assertEquals(401, e.getHttpStatus());
        assertEquals("{\"message\":\"401 Unauthorized\"}", sim.send("GET", "/api/v4/user", null, null).raw().body());
        assertEquals(401, sim.send("GET", "/api/v4/projects/1", "nope", null).status());
    }

    @Test
    void seedsUserTokenGroupProjectMemberIssueAndNote() throws Exception {
        User alice = createUser(root, SimClient.unique("alice"));
        assertFalse(Boolean.TRUE.equals(alice.getBot()));
        String aliceToken = token(root, alice);
        assertTrue(aliceToken.startsWith("glpat-"));
        assertEquals(alice.getId(), sim.as(aliceToken).getUserApi().getCurrentUser().getId());
        assertEquals(alice.getId(), root.getUserApi().getUser(alice.getUsername()).getId());
        assertEquals(403, assertThrows(GitLabApiException.class,
                () -> createUser(sim.as(aliceToken), SimClient.unique("mallory"))).getHttpStatus());

        String path = SimClient.unique("acme");
        Group group = root.getGroupApi().createGroup(new GroupParams().withName(path).withPath(path));
        Project project = root.getProjectApi().createProject(group.getId(), "Web App");
        assertEquals(path + "/web-app", project.getPathWithNamespace());
        assertEquals("main", project.getDefaultBranch());
        assertEquals(group.getId(), project.getNamespace().getId());
        assertEquals(project.getId(), root.getProjectApi().getProject(path + "/web-app").getId());
        assertNotNull(root.getRepositoryApi().getBranch(project.getId(), "main").getCommit().getId());

        // alice cannot see the private project until she is a member
        assertEquals(404, assertThrows(GitLabApiException.class,
                () -> sim.as(aliceToken).getProjectApi().getProject(project.getId())).getHttpStatus());
        Member member = root.getProjectApi().addMember(project.getId(), alice.getId(), AccessLevel.REPORTER);
        assertEquals(AccessLevel.REPORTER, member.getAccessLevel());
        assertEquals(409, assertThrows(GitLabApiException.class,
                () -> root.getProjectApi().addMember(project.getId(), alice.getId(), AccessLevel.GUEST)).getHttpStatus());

        GitLabApi asAlice = sim.as(aliceToken);
        Issue issue = asAlice.getIssuesApi().createIssue(project.getId(), "Broken build", "It fails");
        assertEquals(1L, issue.getIid());
        assertEquals(alice.getId(), issue.getAuthor().getId());
        Note note = asAlice.getNotesApi().createIssueNote(project.getId(), issue.getIid(), "@ai please fix");
        assertEquals("@ai please fix", note.getBody());
        List<Note> notes = root.getNotesApi().getIssueNotes(project.getId(), issue.getIid());
        assertEquals(1, notes.size());
        assertEquals(note.getId(), root.getNotesApi().getIssueNote(project.getId(), issue.getIid(), note.getId()).getId());

        // Reporter may comment but not create a pipeline or manage hooks
        assertEquals(403, assertThrows(GitLabApiException.class,
                () -> asAlice.getPipelineApi().createPipeline(project.getId(), "main")).getHttpStatus());
        assertEquals(403, assertThrows(GitLabApiException.class,
                () -> asAlice.getProjectApi().addHook(project.getId(), "http://127.0.0.1:9/x", true, true, true))
                .getHttpStatus());
    }

    @Test
    void membersAllInheritsFromGroupAncestorsHighestWins() throws Exception {
        User bob = createUser(root, SimClient.unique("bob"));
        User carol = createUser(root, SimClient.unique("carol"));
        String path = SimClient.unique("top");
        Group top = root.getGroupApi().createGroup(new GroupParams().withName(path).withPath(path));
        Group sub = root.getGroupApi().createGroup(new GroupParams().withName("sub").withPath("sub").withParentId(top.getId()));
        assertEquals(top.getId(), root.getGroupApi().getGroup(sub.getId()).getParentId());
        assertEquals(path + "/sub", root.getGroupApi().getGroup(path + "/sub").getFullPath());
        Project project = root.getProjectApi().createProject(sub.getId(), "svc");

        root.getGroupApi().addMember(top.getId(), bob.getId(), AccessLevel.DEVELOPER);
        Member inherited = root.getProjectApi().getMember(project.getId(), bob.getId(), true);
        assertEquals(AccessLevel.DEVELOPER, inherited.getAccessLevel());
        assertEquals(404, assertThrows(GitLabApiException.class,
                () -> root.getProjectApi().getMember(project.getId(), bob.getId(), false)).getHttpStatus());
        assertEquals(AccessLevel.DEVELOPER, root.getGroupApi().getMember(sub.getId(), bob.getId(), true).getAccessLevel());

        root.getProjectApi().addMember(project.getId(), bob.getId(), AccessLevel.MAINTAINER);
        assertEquals(AccessLevel.MAINTAINER, root.getProjectApi().getMember(project.getId(), bob.getId(), true).getAccessLevel());
        root.getGroupApi().addMember(sub.getId(), bob.getId(), AccessLevel.OWNER);
        assertEquals(AccessLevel.OWNER, root.getProjectApi().getMember(project.getId(), bob.getId(), true).getAccessLevel());

        assertEquals(404, assertThrows(GitLabApiException.class,
                () -> root.getProjectApi().getMember(project.getId(), carol.getId(), true)).getHttpStatus());
        root.getProjectApi().removeMember(project.getId(), bob.getId());
        assertEquals(AccessLevel.OWNER, root.getProjectApi().getMember(project.getId(), bob.getId(), true).getAccessLevel());
    }

    @Test
    void paginatesWithGitlabHeaders() throws Exception {
        String path = SimClient.unique("pages");
        Group group = root.getGroupApi().createGroup(new GroupParams().withName(path).withPath(path));
        Project project = root.getProjectApi().createProject(group.getId(), "paged");
        for (int i = 0; i < 5; i++) {
            root.getIssuesApi().createIssue(project.getId(), "issue " + i, null);
        }
        SimClient.Reply page2 = sim.send("GET", "/api/v4/projects/" + project.getId() + "/issues?per_page=2&page=2",
                SimClient.ROOT_TOKEN, null);
        assertEquals(200, page2.status());
        assertEquals(2, page2.json().size());
        assertEquals("5", page2.raw().headers().firstValue("X-Total").orElseThrow());
        assertEquals("3", page2.raw().headers().firstValue("X-Total-Pages").orElseThrow());
        assertEquals("2", page2.raw().headers().firstValue("X-Page").orElseThrow());
        assertEquals("2", page2.raw().headers().firstValue("X-Per-Page").orElseThrow());
        assertEquals("3", page2.raw().headers().firstValue("X-Next-Page").orElseThrow());
        assertEquals("1", page2.raw().headers().firstValue("X-Prev-Page").orElseThrow());
        assertTrue(page2.raw().headers().firstValue("Link").orElseThrow().contains("rel=\"next\""));
        // gitlab4j follows the pages itself
        assertEquals(5, root.getIssuesApi().getIssues(project.getId()).size());
        assertEquals(5, root.getIssuesApi().getIssues(project.getId(), 2).all().size());
    }
}
