package io.gomq.core.log;

import io.gomq.core.session.store.InflightState;
import io.gomq.core.session.store.SessionState;
import io.gomq.core.session.store.SessionStore;
import io.gomq.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.gomq.core.log.LogTestSupport.config;
import static io.gomq.core.log.LogTestSupport.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CrashRecoveryTest {
    @TempDir
    Path tmp;

    private static List<String> acks(List<String> lines) {
        return lines.stream().filter(l -> l.startsWith("ACK ")).toList();
    }

    @Test
    @Timeout(60)
    void shouldReadEveryAcknowledgedOffsetWhenWriterWasKilledMidRun() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("data"));
        List<String> acks = acks(ChildJvm.runUntilKilled(CrashChild.class, tmp.resolve("child-log.err"), 20_000, "log", dir.toString()));
        Map<Long, String> expected = new HashMap<>();
        long maxOffset = -1;
        for (String line : acks) {
            String[] f = line.split(" ");
            long offset = Long.parseLong(f[1]);
            expected.put(offset, "seq-" + f[2]);
            maxOffset = Math.max(maxOffset, offset);
        }
        try (MessageLog log = MessageLog.open(config(dir))) {
            assertTrue(log.endOffset() > maxOffset, "end " + log.endOffset() + " must pass " + maxOffset);
            Map<Long, String> found = new HashMap<>();
            try (LogReader r = log.readerFromEarliest()) {
                LogRecord rec;
                while ((rec = r.next()) != null) {
                    found.put(rec.offset(), text(rec));
                }
            }
            for (Map.Entry<Long, String> e : expected.entrySet()) {
                assertEquals(e.getValue(), found.get(e.getKey()), "offset " + e.getKey());
            }
            // and the log keeps working: new offsets continue after the recovered ones
            long next = log.append(LogTestSupport.msg("after", "crash"));
            assertTrue(next > maxOffset);
            assertNotNull(log.retained("crash/0"));
        }
    }

    @Test
    @Timeout(60)
    void shouldRestoreSessionStateWhenWriterWasKilledMidRun() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("data"));
        List<String> acks = acks(ChildJvm.runUntilKilled(CrashChild.class, tmp.resolve("child-sessions.err"), 20_000, "sessions", dir.toString()));
        int last = Integer.parseInt(acks.get(acks.size() - 1).split(" ")[1]);
        try (SessionStore store = SessionStore.open(config(dir))) {
            SessionState c1 = store.get("c1").orElseThrow();
            assertTrue(c1.committedOffset() >= last, c1.committedOffset() + " < " + last);
            assertEquals(1, c1.subscriptions().size());
            int doneInChild = (int) c1.committedOffset();
            SessionState c2 = store.get("c2").orElseThrow();
            long slot = c2.inflight().get(1 + doneInChild % 1000).offset(); // killed between the two updates: previous round
            assertTrue(slot == doneInChild || slot == doneInChild - 1000, "inflight offset " + slot);
            assertEquals(InflightState.SENT, c2.inflight().get(1 + doneInChild % 1000).state());
            SessionState c3 = store.get("c3").orElseThrow();
            // the child ran on after the last ACK we read: the slot holds that update or a later one
            int stored = Integer.parseInt(c3.inbound().get(1 + last % 100).payloadAsString().substring(3));
            assertEquals(last % 100, stored % 100);
            assertTrue(stored >= last && stored <= doneInChild, stored + " not in [" + last + ", " + doneInChild + "]");
        }
    }
}
