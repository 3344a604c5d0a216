package io.tandem.publisher.client;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.gitlab4j.api.GitLabApi;
import org.gitlab4j.api.GitLabApiException;
import org.gitlab4j.api.models.Job;

/**
 * A pipeline's jobs and the single files they kept as artifacts, read as a service account through gitlab4j-api.
 * Every method blocks: call it from a worker thread, never from the event loop.
 */
@ApplicationScoped
public class JobArtifacts {

    /** A job as far as the publisher cares. */
    public record PipelineJob(long id, String name, String webUrl) {
    }

    /**
     * The start of an artifact file.
     *
     * @param content at most the bytes asked for
     * @param more whether the file goes on after {@code content}
     */
    public record ArtifactHead(byte[] content, boolean more) {
    }

    private final GitlabApis apis;

    public JobArtifacts(GitlabApis apis) {
        this.apis = apis;
    }

    /** The pipeline's jobs in GitLab's order; empty when the pipeline is gone or not visible to the token. */
    public List<PipelineJob> jobs(String token, long projectId, long pipelineId) {
        GitLabApi api = apis.as(token);
        try {
            return api.getJobApi().getJobsForPipeline(projectId, pipelineId, 100).all().stream()
                    .map(JobArtifacts::view).toList();
        } catch (GitLabApiException e) {
            if (e.getHttpStatus() == 404) {
                return List.of();
            }
            throw failure("listing the jobs of pipeline " + pipelineId + " in project " + projectId, e);
        }
    }

    /**
     * The first {@code maxBytes} bytes of the job's artifact at {@code path} (relative to the job's working
     * directory), or empty when the job kept no such file.
     */
    public Optional<ArtifactHead> head(String token, long projectId, long jobId, String path, int maxBytes) {
        GitLabApi api = apis.as(token);
        try (InputStream in = api.getJobApi().downloadSingleArtifactsFile(projectId, jobId, encoded(path))) {
            byte[] read = in.readNBytes(maxBytes + 1);
            boolean more = read.length > maxBytes;
            byte[] content = more ? Arrays.copyOf(read, maxBytes) : read;
            return Optional.of(new ArtifactHead(content, more));
        } catch (GitLabApiException e) {
            if (e.getHttpStatus() == 404) {
                return Optional.empty();
            }
            throw failure("reading artifact " + path + " of job " + jobId + " in project " + projectId, e);
        } catch (IOException e) {
            throw new UncheckedIOException("reading artifact " + path + " of job " + jobId, e);
        }
    }

    /**
     * gitlab4j joins path arguments as they are: the path's slashes must stay separators, anything outside the
     * plain URL characters is percent-encoded per segment.
     */
    static String encoded(String path) {
        StringBuilder out = new StringBuilder();
        for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || "/-._~".indexOf(c) >= 0)) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    private static PipelineJob view(Job job) {
        return new PipelineJob(job.getId(), job.getName(), job.getWebUrl());
    }

    private static GitlabWriteException failure(String what, GitLabApiException e) {
        return new GitlabWriteException("GitLab refused " + what + ": " + e.getMessage(), e.getHttpStatus(), e);
    }
}
