import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The benchmark's own webhook endpoint, registered as a second project hook on the simulator. It answers at
 * once (the simulator sends each hook's deliveries in order, so a slow receiver would hold up its own lane)
 * and records when hooks arrived and which note and pipeline each mention produced.
 */
final class HookReceiver implements AutoCloseable {

    static final Pattern TAG = Pattern.compile("bench-(\\d+)");

    /**
     * What arrived for one issue or one mention's pipeline: System.nanoTime(), the wall clock (to compare with
     * GitLab's created_at: the simulator runs on this machine) and GitLab's id of the note or pipeline.
     */
    record Arrival(long at, Instant wall, long id) {
    }

    private final ObjectMapper json = new ObjectMapper();
    private final String serviceAccount;
    private final BiConsumer<Long, Long> onPipelineCreated;
    /** Issue iid: the mention's own Note Hook, as delivered to Tandem's hook just before this one. */
    final Map<Long, Arrival> mentions = new ConcurrentHashMap<>();
    /** Issue iid: the service account's first note there (the progress note). */
    final Map<Long, Arrival> notes = new ConcurrentHashMap<>();
    /** Mention sequence number (from AI_FLOW_INPUT): the pipeline's first Pipeline Hook. */
    final Map<Integer, Arrival> pipelines = new ConcurrentHashMap<>();
    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
    private final ExecutorService parser = Executors.newSingleThreadExecutor();
    private final HttpServer server;

    /** {@code onPipelineCreated} gets the project id and the pipeline id, to finish it. */
    HookReceiver(String serviceAccount, BiConsumer<Long, Long> onPipelineCreated) throws Exception {
        this.serviceAccount = serviceAccount;
        this.onPipelineCreated = onPipelineCreated;
        server = vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get();
    }

    String url() {
        return "http://127.0.0.1:" + server.actualPort() + "/hooks";
    }

    private void handle(HttpServerRequest request) {
        long arrived = System.nanoTime();
        Instant wall = Instant.now();
        String event = request.getHeader("X-Gitlab-Event");
        request.body().onSuccess(body -> {
            request.response().setStatusCode(200).end();
            byte[] bytes = body.getBytes();
            parser.execute(() -> record(event, bytes, arrived, wall));
        });
    }

    private void record(String event, byte[] body, long arrived, Instant wall) {
        try {
            if ("Note Hook".equals(event)) {
                note(json.readTree(body), arrived, wall);
            } else if ("Pipeline Hook".equals(event)) {
                pipeline(json.readTree(body), arrived, wall);
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("unreadable " + event + ": " + e);
        }
    }

    private void note(JsonNode hook, long arrived, Instant wall) {
        JsonNode attributes = hook.path("object_attributes");
        if (!"create".equals(attributes.path("action").asText()) || !hook.has("issue")) {
            return;
        }
        long iid = hook.path("issue").path("iid").asLong();
        Arrival arrival = new Arrival(arrived, wall, attributes.path("id").asLong());
        if (serviceAccount.equals(hook.path("user").path("username").asText())) {
            notes.putIfAbsent(iid, arrival);
        } else {
            mentions.putIfAbsent(iid, arrival);
        }
    }

    private void pipeline(JsonNode hook, long arrived, Instant wall) {
        JsonNode attributes = hook.path("object_attributes");
        for (JsonNode variable : attributes.path("variables")) {
            if ("AI_FLOW_INPUT".equals(variable.path("key").asText())) {
                Matcher tag = TAG.matcher(variable.path("value").asText());
                long id = attributes.path("id").asLong();
                if (tag.find() && pipelines.putIfAbsent(Integer.parseInt(tag.group(1)), new Arrival(arrived, wall, id))
                        == null) {
                    onPipelineCreated.accept(hook.path("project").path("id").asLong(), id);
                }
            }
        }
    }

    @Override
    public void close() throws Exception {
        parser.shutdownNow();
        vertx.close().toCompletionStage().toCompletableFuture().get();
    }
}
