package io.gomq.embedded;

import io.gomq.client.Consumer;
import io.gomq.client.ConsumerOptions;
import io.gomq.client.Delivery;
import io.gomq.core.config.BrokerConfig;
import io.gomq.core.log.LogReader;
import io.gomq.core.log.LogRecord;
import io.gomq.core.log.MessageLog;
import io.gomq.core.session.store.InflightEntry;
import io.gomq.core.session.store.InflightState;
import io.gomq.core.session.store.SessionState;
import io.gomq.core.session.store.SessionStore;
import io.gomq.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** kill -9 of a broker under load: nothing acknowledged is lost, nothing completed at QoS 2 comes twice. */
class KillRecoveryTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void shouldKeepEveryAcknowledgedMessageWhenKilledDuringLoad() throws Exception {
        Path data = dir.resolve("data");
        List<String> lines = ChildJvm.runUntilKilled(CrashingBroker.class, dir.resolve("child.err"), 6_000, data.toString());
        Set<String> acked1 = new HashSet<>();
        Set<String> acked2 = new HashSet<>();
        Set<String> got2 = new HashSet<>();
        for (String l : lines) {
            if (l.startsWith("ACK1 ")) {
                acked1.add(l.substring(5));
            } else if (l.startsWith("ACK2 ")) {
                acked2.add(l.substring(5));
            } else if (l.startsWith("GOT2 ")) {
                assertTrue(got2.add(l.substring(5)), "QoS 2 delivered twice before the kill: " + l);
            }
        }

        long q2ReadPosition;
        Set<Long> q2Released = new HashSet<>();
        Map<String, Long> q2Offsets = new HashMap<>();
        BrokerConfig cfg = BrokerConfig.defaults().dataDir(data).conclude();
        try (SessionStore store = SessionStore.open(cfg); MessageLog log = MessageLog.open(cfg);
             LogReader reader = log.readerFromEarliest()) {
            SessionState q2 = store.get("q2sub").orElseThrow();
            q2ReadPosition = q2.committedOffset();
            for (InflightEntry e : q2.inflight().values()) {
                if (e.state() == InflightState.PUBREL_SENT) {
                    q2Released.add(e.offset()); // the consumer has it (PUBREC); only PUBCOMP was still to come
                }
            }
            for (LogRecord r = reader.next(); r != null; r = reader.next()) {
                if (r.message().topic().equals("load/q2")) {
                    q2Offsets.put(r.message().payloadAsString(), r.offset());
                }
            }
        }
        try (GoMqBroker broker = GoMqBroker.start(EmbeddedConfig.builder().dataDir(data).build())) {
            Set<String> after1 = new HashSet<>();
            try (Consumer q1 = broker.consumer(ConsumerOptions.defaults().clientId("q1sub").cleanSession(false))) {
                for (Delivery d; (d = q1.poll(Duration.ofSeconds(2))) != null; ) {
                    after1.add(d.payloadAsString());
                }
            }
            List<String> after2 = new ArrayList<>();
            try (Consumer q2 = broker.consumer(ConsumerOptions.defaults().clientId("q2sub").cleanSession(false))) {
                for (Delivery d; (d = q2.poll(Duration.ofSeconds(2))) != null; ) {
                    after2.add(d.payloadAsString());
                }
            }
            Set<String> missing1 = new HashSet<>(acked1);
            missing1.removeAll(after1);
            assertEquals(Set.of(), missing1, "acknowledged QoS 1 messages lost (of " + acked1.size() + ")");

            Set<String> again = new HashSet<>(after2);
            again.retainAll(got2);
            assertEquals(Set.of(), again, "QoS 2 messages completed before the kill came again");
            assertEquals(after2.size(), new HashSet<>(after2).size(), "QoS 2 duplicated after restart");
            Set<String> missing2 = new HashSet<>(acked2);
            missing2.removeAll(got2);
            missing2.removeAll(after2);
            // The one reader thread can hold one message between taking it and printing it when the
            // kill lands. The broker must show it as delivered then: completed (below the read
            // position), or released (PUBREC journaled, the kill before PUBCOMP), in which case the
            // restart re-sends only the PUBREL and the message, rightly, does not come again.
            assertTrue(missing2.size() <= 1, "acknowledged QoS 2 messages lost: " + missing2);
            for (String m : missing2) {
                long offset = q2Offsets.get(m);
                assertTrue(offset < q2ReadPosition || q2Released.contains(offset),
                        m + " at offset " + offset + " neither redelivered nor completed nor released (read position "
                                + q2ReadPosition + ", released " + q2Released + ")");
            }
            System.out.printf("kill -9 after %d QoS 1 and %d QoS 2 acks: %d QoS 1 redelivered, %d QoS 2 taken before, %d after,"
                            + " taken but unprinted %s (read position %d, released %s)%n",
                    acked1.size(), acked2.size(), after1.size(), got2.size(), after2.size(), missing2, q2ReadPosition,
                    q2Released);
        }
    }
}
