package io.gomq.embedded;

import io.gomq.client.Producer;
import io.gomq.client.Qos;
import io.gomq.client.Replay;
import io.gomq.client.ReplayFrom;
import io.gomq.client.StoredMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplayTest {
    @TempDir
    Path dataDir;

    private static List<String> bodies(Replay r, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StoredMessage m = r.poll(Duration.ofSeconds(5));
            if (m == null) {
                break;
            }
            out.add(m.message().payloadAsString());
        }
        return out;
    }

    /** Waits (spinning, for at most a millisecond or two) until the wall clock has passed {@code t}'s millisecond. */
    private static Instant nextMillisecond(Instant t) {
        long ms = t.toEpochMilli();
        Instant now;
        while ((now = Instant.now()).toEpochMilli() <= ms) {
            Thread.onSpinWait();
        }
        return now;
    }

    @Test
    @Timeout(60)
    void shouldReplayFromEarliestOffsetTimestampAndLatestAcrossRestart() throws Exception {
        EmbeddedConfig config = EmbeddedConfig.builder().dataDir(dataDir).build();
        long thirdOffset;
        Instant beforeSecondBatch;
        try (GoMqBroker broker = GoMqBroker.start(config)) {
            Producer p = broker.producer();
            p.publish("a/1", null, "one".getBytes(), Qos.AT_MOST_ONCE, true).join();
            p.publish("b/1", null, "other".getBytes(), Qos.AT_MOST_ONCE, true).join();
            p.publish("a/2", null, "two".getBytes(), Qos.AT_MOST_ONCE, true).join();
            beforeSecondBatch = nextMillisecond(Instant.now()); // the records' timestamps are the wall clock's
            nextMillisecond(beforeSecondBatch);
            thirdOffset = p.publish("a/3", null, "three".getBytes(), Qos.AT_MOST_ONCE, true).join().offset();
        }
        try (GoMqBroker broker = GoMqBroker.start(config)) {
            try (Replay r = broker.replay("a/+", ReplayFrom.earliest())) {
                assertEquals(List.of("one", "two", "three"), bodies(r, 3));
            }
            try (Replay r = broker.replay("a/#", ReplayFrom.offset(thirdOffset))) {
                StoredMessage m = r.poll(Duration.ofSeconds(5));
                assertEquals(thirdOffset, m.offset(), "offsets survive a restart");
                assertEquals("three", m.message().payloadAsString());
            }
            try (Replay r = broker.replay("a/+", ReplayFrom.timestamp(beforeSecondBatch))) {
                assertEquals(List.of("three"), bodies(r, 1));
            }
            try (Replay r = broker.replay("a/+", ReplayFrom.latest())) {
                assertNull(r.poll(Duration.ofMillis(100)));
                broker.producer().publish("a/4", null, "four".getBytes(), Qos.AT_MOST_ONCE, true).join();
                assertEquals(List.of("four"), bodies(r, 1), "a replay follows new appends");
            }
        }
    }

    @Test
    @Timeout(20)
    void shouldRefuseReplayOnMemoryOnlyBrokerAndBadStart() {
        try (GoMqBroker broker = GoMqBroker.start(EmbeddedConfig.builder().persistent(false).build())) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> broker.replay("#", ReplayFrom.earliest()));
            assertTrue(e.getMessage().contains("memory-only"));
        }
        assertThrows(IllegalArgumentException.class, () -> ReplayFrom.parse("yesterday"));
        assertEquals("12", ReplayFrom.parse("12").toString());
    }
}
