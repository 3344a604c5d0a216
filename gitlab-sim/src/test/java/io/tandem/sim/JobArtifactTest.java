package io.tandem.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.gitlab4j.api.GitLabApi;
import org.gitlab4j.api.GitLabApiException;
import org.gitlab4j.api.models.AccessLevel;
import org.gitlab4j.api.models.Group;
import org.gitlab4j.api.models.GroupParams;
import org.gitlab4j.api.models.Job;
import org.gitlab4j.api.models.Pipeline;
import org.gitlab4j.api.models.Project;
import org.gitlab4j.api.models.User;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A test plays the runner leaving a job's artifacts; GitLab's single-file download reads them back. */
@QuarkusTest
class JobArtifactTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TestHTTPResource("/")
    URL url;

    private SimClient sim;
    private GitLabApi root;
    private Project project;
    private Job job;

    @BeforeEach
    void pipelineWithAJob() throws Exception {
        sim = new SimClient(url);
        root = sim.root();
        String path = SimClient.unique("artifacts");
        Group group = root.getGroupApi().createGroup(new GroupParams().withName(path).withPath(path));
        project = root.getProjectApi().createProject(group.getId(), "code");
        Pipeline pipeline = root.getPipelineApi().createPipeline(project.getId(), "main");
        job = root.getJobApi().getJobsForPipeline(project.getId(), pipeline.getId()).get(0);
    }

    @Test
    void uploadedFileIsServedRawToReportersOnly() throws Exception {
        String answer = "## Answer\n\nThe bug is in `Foo.java` line 3. ünïcode\n";
        HttpResponse<String> upload = put(artifactPath("/-/sim", ".tandem/answer.md"),
                answer.getBytes(StandardCharsets.UTF_8));
        assertEquals(201, upload.statusCode(), upload.body());

        HttpResponse<byte[]> raw = get(artifactPath("/api/v4", ".tandem/answer.md"), SimClient.ROOT_TOKEN);
        assertEquals(200, raw.statusCode());
        assertEquals(answer, new String(raw.body(), StandardCharsets.UTF_8));
        assertEquals("text/markdown; charset=utf-8", raw.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("attachment; filename=\"answer.md\"",
                raw.headers().firstValue("Content-Disposition").orElseThrow());
        // an encoded slash names the same file
        assertEquals(200, get(artifactPath("/api/v4", ".tandem%2Fanswer.md"), SimClient.ROOT_TOKEN).statusCode());

        User reporter = SeedingTest.createUser(root, SimClient.unique("rep"));
        User guest = SeedingTest.createUser(root, SimClient.unique("guest"));
        User outsider = SeedingTest.createUser(root, SimClient.unique("out"));
        root.getProjectApi().addMember(project.getId(), reporter.getId(), AccessLevel.REPORTER);
        root.getProjectApi().addMember(project.getId(), guest.getId(), AccessLevel.GUEST);
        try (InputStream in = sim.as(SeedingTest.token(root, reporter)).getJobApi()
                .downloadSingleArtifactsFile(project.getId(), job.getId(), ".tandem/answer.md")) {
            assertEquals(answer, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        assertEquals(403, get(artifactPath("/api/v4", ".tandem/answer.md"), SeedingTest.token(root, guest))
                .statusCode());
        assertEquals(404, get(artifactPath("/api/v4", ".tandem/answer.md"), SeedingTest.token(root, outsider))
                .statusCode());
        assertEquals(401, get(artifactPath("/api/v4", ".tandem/answer.md"), null).statusCode());

        Job read = root.getJobApi().getJob(project.getId(), job.getId());
        assertEquals("artifacts.zip", read.getArtifactsFile().getFilename());
        assertEquals(answer.getBytes(StandardCharsets.UTF_8).length, read.getArtifactsFile().getSize());
    }

    @Test
    void missingFileOrArchiveIs404() throws Exception {
        assertNull(root.getJobApi().getJob(project.getId(), job.getId()).getArtifactsFile());
        HttpResponse<byte[]> none = get(artifactPath("/api/v4", ".tandem/answer.md"), SimClient.ROOT_TOKEN);
        assertEquals(404, none.statusCode());
        assertEquals("{\"message\":\"404 Not found\"}", new String(none.body(), StandardCharsets.UTF_8));
        GitLabApiException e = assertThrows(GitLabApiException.class, () -> root.getJobApi()
                .downloadSingleArtifactsFile(project.getId(), job.getId(), ".tandem/answer.md"));
        assertEquals(404, e.getHttpStatus());

        assertEquals(201, put(artifactPath("/-/sim", "report.txt"), "x".getBytes(StandardCharsets.UTF_8)).statusCode());
        assertEquals(404, get(artifactPath("/api/v4", ".tandem/answer.md"), SimClient.ROOT_TOKEN).statusCode());
        assertEquals(404, get("/api/v4/projects/" + project.getId() + "/jobs/999999/artifacts/report.txt",
                SimClient.ROOT_TOKEN).statusCode());
    }

    @Test
    void binaryFilesRoundTripAndARepeatedUploadReplaces() throws Exception {
        byte[] binary = {0, (byte) 0xff, (byte) 0xfe, 10, 13, 0x7f};
        assertEquals(201, put(artifactPath("/-/sim", "out/blob"), binary).statusCode());
        HttpResponse<byte[]> raw = get(artifactPath("/api/v4", "out/blob"), SimClient.ROOT_TOKEN);
        assertArrayEquals(binary, raw.body());
        assertEquals("application/octet-stream", raw.headers().firstValue("Content-Type").orElseThrow());

        assertEquals(201, put(artifactPath("/-/sim", "out/blob"), new byte[] {1, 2}).statusCode());
        assertArrayEquals(new byte[] {1, 2}, get(artifactPath("/api/v4", "out/blob"), SimClient.ROOT_TOKEN).body());
    }

    @Test
    void uploadsNeedAKnownJobAndARelativePath() throws Exception {
        byte[] body = "x".getBytes(StandardCharsets.UTF_8);
        assertEquals(404, put("/-/sim/projects/" + project.getId() + "/jobs/999999/artifacts/a.txt", body).statusCode());
        // (an unencoded "../" is resolved by the HTTP server before routing, so it never names an artifact)
        assertEquals(400, put(artifactPath("/-/sim", "a%2F..%2F..%2Fetc%2Fpasswd"), body).statusCode());
        assertEquals(400, put(artifactPath("/-/sim", "%2Fetc%2Fpasswd"), body).statusCode());
    }

    private String artifactPath(String prefix, String path) {
        return prefix + "/projects/" + project.getId() + "/jobs/" + job.getId() + "/artifacts/" + path;
    }

    private HttpResponse<String> put(String path, byte[] body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(sim.base() + path))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", "application/octet-stream").build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<byte[]> get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(sim.base() + path)).GET();
        if (token != null) {
            request.header("PRIVATE-TOKEN", token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
