package io.tandem.sim.rest;

import io.tandem.sim.repository.Job;
import io.tandem.sim.repository.Pipeline;
import io.tandem.sim.repository.Project;
import io.tandem.sim.service.AccessLevels;
import io.tandem.sim.service.AccessPolicy;
import io.tandem.sim.service.Caller;
import io.tandem.sim.service.EntityViews;
import io.tandem.sim.service.JobArtifactService;
import io.tandem.sim.service.PipelineService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Map;

/** Pipelines, their variables and jobs. */
@Path("/api/v4/projects/{id}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class PipelineResource {

    private final PipelineService pipelines;
    private final AccessPolicy access;
    private final Caller caller;
    private final EntityViews views;
    private final JobArtifactService artifacts;

    public PipelineResource(PipelineService pipelines, AccessPolicy access, Caller caller, EntityViews views,
            JobArtifactService artifacts) {
        this.pipelines = pipelines;
        this.artifacts = artifacts;
        this.access = access;
        this.caller = caller;
        this.views = views;
    }

    @POST
    @Path("/pipeline")
    public Response create(@PathParam("id") String id, @Context UriInfo uri, @Context HttpHeaders headers, String body) {
        Project project = access.project(caller.user(), id, AccessLevels.DEVELOPER);
        Pipeline pipeline = pipelines.create(caller.user(), project, Requests.params(uri, headers, body));
        return Response.status(201).entity(views.pipeline(pipeline)).build();
    }

    @GET
    @Path("/pipelines")
    public Response list(@PathParam("id") String id, @Context UriInfo uri) {
        Project project = access.project(caller.user(), id, AccessLevels.REPORTER);
        return Paging.page(pipelines.list(project, Requests.query(uri)), views::pipelineBasic, uri);
    }

    @GET
    @Path("/pipelines/{pipelineId}")
    public Map<String, Object> get(@PathParam("id") String id, @PathParam("pipelineId") long pipelineId) {
        Project project = access.project(caller.user(), id, AccessLevels.REPORTER);
        return views.pipeline(pipelines.get(project, pipelineId));
    }

    @GET
    @Path("/pipelines/{pipelineId}/variables")
    public List<Map<String, Object>> variables(@PathParam("id") String id, @PathParam("pipelineId") long pipelineId) {
        Project project = access.project(caller.user(), id, AccessLevels.DEVELOPER);
        return pipelines.get(project, pipelineId).variables.stream().map(views::variable).toList();
    }

    @GET
    @Path("/pipelines/{pipelineId}/jobs")
    public Response jobs(@PathParam("id") String id, @PathParam("pipelineId") long pipelineId, @Context UriInfo uri) {
        Project project = access.project(caller.user(), id, AccessLevels.REPORTER);
        Pipeline pipeline = pipelines.get(project, pipelineId);
        return Paging.page(pipeline.jobs, job -> views.job(pipeline, job), uri);
    }

    @POST
    @Path("/pipelines/{pipelineId}/cancel")
    public Response cancel(@PathParam("id") String id, @PathParam("pipelineId") long pipelineId) {
        Project project = access.project(caller.user(), id, AccessLevels.DEVELOPER);
        Pipeline pipeline = pipelines.cancel(project, pipelines.get(project, pipelineId));
        return Response.status(201).entity(views.pipeline(pipeline)).build();
    }

    @GET
    @Path("/jobs/{jobId}")
    public Map<String, Object> job(@PathParam("id") String id, @PathParam("jobId") long jobId) {
        Project project = access.project(caller.user(), id, AccessLevels.REPORTER);
        Job job = pipelines.job(project, jobId);
        return views.job(pipelines.pipelineOf(job), job);
    }

    @GET
    @Path("/jobs/{jobId}/trace")
    @Produces(MediaType.WILDCARD)
    public Response trace(@PathParam("id") String id, @PathParam("jobId") long jobId) {
        Project project = access.project(caller.user(), id, AccessLevels.REPORTER);
        Job job = pipelines.job(project, jobId);
        // GitLab answers text/plain whatever the Accept header says
        return Response.ok(JobLogs.trace(pipelines.pipelineOf(job), job), "text/plain; charset=utf-8").build();
    }

    @GET
    @Path("/jobs/{jobId}/artifacts/{artifactPath: .+}")
    @Produces(MediaType.WILDCARD)
    public Response artifact(@PathParam("id") String id, @PathParam("jobId") long jobId,
            @PathParam("artifactPath") String artifactPath) {
        Project project = access.project(caller.user(), id, AccessLevels.REPORTER);
        byte[] content = artifacts.read(project, jobId, artifactPath);
        // Workhorse streams the entry out of the archive with these headers, whatever the Accept header says
        String fileName = JobArtifactService.fileName(artifactPath).replace("\\", "\\\\").replace("\"", "\\\"");
        return Response.ok(content, JobArtifactService.contentType(artifactPath))
                .header("Content-Disposition", "attachment; filename=\"" + fileName + "\"").build();
    }
}
