import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** Samples the services' resident memory twice a second and keeps each one's peak since the last reset. */
final class RssSampler implements AutoCloseable {

    private final Supplier<Map<String, Double>> source;
    private final Thread thread;
    private Map<String, Double> peaks = new LinkedHashMap<>();

    RssSampler(Supplier<Map<String, Double>> source) {
        this.source = source;
        this.thread = new Thread(this::run, "rss-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (!Thread.currentThread().isInterrupted()) {
            Map<String, Double> now = source.get();
            synchronized (this) {
                now.forEach((service, rss) -> peaks.merge(service, rss, Math::max));
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The peaks since the previous call. */
    synchronized Map<String, Double> takePeaks() {
        source.get().forEach((service, rss) -> peaks.merge(service, rss, Math::max));
        Map<String, Double> taken = peaks;
        peaks = new LinkedHashMap<>();
        return taken;
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
