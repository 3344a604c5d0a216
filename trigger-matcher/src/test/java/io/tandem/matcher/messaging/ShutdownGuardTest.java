package io.tandem.matcher.messaging;

import static org.junit.jupiter.api.Assertions.assertFalse;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Plain unit test: the guard decides between ack, nack (dead letters) and neither, without a running app. */
class ShutdownGuardTest {

    private final ShutdownGuard guard = new ShutdownGuard();

    @Test
    void whileRunningAFailureStillFailsTheRecord() {
        UniAssertSubscriber<Void> handled = guard.guard(() -> Uni.createFrom().<Void>failure(
                new IllegalStateException("broken"))).subscribe().withSubscriber(UniAssertSubscriber.create());

        handled.assertFailedWith(IllegalStateException.class, "broken");
    }

    @Test
    void aFailureOnceStoppingLeavesTheRecordNeitherAckedNorNacked() {
        UniAssertSubscriber<Void> handled = guard.guard(() -> {
            guard.onStop(null); // the pools close under the work
            return Uni.createFrom().failure(new IllegalStateException("Pool closed"));
        }).subscribe().withSubscriber(UniAssertSubscriber.create());

        handled.assertNotTerminated();
    }

    @Test
    void aRecordReachedOnceStoppingIsNotStarted() {
        AtomicBoolean started = new AtomicBoolean();
        guard.onStop(null);

        UniAssertSubscriber<Void> handled = guard.guard(() -> {
            started.set(true);
            return Uni.createFrom().voidItem();
        }).subscribe().withSubscriber(UniAssertSubscriber.create());

        handled.assertNotTerminated();
        assertFalse(started.get(), "a record reached once stopping must not start");
    }

    @Test
    void aSuccessIsAcknowledged() {
        guard.guard(() -> Uni.createFrom().voidItem()).subscribe().withSubscriber(UniAssertSubscriber.create())
                .assertCompleted();
    }
}
