package io.tandem.identity.client;

import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.tandem.identity.config.TandemConfig;
import io.tandem.identity.service.ServiceAccountTokenRotation;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.streams.ReadStream;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Sends a checked call on to GitLab with the service account's credentials instead of the run's, and streams
 * GitLab's answer back: bodies go through in chunks with back-pressure, never whole in memory.
 */
@ApplicationScoped
public class GitlabForwarder {

    /** Hop-by-hop headers (RFC 9110 7.6.1) and every header that can carry a credential of the caller. */
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host", "private-token",
            "authorization", "job-token", "cookie", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto");
    private static final Set<String> NOT_RETURNED = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "set-cookie");

    private final HttpClient client;
    private final String gitlabUrl;
    private final Vertx vertx;
    private final ServiceAccountTokenRotation rotation;

    public GitlabForwarder(Vertx vertx, TandemConfig config, ServiceAccountTokenRotation rotation) {
        this.vertx = vertx;
        this.rotation = rotation;
        this.gitlabUrl = config.gitlab().url().replaceAll("/+$", "");
        this.client = vertx.createHttpClient(new HttpClientOptions().setMaxPoolSize(64).setKeepAlive(true)
                .setConnectTimeout(5_000).setIdleTimeout(120).setDecompressionSupported(false));
    }

    /**
     * Forwards {@code in} to the same path on GitLab. {@code body}: null streams the request's own body (the
     * request must be paused); a buffer is the whole body, already read; a stream is the body to send.
     * The future completes with GitLab's status once the answer has been streamed to the caller.
     */
    public Future<Integer> forward(HttpServerRequest in, String pathAndQuery, String authHeader, String authValue,
            Object body) {
        // A body already read (or none) can be sent again: then a 401 for a token rotated meanwhile is retried
        // once with its successor. A streamed body has gone to GitLab and cannot.
        boolean replayable = body instanceof Buffer || (body == null && !hasBody(in));
        return attempt(in, pathAndQuery, authHeader, authValue, body).compose(answer -> {
            if (answer.statusCode() != 401 || !replayable) {
                return relay(in, answer);
            }
            // The 401's (small) body is read at once: it cannot wait in the connection for the look-up.
            return answer.body().compose(refusal -> successorAuth(authHeader, authValue).compose(fresh -> fresh == null
                    ? relayRead(in, answer, refusal)
                    : attempt(in, pathAndQuery, authHeader, fresh, body == null ? Buffer.buffer() : body)
                            .compose(second -> relay(in, second))));
        });
    }

    private Future<HttpClientResponse> attempt(HttpServerRequest in, String pathAndQuery, String authHeader,
            String authValue, Object body) {
        RequestOptions options = new RequestOptions().setMethod(in.method()).setAbsoluteURI(gitlabUrl + pathAndQuery);
        return client.request(options).compose(out -> {
            copyRequestHeaders(in.headers(), out);
            out.putHeader(authHeader, authValue);
            return send(in, out, body);
        });
    }

    /** The credential with the token's successor if it was rotated, else null. Never logs either token. */
    private Future<String> successorAuth(String authHeader, String authValue) {
        boolean basic = "Authorization".equalsIgnoreCase(authHeader) && authValue.startsWith("Basic ");
        String token = authValue;
        String user = null;
        if (basic) {
            String pair = new String(Base64.getDecoder().decode(authValue.substring("Basic ".length())),
                    StandardCharsets.UTF_8);
            user = pair.substring(0, pair.indexOf(':'));
            token = pair.substring(pair.indexOf(':') + 1);
        }
        String basicUser = user;
        Promise<String> successor = Promise.promise();
        // Hibernate Reactive needs a safe Vert.x context of its own.
        Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(context, true);
        String rotated = token;
        context.runOnContext(ignored -> rotation.successorOf(rotated).subscribe().with(successor::complete,
                successor::fail));
        return successor.future().map(fresh -> fresh == null ? null : basic
                ? "Basic " + Base64.getEncoder().encodeToString((basicUser + ":" + fresh).getBytes(StandardCharsets.UTF_8))
                : fresh);
    }

    private static Future<HttpClientResponse> send(HttpServerRequest in, HttpClientRequest out, Object body) {
        if (body instanceof Buffer buffer) {
            out.headers().remove("Content-Length");
            return out.send(buffer);
        }
        if (body instanceof ReadStream<?> stream) {
            @SuppressWarnings("unchecked")
            ReadStream<Buffer> buffers = (ReadStream<Buffer>) stream;
            if (!out.headers().contains("Content-Length")) {
                out.setChunked(true);
            }
            return out.send(buffers);
        }
        if (!hasBody(in)) {
            in.resume();
            return out.send();
        }
        if (!out.headers().contains("Content-Length")) {
            out.setChunked(true);
        }
        return out.send(in);
    }

    /**
     * Like {@link #forward} for a small answer the proxy must change: a 200 answer is read whole (up to
     * {@code maxBytes}, else the call fails) and {@code rewrite} applied to it; any other answer streams unchanged.
     * The request must be paused and is sent uncompressed-answer only, so that the bytes can be read.
     */
    public Future<Integer> forwardRewritten(HttpServerRequest in, String pathAndQuery, String authHeader,
            String authValue, int maxBytes, UnaryOperator<byte[]> rewrite) {
        RequestOptions options = new RequestOptions().setMethod(in.method()).setAbsoluteURI(gitlabUrl + pathAndQuery);
        return client.request(options).compose(out -> {
            copyRequestHeaders(in.headers(), out);
            out.headers().remove("Accept-Encoding");
            out.putHeader(authHeader, authValue);
            return send(in, out, null);
        }).compose(answer -> {
            if (answer.statusCode() != 200) {
                return relay(in, answer);
            }
            return readBounded(answer, maxBytes).compose(whole -> {
                Buffer rewritten = Buffer.buffer(rewrite.apply(whole.getBytes()));
                HttpServerResponse response = in.response().setStatusCode(200);
                copyAnswerHeaders(in, answer, response);
                response.headers().remove("Content-Length").remove("Content-Encoding");
                return response.end(rewritten).map(done -> 200);
            });
        });
    }

    private static Future<Buffer> readBounded(HttpClientResponse answer, int maxBytes) {
        Promise<Buffer> whole = Promise.promise();
        Buffer body = Buffer.buffer();
        answer.handler(chunk -> {
            if (body.length() + chunk.length() > maxBytes) {
                answer.handler(null);
                whole.tryFail(new IllegalStateException("GitLab's answer is larger than the proxy reads"));
                return;
            }
            body.appendBuffer(chunk);
        });
        answer.exceptionHandler(whole::tryFail);
        answer.endHandler(ignored -> whole.tryComplete(body));
        return whole.future();
    }

    private Future<Integer> relay(HttpServerRequest in, HttpClientResponse answer) {
        HttpServerResponse response = relayHead(in, answer);
        if (!answer.headers().contains("Content-Length") && !"HEAD".equals(in.method().name())) {
            response.setChunked(true);
        }
        return response.send(answer).map(done -> answer.statusCode());
    }

    /** GitLab's answer, whose body has been read already. */
    private Future<Integer> relayRead(HttpServerRequest in, HttpClientResponse answer, Buffer body) {
        HttpServerResponse response = relayHead(in, answer);
        response.headers().remove("Content-Length");
        return response.end(body).map(done -> answer.statusCode());
    }

    private HttpServerResponse relayHead(HttpServerRequest in, HttpClientResponse answer) {
        HttpServerResponse response = in.response();
        response.setStatusCode(answer.statusCode());
        if (answer.statusMessage() != null) {
            response.setStatusMessage(answer.statusMessage());
        }
        copyAnswerHeaders(in, answer, response);
        return response;
    }

    private void copyAnswerHeaders(HttpServerRequest in, HttpClientResponse answer, HttpServerResponse response) {
        String proxyBase = in.scheme() + "://" + in.authority();
        answer.headers().forEach(header -> {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (NOT_RETURNED.contains(name)) {
                return;
            }
            // Pagination links and redirects name GitLab: point them at the proxy, so that the next call
            // comes back here with the run token.
            String value = ("link".equals(name) || "location".equals(name))
                    ? header.getValue().replace(gitlabUrl, proxyBase) : header.getValue();
            response.headers().add(header.getKey(), value);
        });
    }

    private static void copyRequestHeaders(MultiMap headers, HttpClientRequest out) {
        headers.forEach(header -> {
            if (!NOT_FORWARDED.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                out.headers().add(header.getKey(), header.getValue());
            }
        });
    }

    private static boolean hasBody(HttpServerRequest in) {
        String length = in.getHeader("Content-Length");
        return (length != null && !"0".equals(length.trim())) || in.getHeader("Transfer-Encoding") != null;
    }

    @PreDestroy
    void close() {
        client.close();
    }
}
