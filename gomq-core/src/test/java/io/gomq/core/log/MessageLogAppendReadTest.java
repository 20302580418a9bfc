package io.gomq.core.log;

import io.gomq.core.message.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.gomq.core.log.LogTestSupport.config;
import static io.gomq.core.log.LogTestSupport.msg;
import static io.gomq.core.log.LogTestSupport.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class MessageLogAppendReadTest {
    @TempDir
    Path dir;

    @Test
    void shouldAssignContiguousOffsetsWhenAppending() {
        try (MessageLog log = MessageLog.open(config(dir))) {
            assertEquals(0, log.startOffset());
            assertEquals(0, log.endOffset());
            for (int i = 0; i < 100; i++) {
                assertEquals(i, log.append(msg("t/" + (i % 3), "m" + i)));
            }
            assertEquals(100, log.endOffset());
            assertEquals(0, log.startOffset());
        }
    }

    @Test
    void shouldReadEveryRecordInOrderWhenReadingFromEarliest() {
        try (MessageLog log = MessageLog.open(config(dir))) {
            for (int i = 0; i < 50; i++) {
                log.append(msg("t/" + (i % 3), "m" + i));
            }
            try (LogReader r = log.readerFromEarliest()) {
                for (int i = 0; i < 50; i++) {
                    LogRecord rec = r.next();
                    assertEquals(i, rec.offset());
                    assertEquals("m" + i, text(rec));
                    assertEquals("t/" + (i % 3), rec.message().topic());
                }
                assertNull(r.next());
                assertEquals(50, r.position());
            }
            try (LogReader r = log.reader(42)) {
                assertEquals(42, r.next().offset());
            }
        }
    }

    @Test
    void shouldKeepMessageFieldsWhenReadBack() {
        try (MessageLog log = MessageLog.open(config(dir))) {
            Message m = Message.builder("a/b").key("k1").payload(new byte[]{1, 2, 3}).qos(2).retain(false)
                    .timestampMillis(12345).build();
            long off = log.append(m);
            Message back = log.readTopic("a/b", off, 1).get(0).message();
            assertEquals(m.id(), back.id());
            assertEquals("k1", back.key());
            assertEquals(m.qos(), back.qos());
            assertEquals(12345, back.timestampMillis());
            assertTrue(back.samePayload(new byte[]{1, 2, 3}));
        }
    }

    @Test
    void shouldSeeLaterAppendsWhenTailing() throws Exception {
        try (MessageLog log = MessageLog.open(config(dir))) {
            log.append(msg("t", "first"));
            try (LogReader r = log.readerFromEarliest()) {
                assertEquals("first", text(r.next()));
                assertNull(r.next());
                Thread writer = new Thread(() -> {
                    for (int i = 0; i < 1000; i++) {
                        log.append(msg("t", "x" + i));
                    }
                });
                writer.start();
                List<LogRecord> got = new ArrayList<>();
                long deadline = System.currentTimeMillis() + 10_000;
                while (got.size() < 1000 && System.currentTimeMillis() < deadline) {
                    LogRecord rec = r.next();
                    if (rec == null) {
                        Thread.onSpinWait();
                    } else {
                        got.add(rec);
                    }
                }
                writer.join();
                assertEquals(1000, got.size());
                for (int i = 0; i < 1000; i++) {
                    assertEquals(i + 1, got.get(i).offset());
                }
            }
        }
    }

    @Test
    void shouldKeepOffsetsAndContinueSequenceWhenReopened() {
        try (MessageLog log = MessageLog.open(config(dir))) {
            for (int i = 0; i < 10; i++) {
                log.append(msg("t", "m" + i));
            }
        }
        try (MessageLog log = MessageLog.open(config(dir))) {
            assertEquals(10, log.endOffset());
            assertEquals(10, log.append(msg("t", "m10")));
            List<LogRecord> all = log.readTopic("t", 0, 100);
            assertEquals(11, all.size());
            for (int i = 0; i < 11; i++) {
                assertEquals(i, all.get(i).offset());
                assertEquals("m" + i, text(all.get(i)));
            }
        }
        try (MessageLog log = MessageLog.open(config(dir)); LogReader r = log.readerFromEarliest()) {
            for (int i = 0; i < 11; i++) {
                assertEquals(i, r.next().offset());
            }
            assertNull(r.next());
        }
    }

    @Test
    void shouldReturnOnlyThatTopicWhenReadingOneTopic() {
        try (MessageLog log = MessageLog.open(config(dir))) {
            for (int i = 0; i < 300; i++) {
                log.append(msg("topic/" + (i % 10), "m" + i));
            }
            List<LogRecord> recs = log.readTopic("topic/7", 100, 5);
            assertEquals(List.of(107L, 117L, 127L, 137L, 147L), recs.stream().map(LogRecord::offset).toList());
            recs.forEach(r -> assertEquals("topic/7", r.message().topic()));
            assertTrue(log.readTopic("nope", 0, 10).isEmpty());
        }
    }

    @Test
    void shouldAppendContiguouslyWhenAppendingABatch() {
        try (MessageLog log = MessageLog.open(config(dir))) {
            log.append(msg("a", "0"));
            long first = log.append(List.of(msg("b", "1"), msg("b", "2"), msg("c", "3")));
            assertEquals(1, first);
            assertEquals(4, log.endOffset());
            assertEquals(2, log.readTopic("b", 0, 10).size());
        }
    }

    @Test
    void shouldFindFirstRecordAtOrAfterTimestampWhenReplayingByTime() {
        try (MessageLog log = MessageLog.open(config(dir))) {
            for (int i = 0; i < 1000; i++) {
                log.append(Message.builder("t").payload("m" + i).timestampMillis(1_000_000 + i * 10L).build());
            }
            assertEquals(0, log.offsetForTimestamp(0));
            assertEquals(500, log.offsetForTimestamp(1_000_000 + 5000));
            assertEquals(501, log.offsetForTimestamp(1_000_000 + 5001));
            assertEquals(1000, log.offsetForTimestamp(9_000_000));
            try (LogReader r = log.reader(log.offsetForTimestamp(1_000_000 + 9_990))) {
                assertEquals("m999", text(r.next()));
            }
        }
    }
}
