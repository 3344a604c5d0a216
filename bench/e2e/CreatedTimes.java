import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

/**
 * Reads, after a load level, GitLab's own created_at (milliseconds) of each mention's progress note and
 * pipeline: the moment they existed, free of the simulator's webhook queue, which sends every hook from one
 * thread and so delays the hooks that announce them.
 */
final class CreatedTimes {

    private final JsonHttp http;
    private final String project;

    CreatedTimes(JsonHttp http, String gitlabUrl, long projectId) {
        this.http = http;
        this.project = gitlabUrl + "/api/v4/projects/" + projectId;
    }

    void fill(List<MentionLoad.Mention> mentions, HookReceiver receiver) {
        Semaphore inFlight = new Semaphore(16);
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (MentionLoad.Mention m : mentions) {
            HookReceiver.Arrival note = receiver.notes.get(m.iid);
            HookReceiver.Arrival pipeline = receiver.pipelines.get(m.seq);
            if (note != null) {
                all.add(read(inFlight, project + "/issues/" + m.iid + "/notes/" + note.id(), t -> m.noteCreated = t));
            }
            if (pipeline != null) {
                all.add(read(inFlight, project + "/pipelines/" + pipeline.id(), t -> m.pipelineCreated = t));
            }
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
    }

    private CompletableFuture<?> read(Semaphore inFlight, String url, Consumer<Instant> created) {
        inFlight.acquireUninterruptibly();
        return http.getAsync(url, BenchStack.ROOT_TOKEN).thenAccept(response -> created.accept(createdAt(response)))
                .whenComplete((ok, error) -> inFlight.release());
    }

    private static Instant createdAt(HttpResponse<String> response) {
        JsonNode body = JsonHttp.read(response.body());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET answered " + response.statusCode() + ": " + response.body());
        }
        return Instant.parse(body.path("created_at").asText());
    }
}
