package io.gomq.core.session.store;

import io.gomq.core.config.BrokerConfig;
import io.gomq.core.config.Durability;
import io.gomq.core.message.Message;
import io.gomq.core.message.Qos;
import io.gomq.core.topic.SubscriptionOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Session files written by the store before states were versioned still load, and load again
 * after the store rewrote them in the current format. The files under
 * {@code resources/io/gomq/core/session/store/legacy} were written by that store: {@code gen1.*}
 * a snapshot of nothing and a WAL of updates (whole states in the unversioned {@code PUT}),
 * {@code v2.*} the same sessions in a version 2 snapshot. Version 1 snapshots and states from
 * before wills were stored are built here the way that store wrote them.
 */
@Timeout(30)
class PreviousSessionFilesTest {
    @TempDir
    Path dir;

    @Test
    void shouldLoadAWalOfUnversionedUpdates() throws IOException {
        copy("gen1");
        assertFixtureSessions();
        assertFixtureSessions(); // the first open rewrote them as a version 3 snapshot
        assertEquals(SessionSnapshotFormat.MAGIC_V3, ByteBuffer.wrap(Files.readAllBytes(snap())).getInt(0));
    }

    @Test
    void shouldLoadAVersion2Snapshot() throws IOException {
        copy("v2");
        assertFixtureSessions();
        assertFixtureSessions();
    }

    @Test
    void shouldLoadAVersion1SnapshotAndStatesWrittenBeforeWills() throws IOException {
        copy("v2");
        ByteBuffer v2 = ByteBuffer.wrap(Files.readAllBytes(snap()));
        long generation = v2.getLong(4);
        int n = v2.getInt(12);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(SessionSnapshotFormat.MAGIC_V1);
        out.writeLong(generation);
        out.writeInt(n + 1);
        int at = SessionSnapshotFormat.HEADER_BYTES;
        for (int i = 0; i < n; i++) { // version 1 frames a state with its length only
            int len = v2.getInt(at);
            out.writeInt(len);
            out.write(v2.array(), at + 8, len);
            at += 8 + len;
        }
        byte[] old = stateBeforeWills("old", 77);
        out.writeInt(old.length);
        out.write(old);
        byte[] body = bytes.toByteArray();
        CRC32C crc = new CRC32C();
        crc.update(body);
        Files.write(snap(), ByteBuffer.allocate(body.length + 4).put(body).putInt((int) crc.getValue()).array());

        for (int open = 0; open < 2; open++) {
            Map<String, SessionState> all = assertFixtureSessions();
            SessionState s = all.get("old");
            assertEquals(77, s.committedOffset());
            assertEquals(Map.of("x/#", SubscriptionOptions.of(Qos.AT_LEAST_ONCE)), s.subscriptions());
            assertEquals(600, s.expirySeconds());
            assertNull(s.will());
            assertTrue(s.sharedOffsets().isEmpty());
        }
    }

    /** An unversioned state as the store wrote it before wills: it ends after disconnected-at. */
    private static byte[] stateBeforeWills(String clientId, long committed) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        intString(out, clientId);
        out.writeLong(committed);
        out.writeInt(1);
        intString(out, "x/#");
        out.writeByte(1);
        out.writeInt(0); // in flight
        out.writeInt(0); // inbound
        out.writeLong(600);
        out.writeLong(-1);
        return bytes.toByteArray();
    }

    private static void intString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private Map<String, SessionState> assertFixtureSessions() {
        try (SessionStore store = SessionStore.open(BrokerConfig.defaults().dataDir(dir).durability(Durability.WRITE))) {
            Map<String, SessionState> all = store.loadAll();
            assertFalse(all.containsKey("gone"));
            SessionState a = all.get("alpha");
            assertEquals(Map.of("a/#", SubscriptionOptions.of(Qos.AT_LEAST_ONCE),
                    "b/+", new SubscriptionOptions(Qos.EXACTLY_ONCE, true, false, 1, 99)), a.subscriptions());
            assertEquals(42, a.committedOffset());
            assertEquals(Map.of(5, new InflightEntry(5, 9, InflightState.SENT),
                    6, new InflightEntry(6, 43, InflightState.PUBREL_SENT)), a.inflight());
            Message in = a.inbound().get(77);
            assertEquals(7001, in.id());
            assertEquals("in/x", in.topic());
            assertEquals("exactly once", in.payloadAsString());
            assertEquals("text/plain", in.properties().contentType());
            assertEquals(3600, a.expirySeconds());
            assertEquals(1_700_000_001_000L, a.disconnectedAtMillis());
            assertEquals(7002, a.will().id());
            assertEquals("will/alpha", a.will().topic());
            assertEquals(30, a.willDelaySeconds());
            assertEquals(Set.of(50L, 52L), a.sharedOffsets());
            SessionState b = all.get("beta");
            assertEquals(7, b.committedOffset());
            assertEquals(Map.of("c", SubscriptionOptions.of(Qos.AT_MOST_ONCE)), b.subscriptions());
            return all;
        }
    }

    private void copy(String prefix) throws IOException {
        Files.createDirectories(dir.resolve("sessions"));
        for (String file : new String[] {"sessions.snap", "sessions.wal"}) {
            try (InputStream in = getClass().getResourceAsStream("legacy/" + prefix + "." + file)) {
                Files.copy(in, dir.resolve("sessions").resolve(file));
            }
        }
    }

    private Path snap() {
        return dir.resolve("sessions/sessions.snap");
    }
}
