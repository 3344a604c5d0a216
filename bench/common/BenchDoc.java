import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/** Writes one benchmark's section of docs/benchmarks.md between its markers, leaving the rest alone. */
final class BenchDoc {

    static void writeSection(Path file, String name, String section) throws IOException {
        String begin = "<!-- bench:" + name + ":begin -->";
        String end = "<!-- bench:" + name + ":end -->";
        String block = begin + "\n" + section + end + "\n";
        String text = Files.exists(file) ? Files.readString(file) : "# Benchmarks\n\n";
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        if (from >= 0 && to > from) {
            text = text.substring(0, from) + block + text.substring(to + end.length()).replaceFirst("^\n", "");
        } else {
            text = text + (text.endsWith("\n\n") ? "" : "\n") + block;
        }
        Files.writeString(file, text);
    }

    /** {@code 2026-11-26 10:31}, UTC. */
    static String now() {
        return Instant.now().toString().substring(0, 16).replace('T', ' ');
    }

    private BenchDoc() {
    }
}
