package io.gomq.core.session.store;

import io.gomq.core.config.BrokerConfig;
import io.gomq.core.config.Durability;
import io.gomq.core.log.ChronicleMessageLog;
import io.gomq.core.message.Message;
import io.gomq.core.message.Qos;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The cluster's session journal keeps each incoming QoS 2 message in a record of its own; a
 * state written by an older version, with the messages inside, is split when a leader loads it,
 * so that a release (which tombstones only the message's own record) stays released.
 */
@Timeout(30)
class LogSessionJournalInboundTest {
    @TempDir
    Path dir;

    private static Message qos2(String body) {
        return Message.builder("q2/t").payload(body).qos(Qos.EXACTLY_ONCE).build();
    }

    private static SessionState only(List<SessionState> states, String clientId) {
        return states.stream().filter(s -> s.clientId().equals(clientId)).findFirst().orElseThrow();
    }

    @Test
    void aReleaseOfAMessageFromAnOlderVersionsStateStaysReleasedAfterTheNextLoad() {
        BrokerConfig config = BrokerConfig.defaults().dataDir(dir).durability(Durability.WRITE);
        try (ChronicleMessageLog log = ChronicleMessageLog.open(config)) {
            SessionState old = new SessionState("old", Map.of(), 0, Map.of(), Map.of(1, qos2("one"), 2, qos2("two")),
                    SessionState.NEVER, -1, null, 0);
            log.append(Message.wrap(LogSessionJournal.TOPIC_PREFIX + "old", null, SessionStateCodec.encode(old),
                    Qos.AT_LEAST_ONCE, true, 0));

            LogSessionJournal journal = new LogSessionJournal(log);
            assertEquals(Set.of(1, 2), only(journal.reload(), "old").inbound().keySet());
            journal.inboundReleased("old", 1);
            journal.newest().join();

            SessionState reloaded = only(new LogSessionJournal(log).reload(), "old");
            assertEquals(Set.of(2), reloaded.inbound().keySet(), "1 was released");
            assertEquals("two", reloaded.inbound().get(2).payloadAsString());
            assertEquals(0, SessionStateCodec.decode("old", log.retained(LogSessionJournal.TOPIC_PREFIX + "old")
                    .message().payload()).inbound().size(), "the state itself holds no message any more");
        }
    }

    @Test
    void aMessageWhoseSessionWasRemovedIsNotLoadedAndItsRecordIsRemoved() {
        BrokerConfig config = BrokerConfig.defaults().dataDir(dir).durability(Durability.WRITE);
        try (ChronicleMessageLog log = ChronicleMessageLog.open(config)) {
            String orphan = LogSessionJournal.INBOUND_PREFIX + "5/nobody";
            log.append(Message.wrap(orphan, null, new byte[] {1, 2, 3}, Qos.AT_LEAST_ONCE, true, 0));
            LogSessionJournal journal = new LogSessionJournal(log);
            assertEquals(List.of(), journal.reload());
            journal.newest().join();
            assertEquals(null, log.retained(orphan), "tombstoned");
        }
    }
}
