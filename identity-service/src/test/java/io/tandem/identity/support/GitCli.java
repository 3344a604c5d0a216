package io.tandem.identity.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The stock {@code git} client, run with its own HOME and no prompts, its output and exit code captured. */
public final class GitCli {

    public record Result(int code, String output) {
    }

    public static Result git(Path home, Path dir, String... args) throws IOException, InterruptedException {
        return git(home, dir, 120, args);
    }

    public static Result git(Path home, Path dir, int timeoutSeconds, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git", "-c", "user.name=Agent", "-c",
                "user.email=agent@example.com", "-c", "init.defaultBranch=main"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().put("HOME", home.toString());
        builder.environment().put("GIT_TERMINAL_PROMPT", "0");
        builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return new Result(-1, "timed out");
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    private GitCli() {
    }
}
