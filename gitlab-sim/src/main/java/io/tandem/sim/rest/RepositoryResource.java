package io.tandem.sim.rest;

import io.tandem.sim.repository.CommitInfo;
import io.tandem.sim.repository.GitRepositories;
import io.tandem.sim.repository.Project;
import io.tandem.sim.repository.TreeEntry;
import io.tandem.sim.service.AccessLevels;
import io.tandem.sim.service.AccessPolicy;
import io.tandem.sim.service.ApiError;
import io.tandem.sim.service.ApiParams;
import io.tandem.sim.service.Caller;
import io.tandem.sim.service.DiffService;
import io.tandem.sim.service.EntityViews;
import io.tandem.sim.service.Json;
import io.tandem.sim.service.RepositoryService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** Branches, commits and files of a project's repository. */
@Path("/api/v4/projects/{id}/repository")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class RepositoryResource {

    private final RepositoryService repository;
    private final GitRepositories git;
    private final AccessPolicy access;
    private final Caller caller;
    private final EntityViews views;
    private final DiffService diffs;

    public RepositoryResource(RepositoryService repository, GitRepositories git, AccessPolicy access, Caller caller,
            EntityViews views, DiffService diffs) {
        this.diffs = diffs;
        this.repository = repository;
        this.git = git;
        this.access = access;
        this.caller = caller;
        this.views = views;
    }

    // ---- branches

    @POST
    @Path("/branches")
    public Response createBranch(@PathParam("id") String id, @Context UriInfo uri, @Context HttpHeaders headers,
            String body) {
        Project project = access.project(caller.user(), id, AccessLevels.DEVELOPER);
        ApiParams params = Requests.params(uri, headers, body);
        CommitInfo commit = repository.createBranch(caller.user(), project, params);
        return Response.status(201).entity(views.branch(project, params.string("branch"), commit)).build();
    }

    @GET
    @Path("/branches")
    public Response branches(@PathParam("id") String id, @Context UriInfo uri) {
        Project project = access.project(caller.user(), id, AccessLevels.REPORTER);
        String search = Requests.query(uri).string("search");
        List<Map.Entry<String, String>> branches = git.branches(project.id).stream()
                .filter(b -> search == null || b.getKey().contains(search)).toList();
        return Paging.page(branches,
                b -> views.branch(project, b.getKey(), git.commit(project.id, b.getValue()).orElseThrow()), uri);
    }

    @GET
    @Path("/branches/{branch}")
    public Map<String, Object> branch(@PathParam("id") String id, @PathParam("branch") String branch) {
        Project project = access.project(caller.user(), id, AccessLevels.REPORTER);
        return views.branch(project, branch, repository.branch(project, branch));
    }

    @DELETE
    @Path("/branches/{branch}")
    public Response deleteBranch(@PathParam("id") String id, @PathParam("branch") String branch) {
        Project project = access.project(caller.user(), id, AccessLevels.DEVELOPER);
        repository.deleteBranch(caller.user(), project, branch);
        return Response.noContent().build();
    }

    // ---- commits

    @POST
    @Path("/commits")
    public Response createCommit(@PathParam("id") String id, @Context UriInfo uri, @Context HttpHeaders headers,
            String body) {
        Project project = access.project(caller.user(), id, AccessLevels.DEVELOPER);
        CommitInfo commit = repository.commit(caller.user(), project, Requests.params(uri, headers, body));
        Map<String, Object> json = views.commit(project, commit);
        json.put("stats", Json.obj("additions", 0, "deletions", 0, "total", 0));
        json.put("status", null);
        json.put("project_id", project.id);
        json.put("last_pipeline", null);
        return Response.status(201).entity(json).build();
    }

    @GET
    @Path("/commits")
    public Response commits(@PathParam("id") String id, @Context UriInfo uri) {
        Project project = access.project(caller.user(), id, AccessLevels.REPORTER);
        String ref = Requests.query(uri).string("ref_name", project.defaultBranch);
        return Paging.page(git.log(project.id, ref, 10_000), c -> views.commit(project, c), uri);
    }

    @GET
    @Path("/commits/{sha}")
    public Map<String, Object> commit(@PathParam("id") String id, @PathParam("sha") String sha) {
        Project project = access.project(caller.user(), id, AccessLevels.REPORTER);
        CommitInfo commit = git.commit(project.id, sha).orElseThrow(() -> ApiError.notFound("Commit"));
        Map<String, Object> json = views.commit(project, commit);
        json.put("stats", Json.obj("additions", 0, "deletions", 0, "total", 0));
        json.put("status", null);
        json.put("project_id", project.id);
        json.put("last_pipeline", null);
        return json;
    }

    @GET
    @Path("/compare")
    public Map<String, Object> compare(@PathParam("id") String id, @Context UriInfo uri) {
        Project project = access.project(caller.user(), id, AccessLevels.REPORTER);
        ApiParams params = Requests.query(uri);
        return diffs.compare(project, params.required("from"), params.required("to"), params.bool("straight", false));
    }

    @GET
    @Path("/merge_base")
    public Map<String, Object> mergeBase(@PathParam("id") String id, @Context UriInfo uri) {
        Project project = access.project(caller.user(), id, AccessLevels.REPORTER);
        List<String> refs = Requests.query(uri).strings("refs");
        if (refs == null || refs.size() < 2) {
            throw ApiError.badRequest("Provide at least 2 refs");
        }
        String base = git.resolve(project.id, refs.get(0)).orElseThrow(() -> ApiError.notFound("Commit"));
        for (String ref : refs.subList(1, refs.size())) {
            String sha = git.resolve(project.id, ref).orElseThrow(() -> ApiError.notFound("Commit"));
            base = git.mergeBase(project.id, base, sha).orElseThrow(() -> ApiError.notFound("Merge Base"));
        }
        return views.commit(project, git.commit(project.id, base).orElseThrow());
    }

    // ---- tree

    @GET
    @Path("/tree")
    public Response tree(@PathParam("id") String id, @Context UriInfo uri) {
        Project project = access.project(caller.user(), id, AccessLevels.REPORTER);
        ApiParams params = Requests.query(uri);
        String ref = params.string("ref", project.defaultBranch);
        String sha = git.resolve(project.id, ref).orElseThrow(() -> ApiError.notFound("Tree"));
        List<TreeEntry> entries = git.tree(project.id, sha, params.string("path"), params.bool("recursive", false))
                .orElseThrow(() -> ApiError.notFound("Tree"));
        return Paging.page(entries, entry -> Json.obj("id", entry.id(), "name", entry.name(), "type", entry.type(),
                "path", entry.path(), "mode", entry.mode()), uri);
    }

    // ---- files

    @GET
    @Path("/files/{path}")
    public Response file(@PathParam("id") String id, @PathParam("path") String path, @Context UriInfo uri) {
        Project project = access.project(caller.user(), id, AccessLevels.REPORTER);
        String ref = Requests.query(uri).required("ref");
        String sha = git.resolve(project.id, ref).orElseThrow(() -> ApiError.notFound("Commit"));
        Map.Entry<String, byte[]> file = git.file(project.id, sha, path).orElseThrow(() -> ApiError.notFound("File"));
        String lastCommit = git.log(project.id, sha, 1).get(0).id();
        String fileName = path.substring(path.lastIndexOf('/') + 1);
        String contentSha = sha256(file.getValue());
        // gitlab4j's getFileInfo sends HEAD and reads these headers
        return Response.ok(Json.obj("file_name", fileName, "file_path", path,
                "size", file.getValue().length, "encoding", "base64",
                "content_sha256", contentSha, "ref", ref, "blob_id", file.getKey(),
                "commit_id", sha, "last_commit_id", lastCommit, "execute_filemode", false,
                "content", Base64.getEncoder().encodeToString(file.getValue())))
                .header("X-Gitlab-Blob-Id", file.getKey()).header("X-Gitlab-Commit-Id", sha)
                .header("X-Gitlab-Content-Sha256", contentSha).header("X-Gitlab-Encoding", "base64")
                .header("X-Gitlab-File-Name", fileName).header("X-Gitlab-File-Path", path)
                .header("X-Gitlab-Last-Commit-Id", lastCommit).header("X-Gitlab-Ref", ref)
                .header("X-Gitlab-Size", file.getValue().length).header("X-Gitlab-Execute-Filemode", false).build();
    }

    @GET
    @Path("/files/{path}/raw")
    @Produces(MediaType.WILDCARD)
    public Response raw(@PathParam("id") String id, @PathParam("path") String path, @Context UriInfo uri) {
        Project project = access.project(caller.user(), id, AccessLevels.REPORTER);
        String ref = Requests.query(uri).string("ref", project.defaultBranch);
        String sha = git.resolve(project.id, ref).orElseThrow(() -> ApiError.notFound("Commit"));
        Map.Entry<String, byte[]> file = git.file(project.id, sha, path).orElseThrow(() -> ApiError.notFound("File"));
        return Response.ok(file.getValue(), "text/plain; charset=utf-8").header("X-Gitlab-Blob-Id", file.getKey())
                .header("X-Gitlab-Commit-Id", sha).header("X-Gitlab-File-Path", path).build();
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
