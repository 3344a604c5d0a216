package io.tandem.sim.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tandem.sim.repository.Job;
import io.tandem.sim.repository.Pipeline;
import io.tandem.sim.repository.Project;
import io.tandem.sim.service.AccessPolicy;
import io.tandem.sim.service.ApiError;
import io.tandem.sim.service.ApiParams;
import io.tandem.sim.service.EntityViews;
import io.tandem.sim.service.JobArtifactService;
import io.tandem.sim.service.Json;
import io.tandem.sim.service.PipelineService;
import io.tandem.sim.service.WebhookDelivery;
import io.tandem.sim.service.WebhookDispatcher;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
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

/**
 * Simulator-only controls, outside GitLab's API: move pipelines, leave job artifacts as a runner would,
 * inspect and replay webhook deliveries.
 */
@Path("/-/sim")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class SimResource {

    private final PipelineService pipelines;
    private final WebhookDispatcher dispatcher;
    private final AccessPolicy access;
    private final EntityViews views;
    private final ObjectMapper json;
    private final JobArtifactService artifacts;

    public SimResource(PipelineService pipelines, WebhookDispatcher dispatcher, AccessPolicy access, EntityViews views,
            ObjectMapper json, JobArtifactService artifacts) {
        this.pipelines = pipelines;
        this.artifacts = artifacts;
        this.dispatcher = dispatcher;
        this.access = access;
        this.views = views;
        this.json = json;
    }

    @POST
    @Path("/projects/{id}/pipelines/{pipelineId}/status")
    public Map<String, Object> moveStatus(@PathParam("id") String id, @PathParam("pipelineId") long pipelineId,
            @Context UriInfo uri, @Context HttpHeaders headers, String body) {
        ApiParams params = Requests.params(uri, headers, body);
        Project project = access.findProject(id).orElseThrow(() -> ApiError.notFound("Project"));
        Pipeline pipeline = pipelines.get(project, pipelineId);
        String failureReason = params.string("failure_reason", params.string("failureReason"));
        return views.pipeline(pipelines.move(project, pipeline, params.required("status"), failureReason));
    }

    @PUT
    @Path("/projects/{id}/jobs/{jobId}/artifacts/{artifactPath: .+}")
    public Response uploadArtifact(@PathParam("id") String id, @PathParam("jobId") long jobId,
            @PathParam("artifactPath") String artifactPath, byte[] content) {
        Project project = access.findProject(id).orElseThrow(() -> ApiError.notFound("Project"));
        byte[] bytes = content == null ? new byte[0] : content;
        Job job = artifacts.upload(project, jobId, artifactPath, bytes);
        return Response.status(201).entity(Json.obj("job_id", job.id, "path", artifactPath, "size", bytes.length))
                .build();
    }

    @GET
    @Path("/webhook-deliveries")
    public List<Map<String, Object>> deliveries(@Context UriInfo uri) {
        ApiParams params = Requests.query(uri);
        String event = params.string("event");
        return dispatcher.deliveries().stream().filter(d -> event == null || d.event.equals(event))
                .map(this::json).toList();
    }

    @POST
    @Path("/webhook-deliveries/{key}/redeliver")
    public Map<String, Object> redeliver(@PathParam("key") String key) {
        WebhookDelivery delivery = dispatcher.find(key).orElseThrow(ApiError::notFound);
        dispatcher.redeliver(delivery);
        return json(delivery);
    }

    private Map<String, Object> json(WebhookDelivery delivery) {
        Object payload;
        try {
            payload = json.readTree(delivery.body);
        } catch (Exception e) {
            payload = delivery.body;
        }
        return Json.obj("idempotencyKey", delivery.idempotencyKey, "eventUuid", delivery.eventUuid,
                "event", delivery.event, "hookId", delivery.hookId, "url", delivery.url,
                "attempts", delivery.attempts, "lastStatus", delivery.lastStatus, "delivered", delivery.delivered,
                "gaveUp", delivery.gaveUp, "createdAt", Json.time(delivery.createdAt), "payload", payload);
    }
}
