package io.tandem.sim.service;

import io.tandem.sim.repository.Job;
import io.tandem.sim.repository.Project;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import java.util.Map;

/**
 * A job's artifacts archive, held as its files: a test uploads them in the runner's place, and
 * {@code GET /projects/:id/jobs/:job_id/artifacts/*artifact_path} reads one back as GitLab does.
 */
@ApplicationScoped
public class JobArtifactService {

    // Workhorse picks the type from the extension (Go's mime table), else octet-stream
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("txt", "text/plain; charset=utf-8"), Map.entry("md", "text/markdown; charset=utf-8"),
            Map.entry("json", "application/json"), Map.entry("xml", "text/xml; charset=utf-8"),
            Map.entry("html", "text/html; charset=utf-8"), Map.entry("htm", "text/html; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"), Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("pdf", "application/pdf"), Map.entry("png", "image/png"), Map.entry("gif", "image/gif"),
            Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"), Map.entry("svg", "image/svg+xml"),
            Map.entry("zip", "application/zip"), Map.entry("gz", "application/gzip"));

    private final PipelineService pipelines;

    public JobArtifactService(PipelineService pipelines) {
        this.pipelines = pipelines;
    }

    /** Stores (or replaces) one file of the job's archive; the path is as a runner would archive it. */
    public Job upload(Project project, long jobId, String path, byte[] content) {
        if (path == null || path.isEmpty() || path.startsWith("/") || path.contains("\0") || path.contains("\\")
                || ("/" + path + "/").contains("/../")) {
            throw ApiError.badRequest("artifact path must be relative, inside the job's directory");
        }
        Job job = pipelines.job(project, jobId);
        job.artifacts.put(path, content);
        return job;
    }

    /** The file's content; 404 when the job has no archive or no such file in it, 400 for a malformed path. */
    public byte[] read(Project project, long jobId, String path) {
        Job job = pipelines.job(project, jobId);
        if (path.contains("\0")) {
            throw ApiError.badRequest("400 Bad request");
        }
        byte[] content = job.artifacts.get(path);
        if (content == null) {
            throw ApiError.notFound();
        }
        return content;
    }

    public static String contentType(String path) {
        String name = fileName(path);
        int dot = name.lastIndexOf('.');
        String type = dot < 0 ? null : TYPES.get(name.substring(dot + 1).toLowerCase(Locale.ROOT));
        return type == null ? "application/octet-stream" : type;
    }

    public static String fileName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** What the archive would weigh: the sum of its files (the simulator keeps no zip). */
    public static long archiveSize(Job job) {
        return job.artifacts.values().stream().mapToLong(b -> b.length).sum();
    }
}
