package io.tandem.launcher.service;

import io.smallrye.mutiny.Uni;
import io.tandem.launcher.client.GitlabStepException;
import io.tandem.launcher.config.TandemConfig;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Retries a step that failed transiently (no answer, 408, 429, 5xx): a 429's {@code Retry-After} is honoured,
 * anything else waits an exponential back-off with jitter, both capped by {@code gitlab-max-backoff}; after
 * {@code gitlab-retries} retries the last failure is the answer. The wait is a Vert.x timer, so the next
 * attempt runs on the caller's Vert.x context (Hibernate Reactive needs that).
 */
@ApplicationScoped
public class GitlabRetry {

    private static final Logger LOG = Logger.getLogger(GitlabRetry.class);

    private final Vertx vertx;
    private final TandemConfig config;

    public GitlabRetry(Vertx vertx, TandemConfig config) {
        this.vertx = vertx;
        this.config = config;
    }

    public <T> Uni<T> run(String what, Supplier<Uni<T>> attempt) {
        return run(what, attempt, 0);
    }

    private <T> Uni<T> run(String what, Supplier<Uni<T>> attempt, int retry) {
        return Uni.createFrom().<T>deferred(attempt::get).onFailure(f -> TransientFailures.isTransient(f)
                && retry < config.launcher().gitlabRetries()).recoverWithUni(failure -> {
                    Duration wait = delay(failure, retry);
                    LOG.warnf("%s: transient failure, retry %d in %d ms: %s", what, retry + 1, wait.toMillis(),
                            FailureDetail.reason(failure));
                    return sleep(wait).chain(() -> run(what, attempt, retry + 1));
                });
    }

    private Duration delay(Throwable failure, int retry) {
        return delay(retryAfter(failure), retry, config.launcher().gitlabBackoff(),
                config.launcher().gitlabMaxBackoff(), ThreadLocalRandom.current().nextDouble());
    }

    /**
     * {@code Retry-After} when GitLab sent one, else {@code backoff * 2^retry} times a jitter factor between 0.5
     * and 1.5 (from {@code random} in [0, 1)); never more than {@code max}.
     */
    static Duration delay(Duration retryAfter, int retry, Duration backoff, Duration max, double random) {
        if (retryAfter != null) {
            return retryAfter.compareTo(max) > 0 ? max : retryAfter;
        }
        long base = backoff.toMillis() << Math.min(retry, 20);
        long jittered = (long) (base * (0.5 + random));
        return Duration.ofMillis(Math.min(jittered, max.toMillis()));
    }

    private static Duration retryAfter(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof GitlabStepException e) {
                return e.retryAfter();
            }
        }
        return null;
    }

    private Uni<Void> sleep(Duration wait) {
        if (wait.isZero()) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().emitter(e -> vertx.setTimer(wait.toMillis(), id -> e.complete(null)));
    }
}
