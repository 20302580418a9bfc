package io.gomq.core.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.gomq.core.config.BrokerConfig;
import io.gomq.core.config.Durability;
import io.gomq.core.message.Message;
import io.gomq.core.message.Qos;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** Shared helpers for the log tests. */
final class LogTestSupport {
    private LogTestSupport() {
    }

    static BrokerConfig config(Path dir) {
        return BrokerConfig.defaults().dataDir(dir).durability(Durability.WRITE)
                .compactionIntervalMs(3_600_000).retentionMs(0);
    }

    static Message msg(String topic, String payload) {
        return Message.builder(topic).payload(payload).qos(Qos.AT_LEAST_ONCE).build();
    }

    static Message retainedMsg(String topic, String payload) {
        return Message.builder(topic).payload(payload).qos(Qos.AT_LEAST_ONCE).retain(true).build();
    }

    static String text(LogRecord r) {
        return new String(r.message().payloadBytes(), StandardCharsets.UTF_8);
    }

    /** Captures the log events of the log's and the session store's loggers while open. */
    static final class CapturedLogs implements AutoCloseable {
        private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
        private final List<Logger> loggers = List.of((Logger) LoggerFactory.getLogger("io.gomq.core.log"),
                (Logger) LoggerFactory.getLogger("io.gomq.core.session.store"));

        CapturedLogs() {
            appender.start();
            for (Logger logger : loggers) {
                logger.addAppender(appender);
                logger.setLevel(Level.INFO);
            }
        }

        List<String> at(Level level) {
            return appender.list.stream().filter(e -> e.getLevel() == level)
                    .map(ILoggingEvent::getFormattedMessage).collect(Collectors.toList());
        }

        @Override
        public void close() {
            loggers.forEach(l -> l.detachAppender(appender));
        }
    }
}
