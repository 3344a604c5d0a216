import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Posts mentions of the agent through the simulator's API, as the developer, each to an issue of its own: at a
 * steady rate (an open loop: a mention goes out on schedule whether or not the previous ones were answered), or
 * all at once as a burst. A mention's time is when the simulator answered its POST: the note exists then.
 */
final class MentionLoad {

    /** One mention; {@code postedAt} is System.nanoTime() when the POST returned 201, 0 until then. */
    static final class Mention {
        final int seq;
        final long iid;
        final long sentAt;
        volatile long postedAt;
        volatile boolean failed;
        /** GitLab's created_at (milliseconds) of the mention, its progress note and its pipeline. */
        volatile Instant created;
        volatile Instant noteCreated;
        volatile Instant pipelineCreated;

        Mention(int seq, long iid, long sentAt) {
            this.seq = seq;
            this.iid = iid;
            this.sentAt = sentAt;
        }
    }

    private final JsonHttp http;
    private final BenchSeed seed;
    private final long[] iids;
    private int next;

    MentionLoad(JsonHttp http, BenchSeed seed, long[] iids) {
        this.http = http;
        this.seed = seed;
        this.iids = iids;
    }

    List<Mention> steady(double perSecond, Duration window) {
        int count = (int) Math.round(perSecond * window.toNanos() / 1e9);
        long period = (long) (1e9 / perSecond);
        List<Mention> sent = new ArrayList<>(count);
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long due = start + i * period;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            sent.add(send());
        }
        return sent;
    }

    List<Mention> burst(int count) {
        List<Mention> sent = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            sent.add(send());
        }
        return sent;
    }

    private Mention send() {
        if (next >= iids.length) {
            throw new IllegalStateException("out of seeded issues: raise the issue count");
        }
        int seq = next;
        Mention mention = new Mention(seq, iids[next++], System.nanoTime());
        String body = "@" + seed.serviceAccount + " please find why the login page crashes (bench-" + seq + ")";
        http.postAsync(seed.issuesUrl() + "/" + mention.iid + "/notes", seed.developerToken, Map.of("body", body))
                .whenComplete((response, error) -> {
                    if (error == null && response.statusCode() == 201) {
                        mention.postedAt = System.nanoTime();
                        mention.created = Instant.parse(JsonHttp.read(response.body()).path("created_at").asText());
                    } else {
                        mention.failed = true;
                        System.err.println("mention " + seq + " failed: "
                                + (error != null ? error : response.statusCode() + " " + response.body()));
                    }
                });
        return mention;
    }
}
