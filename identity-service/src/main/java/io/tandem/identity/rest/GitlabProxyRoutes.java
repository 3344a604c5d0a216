package io.tandem.identity.rest;

import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.tandem.identity.client.GitlabForwarder;
import io.tandem.identity.client.PrefixedReadStream;
import io.tandem.identity.config.TandemConfig;
import io.tandem.identity.service.ApiCall;
import io.tandem.identity.service.BranchRules;
import io.tandem.identity.service.ProxyAudit;
import io.tandem.identity.service.ProxyAuthorizer;
import io.tandem.identity.service.ProxyAuthorizer.Authorized;
import io.tandem.identity.service.ProxyRefusal;
import io.tandem.identity.service.PushCiInspector;
import io.tandem.identity.service.ReceivePackAdvertisement;
import io.tandem.identity.service.ReceivePackCommands;
import io.tandem.identity.service.ReceivePackCommands.RefUpdate;
import io.tandem.identity.service.ReceivePackReport;
import io.tandem.identity.service.RunContext;
import io.tandem.identity.service.WriteTargets;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * The GitLab proxy runs reach GitLab through ({@code AI_FLOW_GITLAB_HOSTNAME}): GitLab's REST API under
 * {@code /api/v4} and Git smart HTTP under {@code /<project path>.git/}. Each call is checked against the run's
 * composite identity, then forwarded with the service account's token; bodies stream both ways.
 */
@ApplicationScoped
public class GitlabProxyRoutes {

    private static final Logger LOG = Logger.getLogger(GitlabProxyRoutes.class);
    private static final String API_PREFIX = "/api/v4";
    private static final Pattern GIT_PATH = Pattern.compile("^/(.+)\\.git/(info/refs|git-upload-pack|git-receive-pack)$");
    /** Query parameters GitLab reads a token from: never forwarded. */
    private static final List<String> TOKEN_PARAMETERS = List.of("private_token", "access_token", "job_token");
    /** Before Quarkus REST's routes, so that nothing else sees a proxied path. */
    private static final int ORDER = -100;

    private final Vertx vertx;
    private final ProxyAuthorizer authorizer;
    private final WriteTargets writeTargets;
    private final GitlabForwarder forwarder;
    private final ProxyAudit audit;
    private final int maxInspectedBody;
    private final PushCiInspector inspector;
    private final PushSpool pushSpool;

    public GitlabProxyRoutes(Vertx vertx, ProxyAuthorizer authorizer, WriteTargets writeTargets,
            GitlabForwarder forwarder, ProxyAudit audit, PushCiInspector inspector, TandemConfig config) {
        this.vertx = vertx;
        this.inspector = inspector;
        this.pushSpool = new PushSpool(vertx, config.proxy().maxPushSize());
        this.authorizer = authorizer;
        this.writeTargets = writeTargets;
        this.forwarder = forwarder;
        this.audit = audit;
        this.maxInspectedBody = config.proxy().maxInspectedBody();
    }

    void register(@Observes Router router) {
        router.routeWithRegex(Pattern.quote(API_PREFIX) + "/.*").order(ORDER).handler(this::api);
        router.routeWithRegex(GIT_PATH.pattern()).order(ORDER).handler(this::git);
    }

    private void api(RoutingContext routing) {
        HttpServerRequest request = routing.request();
        request.pause();
        String token = RunTokenCredentials.from(request);
        if (token == null) {
            refuse(request, ProxyRefusal.unauthorized("a run token is required"), false);
            return;
        }
        String method = request.method().name();
        String apiPath = request.path().substring(API_PREFIX.length());
        List<Map.Entry<String, String>> query = WriteTargets.form(request.query());
        String forwardedUri = request.path() + withoutTokens(request.query());
        onSafeContext(() -> authorizer.api(token, method, apiPath), authorized -> {
            ApiCall call = authorized.call();
            Future<Object> body;
            if (call.body() == ApiCall.BodyCheck.NONE) {
                if (call.write()) {
                    writeTargets.check(call, query, null, null, authorized.run().claims(),
                            authorized.run().ciChangesAllowed());
                }
                body = Future.succeededFuture(null);
            } else {
                body = readWhole(request).map(buffer -> {
                    writeTargets.check(call, query, request.getHeader("Content-Type"), buffer.getBytes(),
                            authorized.run().claims(), authorized.run().ciChangesAllowed());
                    return buffer;
                });
            }
            return body.compose(checked -> forwarder.forward(request, forwardedUri, "PRIVATE-TOKEN",
                    authorized.serviceAccountToken(), checked)).onSuccess(status -> {
                        if (call.write()) {
                            audit.write(authorized, method, request.path(), status, "rest", Map.of());
                        }
                    });
        }, request, false);
    }

