package io.tandem.matcher.support;

import static org.awaitility.Awaitility.await;

import io.tandem.events.AuditEvent;
import io.tandem.events.InvocationDenied;
import io.tandem.events.InvocationQueued;
import io.tandem.events.InvocationRequested;
import io.tandem.events.ThreadCommand;
import io.tandem.events.Topics;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/** What trigger-matcher published, read from the broker from the beginning of each topic. */
public final class Published implements AutoCloseable {

    public final KafkaRecords.Reader<InvocationRequested> requested =
            new KafkaRecords.Reader<>(Topics.INVOCATIONS_REQUESTED, InvocationRequested.class);
    public final KafkaRecords.Reader<InvocationQueued> queued =
            new KafkaRecords.Reader<>(Topics.INVOCATIONS_QUEUED, InvocationQueued.class);
    public final KafkaRecords.Reader<ThreadCommand> commands =
            new KafkaRecords.Reader<>(Topics.THREAD_COMMANDS, ThreadCommand.class);
    public final KafkaRecords.Reader<InvocationDenied> denied =
            new KafkaRecords.Reader<>(Topics.INVOCATIONS_DENIED, InvocationDenied.class);
    public final KafkaRecords.Reader<AuditEvent> audit = new KafkaRecords.Reader<>(Topics.AUDIT, AuditEvent.class);

    public InvocationRequested awaitRequested(Predicate<InvocationRequested> wanted) {
        return awaitOne(requested, wanted);
    }

    public InvocationQueued awaitQueued(Predicate<InvocationQueued> wanted) {
        return awaitOne(queued, wanted);
    }

    public ThreadCommand awaitCommand(Predicate<ThreadCommand> wanted) {
        return awaitOne(commands, wanted);
    }

    public InvocationDenied awaitDenied(Predicate<InvocationDenied> wanted) {
        return awaitOne(denied, wanted);
    }

    public AuditEvent awaitAudit(Predicate<AuditEvent> wanted) {
        return awaitOne(audit, wanted);
    }

    public List<InvocationRequested> requested(Predicate<InvocationRequested> wanted) {
        return all(requested, wanted);
    }

    public List<InvocationQueued> queued(Predicate<InvocationQueued> wanted) {
        return all(queued, wanted);
    }

    public List<ThreadCommand> commands(Predicate<ThreadCommand> wanted) {
        return all(commands, wanted);
    }

    public List<InvocationDenied> denied(Predicate<InvocationDenied> wanted) {
        return all(denied, wanted);
    }

    private static <T> T awaitOne(KafkaRecords.Reader<T> reader, Predicate<T> wanted) {
        return await().atMost(Duration.ofSeconds(60)).until(
                () -> reader.poll().stream().map(KafkaRecords.Keyed::value).filter(wanted).findFirst().orElse(null),
                found -> found != null);
    }

    private static <T> List<T> all(KafkaRecords.Reader<T> reader, Predicate<T> wanted) {
        return reader.poll().stream().map(KafkaRecords.Keyed::value).filter(wanted).toList();
    }

    @Override
    public void close() {
        requested.close();
        queued.close();
        commands.close();
        denied.close();
        audit.close();
    }
}
