package io.gomq.core.log;

import ch.qos.logback.classic.Level;
import io.gomq.core.config.BrokerConfig;
import io.gomq.core.message.Message;
import io.gomq.testing.ManualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.gomq.core.log.LogTestSupport.config;
import static io.gomq.core.log.LogTestSupport.msg;
import static io.gomq.core.log.LogTestSupport.retainedMsg;
import static io.gomq.core.log.LogTestSupport.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class SegmentRetentionCompactionTest {
    @TempDir
    Path dir;

    private List<String> segmentNames() throws Exception {
        try (Stream<Path> s = Files.list(dir.resolve("log/segments"))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static List<LogRecord> readAll(MessageLog log) {
        List<LogRecord> out = new ArrayList<>();
        try (LogReader r = log.readerFromEarliest()) {
            LogRecord rec;
            while ((rec = r.next()) != null) {
                out.add(rec);
            }
        }
        return out;
    }

    @Test
    void shouldRollSegmentsWhenSizeIsReached() throws Exception {
        BrokerConfig c = config(dir).segmentBytes(10_000);
        try (MessageLog log = MessageLog.open(c)) {
            for (int i = 0; i < 1000; i++) {
                log.append(msg("t/" + (i % 5), "x".repeat(80)));
            }
            assertTrue(log.stats().segmentCount() >= 10, log.stats().toString());
            assertEquals(1000, readAll(log).size());
            assertEquals(200, log.readTopic("t/3", 0, 1000).size());
        }
        assertTrue(segmentNames().size() >= 10);
        try (MessageLog log = MessageLog.open(c)) {
            List<LogRecord> all = readAll(log);
            assertEquals(1000, all.size());
            for (int i = 0; i < 1000; i++) {
                assertEquals(i, all.get(i).offset());
            }
        }
    }

    @Test
    void shouldRollSegmentWhenRollTimePassed() throws Exception {
        ManualClock clock = new ManualClock();
        try (MessageLog log = MessageLog.open(config(dir).segmentRollMs(60_000).clock(clock))) {
            log.append(msg("t", "a"));
            log.append(Message.builder("t").payload("b").timestampMillis(clock.millis()).build());
            assertEquals(1, log.stats().segmentCount(), "not before its roll time");
            clock.advance(Duration.ofMinutes(10)); // well past it: the segment's age counts from a real-time append
            log.append(Message.builder("t").payload("c").timestampMillis(clock.millis()).build());
            assertEquals(2, log.stats().segmentCount());
            assertEquals(3, readAll(log).size());
        }
    }

    @Test
    void shouldDeleteOnlyOldSealedSegmentsWhenRetentionBytesExceeded() throws Exception {
        try (MessageLog log = MessageLog.open(config(dir).segmentBytes(5_000).retentionBytes(20_000))) {
            log.append(retainedMsg("keep/me", "retained-early")); // offset 0, must survive retention
            for (int i = 1; i < 1000; i++) {
                log.append(msg("t", "payload-" + i + "x".repeat(60)));
            }
            long before = log.stats().segmentCount();
            int deleted = log.enforceRetentionNow();
            assertTrue(deleted > 0);
            LogStats s = log.stats();
            assertEquals(before - deleted, s.segmentCount());
            assertTrue(s.sizeBytes() <= 20_000 + 5_000, s.toString());
            assertTrue(log.startOffset() > 0);
            // the retained message was carried forward (the background maintenance may have done it too)
            assertTrue(log.endOffset() >= 1000 + 1, "end " + log.endOffset());
            List<LogRecord> all = readAll(log);
            assertEquals(log.startOffset(), all.get(0).offset());
            // the last plain record; the retained copy may stand after it or, when the background maintenance
            // carried it forward during the appends, before it
            List<LogRecord> plain = all.stream().filter(r -> !r.message().retain()).toList();
            assertEquals("payload-999" + "x".repeat(60), text(plain.get(plain.size() - 1)));
            assertEquals("retained-early", text(log.retained("keep/me")));
            assertTrue(log.retained("keep/me").offset() >= 1000);
        }
        try (MessageLog log = MessageLog.open(config(dir).segmentBytes(5_000))) {
            assertEquals("retained-early", text(log.retained("keep/me")));
            assertTrue(log.startOffset() > 0);
        }
    }

    @Test
    void shouldDeleteSegmentsPastAgeButNeverTheHeadWhenRetentionMsExpires() throws Exception {
        try (MessageLog log = MessageLog.open(config(dir).segmentBytes(2_000).retentionMs(60_000))) {
            long old = System.currentTimeMillis() - 120_000;
            for (int i = 0; i < 100; i++) {
                log.append(Message.builder("t").payload("old-" + i + "x".repeat(50)).timestampMillis(old).build());
            }
            log.roll();
            for (int i = 0; i < 10; i++) {
                log.append(msg("t", "new-" + i));
            }
            log.enforceRetentionNow(); // the background maintenance may have deleted them already
            List<LogRecord> all = readAll(log);
            assertEquals(10, all.size());
            assertEquals("new-0", text(all.get(0)));
            assertEquals(100, log.startOffset());
        }
        ManualClock clock = new ManualClock();
        try (MessageLog log = MessageLog.open(config(dir).retentionMs(1).clock(clock))) {
            clock.advance(Duration.ofMillis(5));
            log.enforceRetentionNow(); // everything is "old", yet the head stays
            assertEquals(110, log.endOffset());
            assertTrue(log.stats().segmentCount() >= 1);
        }
    }

    @Test
    void shouldKeepNewestPerKeyWithOffsetsWhenCompactingSealedSegments() throws Exception {
        Map<String, Long> newest = new HashMap<>();
        try (MessageLog log = MessageLog.open(config(dir).segmentBytes(20_000))) {
            for (int i = 0; i < 3000; i++) {
                String topic = "dev/" + (i % 20);
                long off = log.append(msg(topic, "v" + i + " " + "payload ".repeat(8)));
                newest.put(topic, off);
            }
            log.append(Message.builder("dev/keyed").key("K").payload("k1").build());
            long k2 = log.append(Message.builder("other/topic").key("K").payload("k2").build());
            log.roll();
            long endBefore = log.endOffset();
            CompactionResult r = log.compactNow();
            assertTrue(r.segmentsRewritten() > 0);
            assertEquals(21, r.recordsAfter()); // 20 topics + key K once
            assertTrue(r.compressionRatio() > 1.0, "ratio " + r.compressionRatio());
            LogStats s = log.stats();
            assertTrue(s.compactedSegmentCount() > 0);
            assertTrue(s.compressionRatio() > 1.0);
            assertEquals(endBefore, log.endOffset());
            List<LogRecord> all = readAll(log);
            assertEquals(21, all.size());
            for (LogRecord rec : all) {
                if (rec.message().topic().startsWith("dev/") && !rec.message().topic().equals("dev/keyed")) {
                    assertEquals(newest.get(rec.message().topic()), rec.offset());
                    assertTrue(text(rec).startsWith("v" + rec.offset() + " "));
                }
            }
            assertEquals(k2, all.get(all.size() - 1).offset());
            assertEquals(1, log.readTopic("dev/3", 0, 100).size());
            assertEquals(newest.get("dev/3"), log.readTopic("dev/3", 0, 100).get(0).offset());
            // appends continue after compaction
            assertEquals(endBefore, log.append(msg("dev/3", "later")));
        }
        assertFalse(segmentNames().stream().anyMatch(n -> n.endsWith(".tmp")));
        try (MessageLog log = MessageLog.open(config(dir))) {
            List<LogRecord> all = readAll(log);
            assertEquals(22, all.size());
            assertEquals(2, log.readTopic("dev/3", 0, 100).size());
        }
    }

    @Test
    void shouldForgetCompactedAwayRecordsInTheTopicIndex() throws Exception {
        try (MessageLog log = MessageLog.open(config(dir).segmentBytes(20_000))) {
            for (int i = 0; i < 2000; i++) {
                log.append(msg("state/" + (i % 10), "v" + i));
            }
            log.roll();
            assertEquals(200, log.topicIndexSizes().get("state/3"));
            log.compactNow();
            for (int t = 0; t < 10; t++) {
                assertEquals(1, log.topicIndexSizes().get("state/" + t), "only the survivor stays indexed");
                assertEquals("v" + (1990 + t), text(log.readTopic("state/" + t, 0, 10).get(0)));
            }
            long later = log.append(msg("state/3", "later"));
            assertEquals(2, log.topicIndexSizes().get("state/3"));
            assertEquals(later, log.readTopic("state/3", 0, 10).get(1).offset());
        }
    }

    @Test
    void shouldCompactOnlyTheSegmentsWhoseKeysFitTheKeyMapAndTheRestInALaterPass() throws Exception {
        // 4096 bytes = 128 slots = 96 keys: the first segment's 40 keys fit, the second's 300 do not
        try (MessageLog log = MessageLog.open(config(dir).compactionMapBytes(4096));
             LogTestSupport.CapturedLogs logs = new LogTestSupport.CapturedLogs()) {
            for (int round = 0; round < 3; round++) {
                for (int k = 0; k < 40; k++) {
                    log.append(msg("small/" + k, "r" + round));
                }
            }
            log.roll();
            for (int k = 0; k < 300; k++) {
                log.append(msg("many/" + k, "once"));
                log.append(msg("many/" + k, "twice"));
            }
            log.roll();
            CompactionResult r = log.compactNow();
            assertEquals(1, r.segmentsRewritten(), "only the segment whose keys fit");
            assertEquals(40, r.recordsAfter());
            assertTrue(logs.at(Level.WARN).stream().anyMatch(m -> m.contains("compaction key map full")),
                    "the pass says why it stopped");
            List<LogRecord> all = readAll(log);
            assertEquals(40 + 600, all.size(), "nothing of the skipped segment is touched");
            for (int k = 0; k < 40; k++) {
                List<LogRecord> t = log.readTopic("small/" + k, 0, 10);
                assertEquals(1, t.size());
                assertEquals("r2", text(t.get(0)));
            }
        }
        try (MessageLog log = MessageLog.open(config(dir).compactionMapBytes(1 << 20))) {
            log.compactNow(); // a bigger map: the second segment's turn
            assertEquals(40 + 300, readAll(log).size());
            assertEquals("twice", text(log.readTopic("many/299", 0, 10).get(0)));
        }
    }

    @Test
    void shouldDropTombstonedKeyOnlyAfterTombstoneRetentionWhenCompacting() throws Exception {
        ManualClock clock = new ManualClock();
        try (MessageLog log = MessageLog.open(config(dir).tombstoneRetentionMs(60_000).clock(clock))) {
            log.append(retainedMsg("r/1", "value"));
            log.append(retainedMsg("r/2", "value2"));
            log.append(retainedMsg("r/1", "")); // tombstone
            log.roll();
            log.compactNow();
            List<LogRecord> all = readAll(log);
            assertEquals(2, all.size(), all.toString()); // r/2 and the fresh tombstone
            assertTrue(all.get(1).message().isEmptyPayload());
            clock.advance(Duration.ofMinutes(10)); // well past the retention of the real-time stamped tombstone
            log.compactNow();
            all = readAll(log);
            assertEquals(1, all.size());
            assertEquals("r/2", all.get(0).message().topic());
            assertNull(log.retained("r/1"));
            assertNotNull(log.retained("r/2"));
        }
    }

    @Test
    void shouldKeepSurvivorsAcrossRestartWhenCompactedSegmentIsCompactedAgain() throws Exception {
        long survivor;
        ManualClock clock = new ManualClock();
        try (MessageLog log = MessageLog.open(config(dir).tombstoneRetentionMs(60_000).clock(clock))) {
            survivor = log.append(retainedMsg("r/keep", "kept"));
            log.append(retainedMsg("r/gone", "value"));
            log.append(retainedMsg("r/gone", "")); // tombstone
            log.roll();
            log.compactNow();          // writes <base>.cseg
            clock.advance(Duration.ofMinutes(10));
            log.compactNow();          // compacts that .cseg again into the same path
            assertTrue(((ChronicleMessageLog) log).retiredPending() > 0, "the replaced .cseg waits for readers");
            clock.advance(Duration.ofMillis(RetiredSegments.GRACE_MS)); // past the grace period: the maintenance thread purges
            awaitPurged((ChronicleMessageLog) log);
        }
        try (MessageLog log = MessageLog.open(config(dir))) {
            List<LogRecord> all = readAll(log);
            assertEquals(1, all.size(), all.toString());
            assertEquals(survivor, all.get(0).offset());
            assertEquals("kept", text(log.retained("r/keep")));
        }
    }

    private static void awaitPurged(ChronicleMessageLog log) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (log.retiredPending() > 0) {
            assertTrue(System.nanoTime() < until, "the maintenance thread did not purge the retired segments");
            Thread.sleep(5);
        }
    }

    @Test
    void shouldNotDropRetainedMessageWhenLaterPlainPublishHasSameTopic() throws Exception {
        try (MessageLog log = MessageLog.open(config(dir))) {
            log.append(retainedMsg("state", "retained"));
            log.append(msg("state", "plain-1"));
            log.append(msg("state", "plain-2"));
            log.roll();
            log.compactNow();
            assertEquals(2, readAll(log).size());
        }
        try (MessageLog log = MessageLog.open(config(dir))) {
            assertEquals("retained", text(log.retained("state")));
        }
    }

    @Test
    void shouldKeepRecordsAtOrAboveFloorWhenCompacting() throws Exception {
        try (MessageLog log = MessageLog.open(config(dir))) {
            for (int i = 0; i < 10; i++) {
                log.append(msg("t", "m" + i));
            }
            log.roll();
            log.compactionFloor(() -> 5);
            log.compactNow();
            assertEquals(List.of(5L, 6L, 7L, 8L, 9L), readAll(log).stream().map(LogRecord::offset).toList());
        }
    }

    @Test
    void shouldSeeCompactedRecordsWhenReaderWasMidSegmentDuringCompaction() throws Exception {
        try (MessageLog log = MessageLog.open(config(dir).segmentBytes(4_000))) {
            for (int i = 0; i < 300; i++) {
                log.append(msg("k/" + (i % 3), "m" + i + "-" + "y".repeat(30)));
            }
            try (LogReader r = log.readerFromEarliest()) {
                assertEquals(0, r.next().offset());
                log.roll();
                log.compactNow();
                LogRecord rec;
                long last = 0;
                int n = 0;
                while ((rec = r.next()) != null) {
                    assertTrue(rec.offset() > last);
                    last = rec.offset();
                    n++;
                }
                assertEquals(299, last);
                assertTrue(n >= 3);
            }
        }
    }

    @Test
    void shouldFinishOrDiscardInterruptedCompactionWhenReopened() throws Exception {
        try (MessageLog log = MessageLog.open(config(dir))) {
            for (int i = 0; i < 10; i++) {
                log.append(msg("t", "m" + i));
            }
        }
        // a crash mid-compaction leaves a temp file: recovery deletes it, the source stays
        Path segs = dir.resolve("log/segments");
        Files.write(segs.resolve("00000000000000000000.cseg.tmp"), new byte[100]);
        try (MessageLog log = MessageLog.open(config(dir))) {
            assertEquals(10, readAll(log).size());
        }
        assertFalse(Files.exists(segs.resolve("00000000000000000000.cseg.tmp")));
    }
}
