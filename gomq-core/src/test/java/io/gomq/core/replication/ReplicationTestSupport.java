package io.gomq.core.replication;

import io.gomq.core.config.BrokerConfig;
import io.gomq.core.config.Durability;
import io.gomq.core.log.LogReader;
import io.gomq.core.log.LogRecord;
import io.gomq.core.log.MessageLog;
import io.gomq.core.message.Message;
import io.gomq.core.message.Qos;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

final class ReplicationTestSupport {
    private ReplicationTestSupport() {
    }

    static MessageLog open(Path dir) {
        return MessageLog.open(BrokerConfig.defaults().dataDir(dir).durability(Durability.WRITE)
                .compactionIntervalMs(3_600_000).retentionMs(0));
    }

    static Message msg(String topic, String payload) {
        return Message.builder(topic).payload(payload).qos(Qos.AT_LEAST_ONCE).build();
    }

    static Message retained(String topic, String payload) {
        return Message.builder(topic).payload(payload).qos(Qos.AT_LEAST_ONCE).retain(true).build();
    }

    static List<LogRecord> all(MessageLog log) {
        List<LogRecord> out = new ArrayList<>();
        try (LogReader r = log.readerFromEarliest()) {
            LogRecord rec;
            while ((rec = r.next()) != null) {
                out.add(rec);
            }
        }
        return out;
    }

    /** offset|topic|payload|retain per record: equal strings mean identical logs. */
    static List<String> dump(MessageLog log) {
        List<String> out = new ArrayList<>();
        for (LogRecord r : all(log)) {
            out.add(r.offset() + "|" + r.message().topic() + "|" + r.message().payloadAsString() + "|" + r.message().retain());
        }
        return out;
    }
}
