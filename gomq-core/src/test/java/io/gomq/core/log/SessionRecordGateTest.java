package io.gomq.core.log;

import io.gomq.core.config.Durability;
import io.gomq.core.message.Qos;
import io.gomq.core.session.store.InflightEntry;
import io.gomq.core.session.store.LogSessionJournal;
import io.gomq.core.session.store.SessionState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A cluster's session records in the log and what a client's packets wait for: a QoS 1 drain
 * goes out before its record is stored, a QoS 2 send and a CONNACK's session do not. The log's
 * writer is held on its own write lock, so "not stored yet" is a fact, not a race.
 */
@Timeout(30)
class SessionRecordGateTest {
    @TempDir
    Path dir;

    @Test
    void onlyWhatAPacketDependsOnHoldsTheClientsPackets() throws Exception {
        try (ChronicleMessageLog log = ChronicleMessageLog.open(LogTestSupport.config(dir).durability(Durability.WRITE))) {
            LogSessionJournal journal = new LogSessionJournal(log);
            log.writeLock().lock(); // the writer stores nothing until we let go
            try {
                journal.created("c", 0);
                assertFalse(journal.written("c").isDone(), "the CONNACK waits for the new session's record");
            } finally {
                log.writeLock().unlock();
            }
            journal.written("c").get(10, TimeUnit.SECONDS);

            log.writeLock().lock();
            CompletableFuture<Void> qos1Record;
            try {
                journal.sent("c", 1, 0, Qos.AT_LEAST_ONCE);
                journal.completed("c", 1, 1);
                journal.sent("c", 2, 1, Qos.AT_LEAST_ONCE);
                journal.flush("c");
                qos1Record = journal.newest();
                assertFalse(qos1Record.isDone(), "the drain's record is on its way to the writer");
                assertTrue(journal.written("c").isDone(), "a QoS 1 PUBLISH does not wait for it");

                journal.sent("c", 3, 2, Qos.EXACTLY_ONCE);
                journal.flush("c");
                assertFalse(journal.written("c").isDone(), "a QoS 2 PUBLISH waits for its record");
            } finally {
                log.writeLock().unlock();
            }
            journal.written("c").get(10, TimeUnit.SECONDS);
            assertTrue(qos1Record.isDone());

            List<SessionState> states = journal.reload();
            assertEquals(1, states.size());
            assertEquals(1, states.get(0).committedOffset());
            assertEquals(List.of(2, 3), states.get(0).inflight().values().stream().map(InflightEntry::packetId).sorted().toList(),
                    "the stored state still has every send, whether its PUBLISH waited or not");
        }
    }
}
