package io.gomq.core.log;

import io.gomq.core.log.segment.ChronicleSegment;
import io.gomq.core.message.Message;
import io.gomq.core.message.Qos;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The log's mapped file windows follow the largest payload it accepts: Chronicle refuses a
 * record longer than a quarter of its window, so with its default window a payload above 16 MiB
 * could be accepted from a client and then not stored.
 */
@Timeout(60)
class LargeRecordTest {
    @TempDir
    Path dir;

    @Test
    void aPayloadOfTheConfiguredMaximumIsStoredAndReadBackAfterARestart() {
        int max = 20 << 20;
        byte[] payload = new byte[max];
        Arrays.fill(payload, (byte) 7);
        try (ChronicleMessageLog log = ChronicleMessageLog.open(LogTestSupport.config(dir).maxPayloadBytes(max))) {
            log.append(Message.of("big", payload, Qos.AT_LEAST_ONCE, false));
            log.append(Message.of("small", new byte[]{1}, Qos.AT_LEAST_ONCE, false));
        }
        try (ChronicleMessageLog log = ChronicleMessageLog.open(LogTestSupport.config(dir).maxPayloadBytes(max));
             LogReader r = log.reader(0)) {
            assertArrayEquals(payload, r.next().message().payloadBytes());
            assertEquals("small", r.next().message().topic());
        }
    }

    @Test
    void aRecordLongerThanTheWindowAllowsIsRefusedAndTheLogGoesOn() {
        try (ChronicleMessageLog log = ChronicleMessageLog.open(LogTestSupport.config(dir))) { // 1 MiB payloads: 4 MiB records
            assertThrows(RuntimeException.class,
                    () -> log.append(Message.of("huge", new byte[5 << 20], Qos.AT_LEAST_ONCE, false)));
            long offset = log.append(Message.of("next", new byte[]{2}, Qos.AT_LEAST_ONCE, false));
            try (LogReader r = log.reader(0)) {
                LogRecord only = r.next();
                assertEquals(offset, only.offset());
                assertEquals("next", only.message().topic());
                assertNull(r.next(), "nothing of the refused record was stored");
            }
        }
    }

    @Test
    void theWindowIsFourTimesTheLargestRecordAndAtLeastSixteenMebibytes() {
        assertEquals(16L << 20, ChronicleSegment.blockSizeFor(1 << 20));
        assertEquals(16L << 20, ChronicleSegment.blockSizeFor(4 << 20));
        assertEquals(32L << 20, ChronicleSegment.blockSizeFor((4 << 20) + 1));
        assertEquals(128L << 20, ChronicleSegment.blockSizeFor(20 << 20));
    }
}
