package io.gomq.core.log;

import io.gomq.core.config.BrokerConfig;
import io.gomq.core.message.Message;
import io.gomq.core.message.Qos;
import io.gomq.core.testing.SmallFileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The log on a real, small file system (a tmpfs of a few MB, see {@link SmallFileSystem}) that
 * fills up: appends are refused before anything faults, every acknowledged record survives,
 * recovery works on a full disk without writing, and appends resume by themselves.
 */
class DiskFullTest {
    private static final int PAYLOAD = 50 * 1024;

    @TempDir
    Path tmp;

    /** One head segment never rolls on 16 MB: only the allocation ahead stands between Chronicle and a hole. */
    private static BrokerConfig config(Path dataDir, long reserveBytes) {
        return LogTestSupport.config(dataDir).segmentBytes(64L << 20).diskReserveBytes(reserveBytes);
    }

    /** A unique 50 KB payload: its number, then filler derived from it. */
    static byte[] payload(int i) {
        byte[] b = new byte[PAYLOAD];
        Arrays.fill(b, (byte) ('a' + i % 26));
        byte[] id = ("m" + i + ";").getBytes(StandardCharsets.UTF_8);
        System.arraycopy(id, 0, b, 0, id.length);
        return b;
    }

    private static Message message(int i) {
        return Message.builder("t/" + (i % 4)).payload(payload(i)).qos(Qos.AT_LEAST_ONCE).build();
    }

    /** Appends unique messages until the log refuses one; returns the acknowledged offsets (index = message number). */
    private static List<Long> appendUntilRefused(MessageLog log, int from) {
        List<Long> offsets = new ArrayList<>();
        for (int i = from; ; i++) {
            try {
                offsets.add(log.append(message(i)));
            } catch (DiskFullException e) {
                return offsets;
            }
            if (offsets.size() > 100_000) {
                throw new AssertionError("never refused");
            }
        }
    }

    private static void assertAllReadable(MessageLog log, List<Long> offsets) {
        try (LogReader r = log.reader(offsets.get(0))) {
            for (int i = 0; i < offsets.size(); i++) {
                LogRecord rec = r.next();
                assertTrue(rec != null, "record " + i + " of " + offsets.size() + " is missing");
                assertEquals(offsets.get(i), rec.offset());
                assertArrayEquals(payload(i), rec.message().payloadBytes(), "payload of record " + i);
            }
        }
    }

    @Test
    @Timeout(120)
    void shouldRefuseAppendsWithoutAFaultWhenTheDiskFillsEvenWithoutAReserve() throws Exception {
        try (SmallFileSystem fs = SmallFileSystem.mount(tmp, 16)) {
            Path data = fs.dir().resolve("data");
            List<Long> acked;
            try (MessageLog log = MessageLog.open(config(data, 0))) {
                acked = appendUntilRefused(log, 0); // an InternalError (SIGBUS on a hole) would fail the test here
                assertTrue(acked.size() > 100, "only " + acked.size() + " appended on 16 MB");
                assertThrows(DiskFullException.class, () -> log.append(message(acked.size())));
                assertAllReadable(log, acked);
            }
            fs.resize(64);
            try (MessageLog log = MessageLog.open(config(data, 0))) {
                assertAllReadable(log, acked);
                assertEquals(acked.get(acked.size() - 1) + 1, log.endOffset());
            }
        }
    }

    @Test
    @Timeout(120)
    void shouldRecoverReadOnlyOnAFullDiskAndResumeWhenSpaceReturns() throws Exception {
        try (SmallFileSystem fs = SmallFileSystem.mount(tmp, 16)) {
            Path data = fs.dir().resolve("data");
            List<Long> acked;
            try (MessageLog log = MessageLog.open(config(data, 2L << 20))) {
                acked = appendUntilRefused(log, 0);
            }
            fs.fillTo(0);
            assertEquals(0, fs.freeBytes());
            try (MessageLog log = MessageLog.open(config(data, 2L << 20))) {
                assertTrue(log.diskSpace().isLow());
                assertAllReadable(log, acked);
                assertThrows(DiskFullException.class, () -> log.append(message(acked.size())));
                assertEquals(0, fs.freeBytes(), "recovery on a full disk wrote nothing");
                fs.freeBallast(); // back to what the first run left: still below the reserve
                fs.resize(32);
                await().atMost(Duration.ofSeconds(20)).until(() -> !log.diskSpace().isLow());
                long offset = log.append(message(acked.size()));
                assertEquals(acked.get(acked.size() - 1) + 1, offset);
            }
        }
    }

    @Test
    @Timeout(120)
    void shouldTakeAppendsAgainByItselfWhenTheFileSystemGrows() throws Exception {
        try (SmallFileSystem fs = SmallFileSystem.mount(tmp, 16)) {
            Path data = fs.dir().resolve("data");
            try (MessageLog log = MessageLog.open(config(data, 4L << 20).segmentBytes(2L << 20))) { // rolls too
                List<Long> acked = appendUntilRefused(log, 0);
                assertTrue(fs.freeBytes() >= 3L << 20, "the reserve is left free: " + fs.freeBytes());
                assertTrue(log.diskSpace().refusedAppends() >= 1);
                fs.resize(48);
                await().atMost(Duration.ofSeconds(20)).until(() -> !log.diskSpace().isLow());
                List<Long> more = appendUntilRefused(log, acked.size());
                assertFalse(more.isEmpty());
                assertEquals(acked.get(acked.size() - 1) + 1, more.get(0));
            }
        }
    }
}
