import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What a result needs next to it: the machine it ran on and how busy that machine was. */
final class BenchMachine {

    static String describe() throws IOException {
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                .filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim())
                .findFirst().orElse("unknown CPU");
        String memory = Files.readAllLines(Path.of("/proc/meminfo")).stream()
                .filter(l -> l.startsWith("MemTotal")).map(l -> l.replaceAll("\\D+", ""))
                .map(kb -> Long.parseLong(kb) / 1024 / 1024 + " GiB").findFirst().orElse("?");
        return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), " + memory + " RAM, Java "
                + System.getProperty("java.version");
    }

    /** The one-minute load average. */
    static String loadAverage() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    }

    /** Resident memory of a process in MiB ({@code VmRSS} of /proc/<pid>/status), or -1 once it is gone. */
    static double rssMiB(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                    .filter(l -> l.startsWith("VmRSS:")).map(l -> l.replaceAll("\\D+", ""))
                    .mapToDouble(kb -> Long.parseLong(kb) / 1024.0).findFirst().orElse(-1);
        } catch (IOException e) {
            return -1;
        }
    }

    private BenchMachine() {
    }
}