    private void git(RoutingContext routing) {
        HttpServerRequest request = routing.request();
        request.pause();
        Matcher matcher = GIT_PATH.matcher(request.path());
        if (!matcher.matches()) {
            routing.next();
            return;
        }
        String projectPath = URLDecoder.decode(matcher.group(1), StandardCharsets.UTF_8);
        String action = matcher.group(2);
        boolean push = "git-receive-pack".equals(action)
                || ("info/refs".equals(action) && "git-receive-pack".equals(request.getParam("service")));
        String token = RunTokenCredentials.from(request);
        if (token == null) {
            refuse(request, ProxyRefusal.unauthorized("HTTP Basic: Access denied"), true);
            return;
        }
        String forwardedUri = request.path() + withoutTokens(request.query());
        onSafeContext(() -> authorizer.git(token, projectPath, push), authorized -> {
            String basic = "Basic " + Base64.getEncoder().encodeToString(
                    ("oauth2:" + authorized.serviceAccountToken()).getBytes(StandardCharsets.UTF_8));
            boolean checkCi = !authorized.run().ciChangesAllowed();
            if ("info/refs".equals(action) && push && checkCi) {
                return forwarder.forwardRewritten(request, forwardedUri, "Authorization", basic, maxInspectedBody,
                        ReceivePackAdvertisement::withNoThin);
            }
            if (!"git-receive-pack".equals(action)) {
                return forwarder.forward(request, forwardedUri, "Authorization", basic, null);
            }
            return receivePackCommands(request).compose(start -> {
                List<RefUpdate> updates = start.commands().updates();
                for (RefUpdate update : updates) {
                    if (!BranchRules.refAllowed(update.ref(), authorized.run().claims().branches())) {
                        throw ProxyRefusal.forbidden("the run may push only to " + authorized.run().claims().branches()
                                + ", not " + update.ref());
                    }
                }
                Map<String, String> refs = Map.of("refs", updates.stream().map(RefUpdate::ref)
                        .collect(Collectors.joining(",")));
                if (!checkCi || updates.stream().allMatch(RefUpdate::isDelete)) {
                    Object body = start.ended() ? start.prefix() : new PrefixedReadStream(start.prefix(), request);
                    return forwarder.forward(request, forwardedUri, "Authorization", basic, body)
                            .onSuccess(status -> audit.write(authorized, "POST", request.path(), status, "git", refs));
                }
                return pushSpool.spool(request, start.prefix(), start.ended()).compose(spooled ->
                        checkedPush(request, forwardedUri, basic, authorized, start.commands(), spooled, refs)
                                .eventually(() -> pushSpool.delete(spooled)));
            });
        }, request, true);
    }

    /**
     * A spooled push: its CI changes are looked for on a worker thread; if there are none it is forwarded from
     * the file, else git gets a report naming the refused refs and GitLab nothing.
     */
    private Future<Integer> checkedPush(HttpServerRequest request, String forwardedUri, String basic,
            Authorized authorized, ReceivePackCommands.Parsed commands, Path spooled, Map<String, String> refs) {
        RunContext run = authorized.run();
        String baseBranch = run.defaultBranch();
        return vertx.executeBlocking(() -> inspector.ciChanges(spooled, commands.end(), commands.updates(),
                run.projectId(), baseBranch, authorized.serviceAccountToken()), false)
                .recover(failure -> refusedForAll(failure, commands.updates())).compose(refused -> {
                    if (!refused.isEmpty()) {
                        LOG.infof("push of run %s refused: it changes CI configuration (%s)", run.claims().runId(),
                                String.join(",", refused.keySet()));
                        request.response().setStatusCode(200).putHeader("Content-Type", ReceivePackReport.CONTENT_TYPE)
                                .putHeader("Cache-Control", "no-cache");
                        return request.response().end(Buffer.buffer(ReceivePackReport.rejected(commands.updates(),
                                refused, commands.capabilities()))).map(done -> 403);
                    }
                    return vertx.fileSystem().open(spooled.toString(), new OpenOptions().setRead(true))
                            .compose(file -> forwarder.forward(request, forwardedUri, "Authorization", basic, file)
                                    .eventually(() -> file.close()))
                            .onSuccess(status -> audit.write(authorized, "POST", request.path(), status, "git", refs));
                });
    }

    /** A push the inspector refused as a whole (e.g. a directory it cannot read): every ref, with the reason. */
    private static Future<Map<String, String>> refusedForAll(Throwable failure, List<RefUpdate> updates) {
        if (!(failure instanceof ProxyRefusal refusal) || refusal.status() != 403) {
            return Future.failedFuture(failure);
        }
        Map<String, String> refused = new LinkedHashMap<>();
        updates.stream().filter(update -> !update.isDelete())
                .forEach(update -> refused.put(update.ref(), refusal.getMessage()));
        return Future.succeededFuture(refused);
    }

