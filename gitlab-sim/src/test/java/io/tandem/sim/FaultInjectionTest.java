package io.tandem.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import org.gitlab4j.api.GitLabApi;
import org.gitlab4j.api.models.Group;
import org.gitlab4j.api.models.GroupParams;
import org.gitlab4j.api.models.Project;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** /-/sim/faults: the next N matching API calls fail with 429 (and Retry-After) or 5xx, then calls pass. */
@QuarkusTest
class FaultInjectionTest {

    @TestHTTPResource("/")
    URL url;

    @AfterEach
    void clear() {
        new SimClient(url).send("DELETE", "/-/sim/faults", null, null);
    }

    @Test
    void rateLimitThenSuccess() throws Exception {
        SimClient sim = new SimClient(url);
        GitLabApi root = sim.root();
        String path = SimClient.unique("faults");
        Group group = root.getGroupApi().createGroup(new GroupParams().withName(path).withPath(path));
        Project project = root.getProjectApi().createProject(group.getId(), "code");
        String pipelinePath = "/api/v4/projects/" + project.getId() + "/pipeline";

        SimClient.Reply added = sim.send("POST", "/-/sim/faults", null, "{\"method\":\"POST\",\"pathPattern\":"
                + "\"/projects/[0-9]+/pipeline$\",\"status\":429,\"times\":2,\"retryAfterSeconds\":7}");
        assertEquals(201, added.status());
        assertEquals(2, added.json().get("remaining").asInt());

        // other methods and paths are not affected
        assertEquals(200, sim.send("GET", "/api/v4/projects/" + project.getId(), SimClient.ROOT_TOKEN, null).status());
        for (int i = 0; i < 2; i++) {
            SimClient.Reply limited = sim.send("POST", pipelinePath, SimClient.ROOT_TOKEN, "{\"ref\":\"main\"}");
            assertEquals(429, limited.status());
            assertEquals("7", limited.raw().headers().firstValue("Retry-After").orElseThrow());
            assertEquals("429 Too Many Requests", limited.json().get("message").asText());
        }
        assertEquals(201, sim.send("POST", pipelinePath, SimClient.ROOT_TOKEN, "{\"ref\":\"main\"}").status());
        assertEquals(0, sim.send("GET", "/-/sim/faults", null, null).json().size());
    }

    @Test
    void serverErrorsUntilCleared() {
        SimClient sim = new SimClient(url);
        assertEquals(201, sim.send("POST", "/-/sim/faults", null,
                "{\"pathPattern\":\"^/api/v4/user$\",\"status\":503,\"times\":100}").status());
        SimClient.Reply failed = sim.send("GET", "/api/v4/user", SimClient.ROOT_TOKEN, null);
        assertEquals(503, failed.status());
        assertNull(failed.raw().headers().firstValue("Retry-After").orElse(null));
        assertEquals(400, sim.send("POST", "/-/sim/faults", null, "{\"status\":404}").status());

        assertEquals(204, sim.send("DELETE", "/-/sim/faults", null, null).status());
        assertEquals(200, sim.send("GET", "/api/v4/user", SimClient.ROOT_TOKEN, null).status());
    }
}
