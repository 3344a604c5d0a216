package io.tandem.sim;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import org.gitlab4j.api.GitLabApi;
import org.gitlab4j.api.models.Group;
import org.gitlab4j.api.models.GroupParams;
import org.gitlab4j.api.models.Job;
import org.gitlab4j.api.models.JobStatus;
import org.gitlab4j.api.models.Pipeline;
import org.gitlab4j.api.models.Project;
import org.gitlab4j.api.models.ProjectHook;
import org.junit.jupiter.api.Test;

/** Jobs: read one, its log, its failure reason, and the Job Hook on every status change. */
@QuarkusTest
class JobTest {

    @TestHTTPResource("/")
    URL url;

    @Test
    void failedPipelineMovesItsJobWithAReason() throws Exception {
        SimClient sim = new SimClient(url);
        GitLabApi root = sim.root();
        String path = SimClient.unique("jobs");
        Group group = root.getGroupApi().createGroup(new GroupParams().withName(path).withPath(path));
        Project project = root.getProjectApi().createProject(group.getId(), "code");
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            root.getProjectApi().addHook(project.getId(), receiver.url(),
                    new ProjectHook().withPushEvents(false).withJobEvents(true).withPipelineEvents(true), false, null);
            Pipeline pipeline = root.getPipelineApi().createPipeline(project.getId(), "main");
            Job job = root.getJobApi().getJobsForPipeline(project.getId(), pipeline.getId()).get(0);

            assertEquals(200, sim.send("POST", "/-/sim/projects/" + project.getId() + "/pipelines/" + pipeline.getId()
                    + "/status", null, "{\"status\":\"running\"}").status());
            assertEquals(JobStatus.RUNNING, root.getJobApi().getJob(project.getId(), job.getId()).getStatus());
            assertEquals(200, sim.send("POST", "/-/sim/projects/" + project.getId() + "/pipelines/" + pipeline.getId()
                    + "/status", null, "{\"status\":\"failed\",\"failure_reason\":\"stuck_or_timeout_failure\"}").status());

            Job failed = root.getJobApi().getJob(project.getId(), job.getId());
            assertEquals(JobStatus.FAILED, failed.getStatus());
            assertEquals("stuck_or_timeout_failure", failed.getFailureReason());
            assertTrue(failed.getWebUrl().endsWith("/-/jobs/" + job.getId()));
            String trace = root.getJobApi().getTrace(project.getId(), job.getId());
            assertTrue(trace.contains("ERROR: Job failed: stuck_or_timeout_failure"), trace);
            assertEquals(404, sim.send("GET", "/api/v4/projects/" + project.getId() + "/jobs/999999",
                    SimClient.ROOT_TOKEN, null).status());

            // one Job Hook per change: pending (created), running, failed
            await().atMost(Duration.ofSeconds(20)).until(() -> receiver.events("Job Hook").size() == 3);
            List<String> statuses = receiver.events("Job Hook").stream()
                    .map(r -> r.json().get("build_status").asText()).toList();
            assertEquals(List.of("pending", "running", "failed"), statuses);
            JsonNode last = receiver.events("Job Hook").get(2).json();
            assertEquals("build", last.get("object_kind").asText());
            assertEquals(job.getId().longValue(), last.get("build_id").asLong());
            assertEquals(pipeline.getId().longValue(), last.get("pipeline_id").asLong());
            assertEquals("stuck_or_timeout_failure", last.get("build_failure_reason").asText());

            await().atMost(Duration.ofSeconds(20)).until(() -> receiver.events("Pipeline Hook").size() == 3);
            JsonNode pipelineHook = receiver.events("Pipeline Hook").get(2).json();
            assertEquals("stuck_or_timeout_failure", pipelineHook.get("builds").get(0).get("failure_reason").asText());
        }
    }
}
