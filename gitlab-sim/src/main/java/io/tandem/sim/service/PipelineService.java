package io.tandem.sim.service;

import io.tandem.sim.repository.GitRepositories;
import io.tandem.sim.repository.Job;
import io.tandem.sim.repository.Pipeline;
import io.tandem.sim.repository.PipelineVariable;
import io.tandem.sim.repository.Project;
import io.tandem.sim.repository.SimStore;
import io.tandem.sim.repository.User;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pipelines: created {@code pending} with their variables, moved on only by the simulator's status
 * endpoint or by cancel. Every status change fires a Pipeline Hook (and a Job Hook per job).
 */
@ApplicationScoped
public class PipelineService {

    public static final Set<String> STATUSES = Set.of("created", "waiting_for_resource", "preparing", "pending",
            "running", "success", "failed", "canceled", "skipped", "manual", "scheduled");

    private final SimStore store;
    private final GitRepositories git;
    private final HookService hooks;
    private final HookPayloads payloads;

    public PipelineService(SimStore store, GitRepositories git, HookService hooks, HookPayloads payloads) {
        this.store = store;
        this.git = git;
        this.hooks = hooks;
        this.payloads = payloads;
    }

    public Pipeline create(User caller, Project project, ApiParams params) {
        String ref = params.required("ref");
        String sha = git.branchHead(project.id, ref).or(() -> git.resolve(project.id, ref))
                .orElseThrow(() -> ApiError.badRequest(Map.of("base", List.of("Reference not found"))));
        List<PipelineVariable> variables = new ArrayList<>();
        List<Map<String, Object>> given = params.objects("variables");
        if (given != null) {
            for (Map<String, Object> v : given) {
                Object key = v.get("key");
                if (key == null || key.toString().isBlank()) {
                    throw ApiError.badParam("variables[key] is missing");
                }
                Object value = v.get("value");
                Object type = v.get("variable_type");
                String variableType = type == null ? "env_var" : type.toString();
                if (!"env_var".equals(variableType) && !"file".equals(variableType)) {
                    throw ApiError.badParam("variables[variable_type] does not have a valid value");
                }
                variables.add(new PipelineVariable(key.toString(), value == null ? "" : value.toString(), variableType));
            }
        }
        Map<String, String> jobs = git.file(project.id, sha, ".gitlab-ci.yml")
                .map(f -> CiJobNames.parse(new String(f.getValue(), StandardCharsets.UTF_8)))
                .orElse(Map.of());
        synchronized (store) {
            Pipeline pipeline = new Pipeline();
            pipeline.id = store.nextPipelineId();
            pipeline.iid = project.pipelineIids.incrementAndGet();
            pipeline.projectId = project.id;
            pipeline.ref = ref;
            pipeline.sha = sha;
            pipeline.userId = caller.id;
            pipeline.source = "api";
            pipeline.variables = variables;
            pipeline.createdAt = Instant.now();
            pipeline.updatedAt = pipeline.createdAt;
            if (jobs.isEmpty()) {
                pipeline.jobs.add(job("agent", "test"));
            } else {
                jobs.forEach((name, stage) -> pipeline.jobs.add(job(name, stage)));
            }
            store.pipelines.put(pipeline.id, pipeline);
            project.lastActivityAt = pipeline.createdAt;
            pipeline.jobs.forEach(j -> hooks.fire(project, "job_events", "Job Hook", payloads.job(pipeline, j)));
            fire(project, pipeline);
            return pipeline;
        }
    }

    private Job job(String name, String stage) {
        Job job = new Job();
        job.id = store.nextJobId();
        job.name = name;
        job.stage = stage;
        job.status = "pending";
        return job;
    }

    public Pipeline get(Project project, long pipelineId) {
        Pipeline pipeline = store.pipelines.get(pipelineId);
        if (pipeline == null || pipeline.projectId != project.id) {
            throw ApiError.notFound();
        }
        return pipeline;
    }

    public List<Pipeline> list(Project project, ApiParams params) {
        String ref = params.string("ref");
        String status = params.string("status");
        String source = params.string("source");
        String sha = params.string("sha");
        String username = params.string("username");
        String scope = params.string("scope");
        boolean yamlErrors = params.bool("yaml_errors", false);
        boolean ascending = "asc".equals(params.string("sort"));
        Comparator<Pipeline> order = Comparator.comparingLong(p -> p.id);
        return SimStore.sorted(store.pipelines.values(), p -> p.projectId == project.id
                && (ref == null || p.ref.equals(ref))
                && (status == null || p.status.equals(status))
                && (source == null || p.source.equals(source))
                && (sha == null || p.sha.equals(sha))
                && !yamlErrors
                && (scope == null || "branches".equals(scope) || ("finished".equals(scope) ? p.finished() : p.status.equals(scope)))
                && (username == null || store.user(p.userId).map(u -> u.username.equals(username)).orElse(false)),
                ascending ? order : order.reversed());
    }

    public Pipeline cancel(Project project, Pipeline pipeline) {
        if (!pipeline.finished()) {
            move(project, pipeline, "canceled");
        }
        return pipeline;
    }

    public Job job(Project project, long jobId) {
        return store.pipelines.values().stream().filter(p -> p.projectId == project.id)
                .flatMap(p -> p.jobs.stream()).filter(j -> j.id == jobId).findFirst()
                .orElseThrow(() -> ApiError.notFound());
    }

    public Pipeline pipelineOf(Job job) {
        return store.pipelines.values().stream().filter(p -> p.jobs.contains(job)).findFirst().orElseThrow();
    }

    public Pipeline move(Project project, Pipeline pipeline, String status) {
        return move(project, pipeline, status, null);
    }

    /**
     * Moves a pipeline and its jobs to a status; a no-op if it is already there. Failed jobs carry
     * {@code failureReason} (default {@code script_failure}). Fires a Job Hook per job, then a Pipeline Hook.
     */
    public Pipeline move(Project project, Pipeline pipeline, String status, String failureReason) {
        if (!STATUSES.contains(status)) {
            throw ApiError.badRequest("status must be one of " + new java.util.TreeSet<>(STATUSES));
        }
        synchronized (store) {
            if (status.equals(pipeline.status)) {
                return pipeline;
            }
            Instant now = Instant.now();
            pipeline.status = status;
            pipeline.updatedAt = now;
            if ("running".equals(status) && pipeline.startedAt == null) {
                pipeline.startedAt = now;
            }
            if (pipeline.finished()) {
                if (pipeline.startedAt == null) {
                    pipeline.startedAt = now;
                }
                pipeline.finishedAt = now;
            } else {
                pipeline.finishedAt = null;
            }
            for (Job job : pipeline.jobs) {
                job.status = status;
                job.failureReason = "failed".equals(status)
                        ? (failureReason == null || failureReason.isBlank() ? "script_failure" : failureReason)
                        : null;
                hooks.fire(project, "job_events", "Job Hook", payloads.job(pipeline, job));
            }
            fire(project, pipeline);
            return pipeline;
        }
    }

    private void fire(Project project, Pipeline pipeline) {
        hooks.fire(project, "pipeline_events", "Pipeline Hook", payloads.pipeline(pipeline));
    }
}
