package io.tandem.testsupport;

import java.nio.file.Path;

/**
 * Entry point for {@code bin/tandem}: {@code kafka <port> <dir>} or {@code postgres <port> <dir>} runs that
 * server in the foreground until the JVM is told to stop (SIGTERM), then shuts it down cleanly.
 */
public final class LocalStackMain {

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 3) {
            System.err.println("usage: LocalStackMain kafka|postgres <port> <dir>");
            System.exit(2);
        }
        int port = Integer.parseInt(args[1]);
        Path dir = Path.of(args[2]).toAbsolutePath();
        AutoCloseable server = switch (args[0]) {
            case "kafka" -> KafkaBroker.start(dir, port, false);
            case "postgres" -> PostgresServer.start(dir, port);
            default -> throw new IllegalArgumentException("unknown part " + args[0]);
        };
        Runtime.getRuntime().addShutdownHook(new java.lang.Thread(() -> {
            try {
                server.close();
            } catch (Exception e) {
                e.printStackTrace();
            }
        }));
        System.out.println(args[0] + " ready on 127.0.0.1:" + port);
        java.lang.Thread.currentThread().join();
    }

    private LocalStackMain() {
    }
}
