package io.tandem.testsupport;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.awaitility.Awaitility;
import org.jboss.logmanager.ExtLogRecord;

/** What one logger logs while this is open, with the MDC each line had: to assert on the logging context. */
public final class CapturedLogs extends Handler implements AutoCloseable {

    public record Line(String message, Map<String, String> mdc) {
    }

    private final Logger logger;
    private final List<Line> lines = new CopyOnWriteArrayList<>();

    private CapturedLogs(Class<?> loggingClass) {
        this.logger = Logger.getLogger(loggingClass.getName());
        logger.addHandler(this);
    }

    public static CapturedLogs of(Class<?> loggingClass) {
        return new CapturedLogs(loggingClass);
    }

    @Override
    public void publish(LogRecord record) {
        if (record instanceof ExtLogRecord ext) {
            lines.add(new Line(ext.getFormattedMessage(), Map.copyOf(ext.getMdcCopy())));
        } else {
            lines.add(new Line(record.getMessage(), Map.of()));
        }
    }

    /** Waits for a line that contains {@code text}. */
    public Line await(String text) {
        return Awaitility.await().atMost(Duration.ofSeconds(60)).until(
                () -> lines.stream().filter(line -> line.message().contains(text)).findFirst().orElse(null),
                line -> line != null);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
