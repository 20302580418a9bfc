package io.gomq.launcher.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import java.util.List;

/** Records the lines of the {@code gomq.audit} logger of an in-process broker while open. */
public final class AuditCapture implements AutoCloseable {
    private final Logger logger = (Logger) LoggerFactory.getLogger("gomq.audit");
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    public AuditCapture() {
        appender.start();
        logger.addAppender(appender);
    }

    /** The formatted lines so far. */
    public List<String> lines() {
        synchronized (appender.list) {
            return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    /** The first line containing every one of {@code parts}, or null. */
    public String find(String... parts) {
        for (String line : lines()) {
            boolean all = true;
            for (String p : parts) {
                all &= line.contains(p);
            }
            if (all) {
                return line;
            }
        }
        return null;
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        appender.stop();
    }
}
