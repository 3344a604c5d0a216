import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import org.gitlab4j.api.GitLabApi;
import org.gitlab4j.api.models.AccessLevel;
import org.gitlab4j.api.models.Group;
import org.gitlab4j.api.models.ImpersonationToken;
import org.gitlab4j.api.models.Project;
import org.gitlab4j.api.models.ProjectHook;
import org.gitlab4j.api.models.User;

/**
 * Seeds the simulator and Tandem through their APIs, as a user would: a group with an Owner, a project with a
 * Developer who will mention the agent, Tandem's project hook, an agent enabled in the project with the mention
 * trigger, and the issues the mentions go to (one each: a thread runs one agent run at a time).
 */
final class BenchSeed {

    static final String AGENT_YAML = """
            image: registry.example.com/agents/claude-code:1.0
            commands:
              - claude --print "$AI_FLOW_INPUT"
            """;

    private final BenchStack stack;
    private final JsonHttp http;
    private final GitLabApi root;
    long projectId;
    String developerToken;
    String serviceAccount;

    BenchSeed(BenchStack stack, JsonHttp http) {
        this.stack = stack;
        this.http = http;
        this.root = new GitLabApi(stack.gitlabUrl(), BenchStack.ROOT_TOKEN);
    }

    /** Everything but the issues and the benchmark's own hook; answers the agent's service account username. */
    String tandem() throws Exception {
        User owner = user("olivia");
        String ownerToken = token(owner);
        User developer = user("dev");
        developerToken = token(developer);
        Group group = root.getGroupApi().addGroup("Bench", "bench");
        root.getGroupApi().addMember(group.getId(), owner.getId(), AccessLevel.OWNER);
        Project project = root.getProjectApi().createProject(group.getId(), "app");
        projectId = project.getId();
        root.getProjectApi().addMember(projectId, developer.getId(), AccessLevel.DEVELOPER);
        // Only the events the mention path needs: note events start runs, pipeline events end them.
        root.getProjectApi().addHook(projectId, stack.url("webhook-ingest") + "/webhooks/gitlab",
                hookEvents(), false, stack.webhookSecret);

        String admin = stack.url("trigger-matcher") + "/api/v1";
        long agentId = http.post(admin + "/projects/" + projectId + "/agents", ownerToken,
                Map.of("name", "Claude Code", "description", "benchmark agent", "visibility", "private",
                        "definition", AGENT_YAML)).path("id").asLong();
        JsonNode enabled = http.post(admin + "/groups/" + group.getId() + "/agents/" + agentId + "/enable",
                ownerToken, Map.of());
        http.post(admin + "/projects/" + projectId + "/agents/" + agentId + "/enable", ownerToken,
                Map.of("triggers", List.of("mention")));
        serviceAccount = enabled.path("serviceAccount").path("username").asText();
        return serviceAccount;
    }

    void receiverHook(String url) throws Exception {
        root.getProjectApi().addHook(projectId, url, hookEvents(), false, "bench-receiver");
    }

    /** Creates {@code count} issues, 16 requests at a time; answers their iids in order of creation. */
    long[] issues(int count) {
        long[] iids = new long[count];
        Semaphore inFlight = new Semaphore(16);
        CompletableFuture<?>[] all = new CompletableFuture<?>[count];
        for (int i = 0; i < count; i++) {
            int index = i;
            inFlight.acquireUninterruptibly();
            all[i] = http.postAsync(issuesUrl(), developerToken, Map.of("title", "Benchmark issue " + i,
                    "description", "Steps: open /login, press enter."))
                    .thenAccept(response -> iids[index] = created(response).path("iid").asLong())
                    .whenComplete((ok, error) -> inFlight.release());
        }
        CompletableFuture.allOf(all).join();
        Arrays.sort(iids);
        return iids;
    }

    String issuesUrl() {
        return stack.gitlabUrl() + "/api/v4/projects/" + projectId + "/issues";
    }

    private static JsonNode created(HttpResponse<String> response) {
        if (response.statusCode() != 201) {
            throw new IllegalStateException("issue not created: " + response.statusCode() + " " + response.body());
        }
        return JsonHttp.read(response.body());
    }

    private static ProjectHook hookEvents() {
        ProjectHook events = new ProjectHook();
        events.setNoteEvents(true);
        events.setPipelineEvents(true);
        events.setPushEvents(false);
        return events;
    }

    private User user(String username) throws Exception {
        User user = new User().withUsername(username).withName(username).withEmail(username + "@example.com");
        return root.getUserApi().createUser(user, "password-" + username, false);
    }

    private String token(User user) throws Exception {
        Date expires = new Date(System.currentTimeMillis() + Duration.ofDays(2).toMillis());
        return root.getUserApi().createPersonalAccessToken(user.getId(), "bench", expires,
                new ImpersonationToken.Scope[] {ImpersonationToken.Scope.API}).getToken();
    }
}
