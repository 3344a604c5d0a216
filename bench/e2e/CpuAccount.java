import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * CPU time (user + system) of each part of the stack, read from /proc: what a mention costs, and where. A reading
 * is cumulative; the difference of two readings is what was spent between them. Besides the parts, "machine busy"
 * (all processes of this machine, from /proc/stat) and "steal" (time the hypervisor gave to other machines: the
 * noise of a shared host) are counted.
 */
final class CpuAccount {

    /** USER_HZ: /proc reports times in these ticks, 100 per second on Linux whatever the kernel's own tick. */
    private static final double MS_PER_TICK = 10;
    static final String MACHINE = "machine busy";
    static final String STEAL = "steal";
    /** Not CPU: the wall-clock milliseconds, to set the rest against. */
    static final String WALL = "wall";

    private final Supplier<Map<String, Long>> pids;
    private final long postmaster;

    /**
     * @param pids the JVMs to count, by name, read again at each reading
     * @param postmaster PostgreSQL's server process: its own time, its live backends' and its ended backends'
     */
    CpuAccount(Supplier<Map<String, Long>> pids, long postmaster) {
        this.pids = pids;
        this.postmaster = postmaster;
    }

    /** Milliseconds of CPU used so far, by part. */
    Map<String, Double> read() {
        Map<String, Double> used = new LinkedHashMap<>();
        pids.get().forEach((name, pid) -> used.put(name, ticks(stat(pid), false) * MS_PER_TICK));
        used.put("PostgreSQL", postgresTicks() * MS_PER_TICK);
        long[] machine = machineTicks();
        used.put(MACHINE, machine[0] * MS_PER_TICK);
        used.put(STEAL, machine[1] * MS_PER_TICK);
        used.put(WALL, System.nanoTime() / 1e6);
        return used;
    }

    /** {@code later - earlier}, part by part. */
    static Map<String, Double> spent(Map<String, Double> earlier, Map<String, Double> later) {
        Map<String, Double> spent = new LinkedHashMap<>();
        later.forEach((part, ms) -> spent.put(part, ms - earlier.getOrDefault(part, 0.0)));
        return spent;
    }

    private long postgresTicks() {
        long total = ticks(stat(postmaster), true);
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path process : (Iterable<Path>) processes::iterator) {
                String name = process.getFileName().toString();
                if (name.chars().allMatch(Character::isDigit)) {
                    String[] stat = stat(Long.parseLong(name));
                    if (stat.length > 3 && Long.parseLong(stat[3]) == postmaster) {
                        total += ticks(stat, false);
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        return total;
    }

    /**
     * The fields of /proc/pid/stat, field N of proc(5) at index N - 1 (the command name, which may hold spaces,
     * left out); empty once the process is gone.
     */
    private static String[] stat(long pid) {
        try {
            String line = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] rest = line.substring(line.lastIndexOf(')') + 2).split(" ");
            String[] fields = new String[rest.length + 2];
            System.arraycopy(rest, 0, fields, 2, rest.length);
            fields[0] = Long.toString(pid);
            fields[1] = "";
            return fields;
        } catch (IOException e) {
            return new String[0];
        }
    }

    /** utime + stime (fields 14 and 15 of proc(5)), and cutime + cstime (16, 17) of reaped children if asked. */
    private static long ticks(String[] stat, boolean reapedChildren) {
        if (stat.length < 17) {
            return 0;
        }
        long ticks = Long.parseLong(stat[13]) + Long.parseLong(stat[14]);
        return reapedChildren ? ticks + Long.parseLong(stat[15]) + Long.parseLong(stat[16]) : ticks;
    }

    /** {busy, steal} of the whole machine, from the first line of /proc/stat. */
    private static long[] machineTicks() {
        try {
            String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            // user nice system idle iowait irq softirq steal ...
            long busy = Long.parseLong(cpu[1]) + Long.parseLong(cpu[2]) + Long.parseLong(cpu[3])
                    + Long.parseLong(cpu[6]) + Long.parseLong(cpu[7]);
            return new long[] {busy, Long.parseLong(cpu[8])};
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/stat", e);
        }
    }
}
