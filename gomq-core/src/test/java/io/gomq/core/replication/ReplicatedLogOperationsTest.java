package io.gomq.core.replication;

import io.gomq.core.log.LogException;
import io.gomq.core.log.LogRecord;
import io.gomq.core.log.MessageLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static io.gomq.core.replication.ReplicationTestSupport.all;
import static io.gomq.core.replication.ReplicationTestSupport.dump;
import static io.gomq.core.replication.ReplicationTestSupport.msg;
import static io.gomq.core.replication.ReplicationTestSupport.open;
import static io.gomq.core.replication.ReplicationTestSupport.retained;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The log methods replication adds: appendReplicated, truncateTo, replica mode. */
@Timeout(60)
class ReplicatedLogOperationsTest {

    @Test
    void appendReplicatedKeepsLeaderOffsetsWithGapsAcrossRestart(@TempDir Path dir) {
        List<LogRecord> batch = List.of(new LogRecord(0, msg("a", "0")), new LogRecord(1, msg("a", "1")),
                new LogRecord(7, msg("b", "7")), new LogRecord(8, msg("a", "8")), new LogRecord(20, msg("c", "20")));
        List<String> before;
        try (MessageLog log = open(dir)) {
            assertEquals(21, log.appendReplicated(batch));
            assertEquals(21, log.appendReplicated(batch.subList(2, 5)), "a re-sent batch is skipped");
            before = dump(log);
            assertEquals(List.of("0|a|0|false", "1|a|1|false", "7|b|7|false", "8|a|8|false", "20|c|20|false"), before);
            assertEquals(List.of(8L), log.readTopic("a", 2, 10).stream().map(LogRecord::offset).toList());
            try (var r = log.reader(3)) {
                assertEquals(7, r.next().offset(), "a reader seeking into a gap starts at the next record");
            }
        }
        try (MessageLog log = open(dir)) {
            assertEquals(before, dump(log), "recovery accepts gaps");
            assertEquals(21, log.endOffset());
        }
    }

    @Test
    void truncateToDropsTheSuffixDurablyAndRestoresRetained(@TempDir Path dir) {
        try (MessageLog log = open(dir)) {
            log.append(retained("r", "old"));          // 0
            for (int i = 1; i < 50; i++) {
                log.append(msg("t", "m" + i));           // 1..49
            }
            log.roll();
            for (int i = 50; i < 80; i++) {
                log.append(msg("t", "m" + i));           // 50..79
            }
            log.append(retained("r", "new"));          // 80
            log.append(retained("gone", "x"));         // 81
            log.truncateTo(60);
            assertEquals(60, log.endOffset());
            assertEquals("old", log.retained("r").message().payloadAsString(), "retained falls back below the cut");
            assertNull(log.retained("gone"));
            assertEquals(60, all(log).size());
            assertEquals(59, all(log).get(59).offset());
            assertEquals(10, log.readTopic("t", 50, 100).size());
            assertEquals(60, log.append(msg("t", "after")), "the next append takes the cut offset");
        }
        try (MessageLog log = open(dir)) {
            List<LogRecord> recs = all(log);
            assertEquals(61, recs.size(), "the suffix does not come back after a restart");
            assertEquals("after", recs.get(60).message().payloadAsString());
            assertEquals("old", log.retained("r").message().payloadAsString());
            log.truncateTo(10);                          // cut inside a compacted (truncated) segment
            assertEquals(10, all(log).size());
        }
        try (MessageLog log = open(dir)) {
            assertEquals(10, all(log).size());
            assertEquals(10, log.endOffset());
        }
    }

    @Test
    void replicaModeRefusesAppendsButTakesReplicatedRecords(@TempDir Path dir) {
        try (MessageLog log = open(dir)) {
            log.replicaMode(true);
            assertThrows(LogException.class, () -> log.append(msg("a", "x")));
            assertEquals(1, log.appendReplicated(List.of(new LogRecord(0, msg("a", "y")))));
            log.replicaMode(false);
            assertEquals(1, log.append(msg("a", "z")));
        }
    }
}
