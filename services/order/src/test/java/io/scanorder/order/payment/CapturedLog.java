package io.scanorder.order.payment;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;

/** The formatted log records of one class's logger while open, for asserting on-call messages. */
final class CapturedLog extends Handler implements AutoCloseable {
    private record Line(Level level, String message) {}

    private final Logger logger;
    private final List<Line> lines = new ArrayList<>();

    private CapturedLog(Logger logger) {
        this.logger = logger;
        setLevel(Level.ALL);
    }

    /** Starts capturing the records of {@code type}'s logger (JBoss Logging names it so). */
    static CapturedLog of(Class<?> type) {
        CapturedLog log = new CapturedLog(Logger.getLogger(type.getName()));
        log.logger.addHandler(log);
        return log;
    }

    @Override
    public synchronized void publish(LogRecord record) {
        String message =
                record instanceof ExtLogRecord ext
                        ? ext.getFormattedMessage()
                        : record.getMessage();
        lines.add(new Line(record.getLevel(), message));
    }

    /** Messages logged at ERROR (SEVERE) or above. */
    synchronized List<String> errors() {
        return lines.stream()
                .filter(l -> l.level().intValue() >= Level.SEVERE.intValue())
                .map(Line::message)
                .toList();
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