    /**
     * Runs the check on a fresh, safe Vert.x sub-context (Hibernate Reactive needs one), then {@code proceed}
     * with the authorized call; a refusal or failure at any step becomes the answer.
     */
    private void onSafeContext(Supplier<Uni<Authorized>> check,
            Function<Authorized, Future<?>> proceed, HttpServerRequest request, boolean git) {
        Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(context, true);
        context.runOnContext(ignored -> check.get().subscribe().with(authorized -> {
            Future<?> forwarded;
            try {
                forwarded = proceed.apply(authorized);
            } catch (RuntimeException e) {
                forwarded = Future.failedFuture(e);
            }
            forwarded.onFailure(failure -> refuse(request, failure, git));
        }, failure -> refuse(request, failure, git)));
    }

    private void refuse(HttpServerRequest request, Throwable failure, boolean git) {
        int status;
        String message;
        if (failure instanceof ProxyRefusal refusal) {
            status = refusal.status();
            message = refusal.getMessage();
        } else {
            // Never the exception's message: it could name a URL or a header. The class is enough to look into it.
            LOG.warnf("GitLab proxy call %s %s failed: %s", request.method(), request.path(), failure.getClass().getName());
            status = 502;
            message = "the GitLab proxy could not complete the call";
        }
        if (request.response().headWritten()) {
            request.response().reset();
            return;
        }
        // The body of a refused call is not wanted, but must be drained for the connection to be reused; a request
        // already read to its end cannot be resumed (over HTTP/2 that throws and the answer would never go out).
        if (!request.isEnded()) {
            request.resume();
        }
        var response = request.response().setStatusCode(status);
        if (status == 401) {
            response.putHeader("WWW-Authenticate", "Basic realm=\"GitLab\"");
        }
        if (git) {
            response.putHeader("Content-Type", "text/plain; charset=utf-8").end(message + "\n");
        } else {
            response.putHeader("Content-Type", "application/json")
                    .end(new JsonObject().put("message", status + " " + reason(status) + " - " + message).encode());
        }
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 413 -> "Request Entity Too Large";
            case 415 -> "Unsupported Media Type";
            default -> "Bad Gateway";
        };
    }

    /** The whole body of a call whose parameters must be checked, up to the configured size. */
    private Future<Buffer> readWhole(HttpServerRequest request) {
        Promise<Buffer> whole = Promise.promise();
        Buffer body = Buffer.buffer();
        request.handler(chunk -> {
            if (body.length() + chunk.length() > maxInspectedBody) {
                request.handler(null);
                whole.tryFail(new ProxyRefusal(413, "the proxy checks this call's body, and it is larger than "
                        + maxInspectedBody + " bytes"));
                return;
            }
            body.appendBuffer(chunk);
        });
        request.exceptionHandler(whole::tryFail);
        request.endHandler(ignored -> whole.tryComplete(body));
        request.resume();
        return whole.future();
    }

    /** Reads a push's command list (and no more than the chunks holding it), then pauses the request. */
    private Future<PushStart> receivePackCommands(HttpServerRequest request) {
        if (request.getHeader("Content-Encoding") != null) {
            return Future.failedFuture(new ProxyRefusal(415, "the proxy needs an uncompressed git-receive-pack request"));
        }
        Promise<PushStart> start = Promise.promise();
        Buffer prefix = Buffer.buffer();
        request.handler(chunk -> {
            prefix.appendBuffer(chunk);
            try {
                ReceivePackCommands.Parsed parsed = ReceivePackCommands.parse(prefix.getBytes(), prefix.length());
                if (parsed != null && !start.future().isComplete()) {
                    request.pause();
                    request.handler(null);
                    request.endHandler(null);
                    start.complete(new PushStart(parsed, prefix, false));
                }
            } catch (ProxyRefusal refusal) {
                request.handler(null);
                start.tryFail(refusal);
            }
        });
        request.endHandler(ignored -> {
            ReceivePackCommands.Parsed parsed = ReceivePackCommands.parse(prefix.getBytes(), prefix.length());
            if (parsed == null) {
                start.tryFail(new ProxyRefusal(400, "the git-receive-pack request ends inside its command list"));
            } else {
                start.tryComplete(new PushStart(parsed, prefix, true));
            }
        });
        request.exceptionHandler(start::tryFail);
        request.resume();
        return start.future();
    }

    private static String withoutTokens(String query) {
        if (query == null || query.isEmpty()) {
            return "";
        }
        String kept = Arrays.stream(query.split("&"))
                .filter(pair -> TOKEN_PARAMETERS.stream().noneMatch(name -> pair.toLowerCase(Locale.ROOT)
                        .startsWith(name + "=") || pair.equalsIgnoreCase(name)))
                .collect(Collectors.joining("&"));
        return kept.isEmpty() ? "" : "?" + kept;
    }

    private record PushStart(ReceivePackCommands.Parsed commands, Buffer prefix, boolean ended) {
    }
}
