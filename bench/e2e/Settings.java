import java.util.Arrays;

/** The e2e benchmark's knobs, from system properties that bench/e2e/run.sh fills from the environment. */
record Settings(double[] rates, int windowSeconds, int warmupSeconds, int burst, int drainSeconds) {

    static Settings fromSystemProperties() {
        double[] rates = Arrays.stream(System.getProperty("bench.rates", "10,25,50").split(","))
                .mapToDouble(Double::parseDouble).toArray();
        return new Settings(rates, Integer.getInteger("bench.seconds", 30), Integer.getInteger("bench.warmup", 15),
                Integer.getInteger("bench.burst", 200), Integer.getInteger("bench.drain", 120));
    }

    /** Issues to seed: one per mention of the warm-up, every level and the burst. */
    int mentions() {
        double steady = Arrays.stream(rates).map(r -> r * windowSeconds).sum();
        return (int) Math.ceil(rates[0] * warmupSeconds + steady + burst) + rates.length + 1;
    }
}
