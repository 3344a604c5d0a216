package io.tandem.sim.rest;

import io.tandem.sim.service.GitHttpService;
import io.tandem.sim.service.GitHttpService.Decision;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.GZIPInputStream;

/**
 * Git over smart HTTP at GitLab's URLs, {@code /<namespace>/<project>.git/...}. Credentials are HTTP basic
 * auth whose password is a token (any username, e.g. {@code oauth2}); bodies are streamed.
 */
@Path("/")
public class GitHttpResource {

    private final GitHttpService gitHttp;

    public GitHttpResource(GitHttpService gitHttp) {
        this.gitHttp = gitHttp;
    }

    @GET
    @Path("{repo: .+}.git/info/refs")
    public Response infoRefs(@PathParam("repo") String repo, @QueryParam("service") String service,
            @Context HttpHeaders headers) {
        if (!GitHttpService.UPLOAD_PACK.equals(service) && !GitHttpService.RECEIVE_PACK.equals(service)) {
            // the dumb HTTP protocol is not offered, as on GitLab
            return plain(403, "Only smart HTTP is supported");
        }
        Decision decision = gitHttp.authorize(repo, service, token(headers));
        if (!decision.allowed()) {
            return refuse(decision);
        }
        StreamingOutput body = out -> gitHttp.advertise(decision, service, out);
        return Response.ok(body, "application/x-" + service + "-advertisement")
                .header("Cache-Control", "no-cache, max-age=0, must-revalidate").build();
    }

    @POST
    @Path("{repo: .+}.git/git-upload-pack")
    @Consumes(MediaType.WILDCARD)
    public Response uploadPack(@PathParam("repo") String repo, @Context HttpHeaders headers, InputStream body)
            throws IOException {
        Decision decision = gitHttp.authorize(repo, GitHttpService.UPLOAD_PACK, token(headers));
        if (!decision.allowed()) {
            return refuse(decision);
        }
        InputStream in = decoded(headers, body);
        StreamingOutput out = stream -> gitHttp.upload(decision, in, stream);
        return Response.ok(out, "application/x-git-upload-pack-result").header("Cache-Control", "no-cache").build();
    }

    @POST
    @Path("{repo: .+}.git/git-receive-pack")
    @Consumes(MediaType.WILDCARD)
    public Response receivePack(@PathParam("repo") String repo, @Context HttpHeaders headers, InputStream body)
            throws IOException {
        Decision decision = gitHttp.authorize(repo, GitHttpService.RECEIVE_PACK, token(headers));
        if (!decision.allowed()) {
            return refuse(decision);
        }
        InputStream in = decoded(headers, body);
        StreamingOutput out = stream -> gitHttp.receive(decision, in, stream);
        return Response.ok(out, "application/x-git-receive-pack-result").header("Cache-Control", "no-cache").build();
    }

    private static InputStream decoded(HttpHeaders headers, InputStream body) throws IOException {
        String encoding = headers.getHeaderString("Content-Encoding");
        return encoding != null && encoding.toLowerCase().contains("gzip") ? new GZIPInputStream(body) : body;
    }

    /** The password of HTTP basic auth (GitLab ignores the username for tokens), or a Bearer token. */
    static String token(HttpHeaders headers) {
        String authorization = headers.getHeaderString("Authorization");
        if (authorization == null) {
            return null;
        }
        if (authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                        StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                return colon < 0 ? null : decoded.substring(colon + 1);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).trim();
        }
        return null;
    }

    private static Response refuse(Decision decision) {
        Response.ResponseBuilder response = Response.status(decision.status()).type(MediaType.TEXT_PLAIN)
                .entity(decision.message() + "\n");
        if (decision.status() == 401) {
            response.header("WWW-Authenticate", "Basic realm=\"GitLab\"");
        }
        return response.build();
    }

    private static Response plain(int status, String message) {
        return Response.status(status).type(MediaType.TEXT_PLAIN).entity(message + "\n").build();
    }
}
