package io.gomq.core.engine;

import io.gomq.core.log.LogRecord;
import io.gomq.core.log.MessageLog;
import io.gomq.core.message.Message;

import java.util.Arrays;

/**
 * Whether the log already holds an incoming QoS 2 message restored after a restart: the same
 * topic, receipt timestamp and payload. The search starts a second before the receipt (appends
 * from several publishers may be slightly out of timestamp order) and reads at most
 * {@link #SCAN_LIMIT} records of the topic: a PUBREL comes soon after its PUBLISH. Runs only for
 * the few messages that were in a QoS 2 exchange when the broker stopped.
 */
final class InboundDuplicates {
    static final int SCAN_LIMIT = 10_000;

    private InboundDuplicates() {
    }

    static boolean logHolds(MessageLog log, Message m) {
        if (log == null) {
            return false;
        }
        long from = Math.max(log.startOffset(), log.offsetForTimestamp(m.timestampMillis() - 1_000));
        byte[] payload = m.payloadBytes();
        for (LogRecord r : log.readTopic(m.topic(), from, SCAN_LIMIT)) {
            Message s = r.message();
            if (s.timestampMillis() == m.timestampMillis() && Arrays.equals(s.payloadBytes(), payload)) {
                return true;
            }
        }
        return false;
    }
}
