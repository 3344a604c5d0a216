package io.tandem.identity.messaging;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The work a consumer does for one record: attempts with a deadline each, retried with back-off, every failure
 * logged with the record's id and its causes. A record that is never acknowledged holds back its partition's
 * offsets for good (and after {@code throttled.unprocessed-record-max-age.ms} stops the consumer), so work that
 * never completes (a lost callback, an exhausted pool, a silent server) must become a failure: then the record is
 * retried and at last nacked to the dead letters.
 */
final class RecordAttempts {

    private static final int RETRIES = 4;
    /** The back-off doubles from the first one, up to ten times it. */
    private static final int MAX_BACK_OFF_FACTOR = 10;

    private RecordAttempts() {
    }

    /**
     * @param what names the record in log lines, e.g. "invocation 1234"
     * @param firstBackOff the wait before the first retry (then doubled, up to ten times this)
     * @param retryable failures worth another attempt; others fail the record at once
     */
    static Uni<Void> run(String what, Supplier<Uni<Void>> work, Duration deadline, Duration firstBackOff,
            Predicate<Throwable> retryable, Logger log) {
        Executor onRecordContext = recordContext();
        // Each attempt starts on the record's Vert.x context, where Hibernate Reactive needs it, also after a
        // back-off or a deadline, which fire on other threads; the outcome goes back to it as well.
        return Uni.createFrom().deferred(work::get)
                .runSubscriptionOn(onRecordContext)
                .ifNoItem().after(deadline).failWith(() -> new TimeoutException(
                        "not done within " + deadline.toSeconds() + " s"))
                .onFailure(retryable).invoke(failure -> log.warnf("%s: attempt failed: %s", what,
                        Failures.describe(failure)))
                .onFailure(retryable).retry()
                .withBackOff(firstBackOff, firstBackOff.multipliedBy(MAX_BACK_OFF_FACTOR)).atMost(RETRIES)
                .onFailure().invoke(failure -> log.errorf("%s failed, its record goes to the dead letters: %s", what,
                        Failures.describe(failure)))
                .emitOn(onRecordContext);
    }

    private static Executor recordContext() {
        Context context = Vertx.currentContext();
        if (context == null) {
            return Runnable::run;
        }
        return task -> context.runOnContext(ignored -> task.run());
    }
}
