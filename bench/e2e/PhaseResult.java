import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The latencies of one load level (a steady rate, or the burst) and the services' peak memory meanwhile.
 * {@code note} and {@code pipeline} run from the mention's created_at to the progress note's and the pipeline's
 * (GitLab's clock, milliseconds); the {@code delivered} ones from the mention's POST returning to their hooks
 * reaching the benchmark; {@code hookLag} from the POST returning to the mention's own hook arriving;
 * {@code noteAfterHook} and {@code pipelineAfterHook} from that arrival (Tandem has accepted the webhook by then)
 * to the note's and the pipeline's created_at: Tandem's share, without the simulator's webhook queue.
 * {@code cpuMs}: CPU time by part of the stack from the level's first mention until its backlog cleared and its
 * runs ended (empty until {@link #withCpu} is called).
 */
record PhaseResult(String name, double offeredPerSecond, int mentions, int failedPosts, Percentiles post,
        Percentiles hookLag, Percentiles noteAfterHook, Percentiles pipelineAfterHook, Percentiles note, Percentiles pipeline, Percentiles noteDelivered,
        Percentiles pipelineDelivered, int missingNotes, int missingPipelines, Map<String, Double> peakRss,
        Map<String, Double> cpuMs) {

    boolean burst() {
        return Double.isNaN(offeredPerSecond);
    }

    static PhaseResult of(String name, double offeredPerSecond, List<MentionLoad.Mention> mentions,
            HookReceiver receiver, Map<String, Double> peakRss) {
        List<Double> post = new ArrayList<>();
        List<Double> lag = new ArrayList<>();
        List<Double> noteAfterHook = new ArrayList<>();
        List<Double> pipelineAfterHook = new ArrayList<>();
        List<Double> note = new ArrayList<>();
        List<Double> pipeline = new ArrayList<>();
        List<Double> noteDelivered = new ArrayList<>();
        List<Double> pipelineDelivered = new ArrayList<>();
        int failed = 0;
        int missingNotes = 0;
        int missingPipelines = 0;
        for (MentionLoad.Mention m : mentions) {
            if (m.postedAt == 0) {
                failed++;
                continue;
            }
            post.add((m.postedAt - m.sentAt) / 1e6);
            HookReceiver.Arrival own = receiver.mentions.get(m.iid);
            if (own != null) {
                lag.add((own.at() - m.postedAt) / 1e6);
            }
            HookReceiver.Arrival noted = receiver.notes.get(m.iid);
            HookReceiver.Arrival piped = receiver.pipelines.get(m.seq);
            if (noted == null) {
                missingNotes++;
            } else {
                noteDelivered.add((noted.at() - m.postedAt) / 1e6);
                add(note, m.created, m.noteCreated);
                if (own != null) {
                    add(noteAfterHook, own.wall(), m.noteCreated);
                }
            }
            if (piped == null) {
                missingPipelines++;
            } else {
                pipelineDelivered.add((piped.at() - m.postedAt) / 1e6);
                add(pipeline, m.created, m.pipelineCreated);
                if (own != null) {
                    add(pipelineAfterHook, own.wall(), m.pipelineCreated);
                }
            }
        }
        return new PhaseResult(name, offeredPerSecond, mentions.size(), failed, Percentiles.of(array(post)),
                Percentiles.of(array(lag)), Percentiles.of(array(noteAfterHook)),
                Percentiles.of(array(pipelineAfterHook)), Percentiles.of(array(note)), Percentiles.of(array(pipeline)),
                Percentiles.of(array(noteDelivered)), Percentiles.of(array(pipelineDelivered)), missingNotes,
                missingPipelines, peakRss, Map.of());
    }

    PhaseResult withCpu(Map<String, Double> cpuMs) {
        return new PhaseResult(name, offeredPerSecond, mentions, failedPosts, post, hookLag, noteAfterHook,
                pipelineAfterHook, note, pipeline, noteDelivered, pipelineDelivered, missingNotes, missingPipelines,
                peakRss, cpuMs);
    }

    private static void add(List<Double> into, Instant from, Instant to) {
        if (from != null && to != null) {
            into.add(Duration.between(from, to).toNanos() / 1e6);
        }
    }

    private static double[] array(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
