package io.gomq.core.log;

import ch.qos.logback.classic.Level;
import io.gomq.core.config.BrokerConfig;
import io.gomq.core.engine.BrokerEngine;
import io.gomq.core.session.store.SessionState;
import io.gomq.core.session.store.SessionStore;
import io.gomq.core.message.Qos;
import io.gomq.core.topic.SubscriptionOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.gomq.core.log.LogTestSupport.config;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The session store's files damaged the ways a power loss or a bad disk does ({@link Damage}),
 * at positions all over them, and the half-written files of an interrupted snapshot switch.
 * For each: the broker starts, every session (snapshot) or update (WAL) that ends before the
 * damage is recovered exactly, nothing recovered holds a value that was never written, and a
 * loss is reported with the file and a position.
 */
@Timeout(600)
class TornSessionFilesTest {
    private static final int SESSIONS = 30;
    private static final int COMMITS = 50;
    /** Bytes between damage positions (prime); -Dgomq.torn.step=1 tries every byte. */
    private static final int STEP = Integer.getInteger("gomq.torn.step", 53);

    /** A snapshot of {@link #SESSIONS} sessions and an empty WAL. */
    @TempDir
    static Path snapTemplate;
    /** One session, then {@link #COMMITS} offset commits in the WAL. */
    @TempDir
    static Path walTemplate;
    private static long[] sessionEnds;
    private static long[] frameEnds;

    @TempDir
    Path dir;

    @BeforeAll
    static void writeStores() throws Exception {
        try (SessionStore s = SessionStore.open(config(snapTemplate))) {
            for (int i = 0; i < SESSIONS; i++) {
                s.save(new SessionState(client(i), Map.of(), 0, Map.of(), Map.of()));
                s.subscribe(client(i), "filter/" + i, SubscriptionOptions.of(Qos.AT_LEAST_ONCE));
                s.commitOffset(client(i), 1000L + i);
            }
        }
        SessionStore.open(config(snapTemplate)).close(); // everything into the snapshot
        ByteBuffer snap = ByteBuffer.wrap(Files.readAllBytes(snapTemplate.resolve("sessions/sessions.snap")));
        sessionEnds = new long[SESSIONS];
        int at = 20; // magic, generation, count, header CRC
        for (int i = 0; i < SESSIONS; i++) {
            at += 8 + snap.getInt(at);
            sessionEnds[i] = at;
        }

        try (SessionStore s = SessionStore.open(config(walTemplate))) {
            s.save(new SessionState("c", Map.of(), 0, Map.of(), Map.of()));
            for (int i = 1; i <= COMMITS; i++) {
                s.commitOffset("c", i);
            }
        }
        ByteBuffer wal = ByteBuffer.wrap(Files.readAllBytes(walTemplate.resolve("sessions/sessions.wal")));
        frameEnds = new long[COMMITS + 1]; // frame 0: the session, frame i: commit i
        at = 12; // magic, generation
        for (int i = 0; i <= COMMITS; i++) {
            at += 8 + wal.getInt(at);
            frameEnds[i] = at;
        }
    }

    private static String client(int i) {
        return "client-" + i;
    }

    static Stream<Arguments> snapshotDamages() {
        List<Arguments> cases = new ArrayList<>();
        for (Damage d : new Damage[] {Damage.TRUNCATE, Damage.FLIP, Damage.TORN_TAIL}) {
            for (long at = 0; at < sessionEnds[SESSIONS - 1] + 4; at += STEP) {
                cases.add(Arguments.of(d, at));
            }
        }
        cases.add(Arguments.of(Damage.ZERO_PAGE, 0L));
        return cases.stream();
    }

    static Stream<Arguments> walDamages() {
        List<Arguments> cases = new ArrayList<>();
        for (Damage d : new Damage[] {Damage.TRUNCATE, Damage.FLIP, Damage.TORN_TAIL}) {
            for (long at = 0; at < frameEnds[COMMITS]; at += STEP) {
                cases.add(Arguments.of(d, at));
            }
        }
        cases.add(Arguments.of(Damage.ZERO_PAGE, 0L));
        return cases.stream();
    }

    @ParameterizedTest(name = "sessions.snap {0} at {1}")
    @MethodSource("snapshotDamages")
    void shouldKeepEverySessionBeforeTheDamageOfTheSnapshot(Damage damage, long at) throws Exception {
        TornFiles.copyTree(snapTemplate, dir);
        damage.apply(dir.resolve("sessions/sessions.snap"), at, sessionEnds[SESSIONS - 1] + 4);
        int intact = 0;
        while (intact < SESSIONS && sessionEnds[intact] <= damage.start(at)) {
            intact++;
        }
        Recovered r = openBroker(config(dir));
        assertTrue(r.sessions.size() >= intact, "sessions before the damage: " + intact + ", recovered " + r.sessions.size());
        r.sessions.forEach((id, s) -> { // nothing invented: each is the one written
            int i = Integer.parseInt(id.substring("client-".length()));
            assertEquals(1000L + i, s.committedOffset(), id);
            assertEquals(List.of("filter/" + i), List.copyOf(s.subscriptions().keySet()), id);
        });
        if (r.sessions.size() < SESSIONS) {
            assertReported(r.warns, "sessions.snap");
        }
    }

    @ParameterizedTest(name = "sessions.wal {0} at {1}")
    @MethodSource("walDamages")
    void shouldKeepEveryUpdateBeforeTheDamageOfTheWal(Damage damage, long at) throws Exception {
        TornFiles.copyTree(walTemplate, dir);
        damage.apply(dir.resolve("sessions/sessions.wal"), at, frameEnds[COMMITS]);
        byte[] walAfterDamage = Files.readAllBytes(dir.resolve("sessions/sessions.wal"));
        int intact = -1; // the last whole frame before the damage
        while (intact < COMMITS && frameEnds[intact + 1] <= damage.start(at)) {
            intact++;
        }
        Recovered r = openBroker(config(dir));
        SessionState c = r.sessions.get("c");
        long committed = c == null ? -1 : c.committedOffset();
        assertTrue(committed >= intact, "updates before the damage up to commit " + intact + ", recovered " + committed);
        assertTrue(committed <= COMMITS, "never a value that was not written: " + committed);
        // zeros from the first lost update on read exactly like updates never written: nothing to report
        boolean looksUnwritten = damage == Damage.TORN_TAIL && allZero(walAfterDamage, intact < 0 ? 12 : (int) frameEnds[intact]);
        if (committed < COMMITS && !looksUnwritten) {
            assertReported(r.warns, "sessions.wal");
        }
    }

    @Test
    void shouldIgnoreHalfWrittenFilesOfAnInterruptedSnapshotSwitch() throws Exception {
        TornFiles.copyTree(snapTemplate, dir);
        byte[] snap = Files.readAllBytes(dir.resolve("sessions/sessions.snap"));
        // the crash came after writing half of the next snapshot and of the next WAL, before the renames
        Files.write(dir.resolve("sessions/sessions.snap.tmp"), java.util.Arrays.copyOf(snap, snap.length / 2));
        Files.write(dir.resolve("sessions/sessions.wal.tmp"), new byte[] {0x47, 0x4D});
        Recovered r = openBroker(config(dir));
        assertEquals(SESSIONS, r.sessions.size());
        assertTrue(Files.notExists(dir.resolve("sessions/sessions.snap.tmp")));
        assertTrue(Files.notExists(dir.resolve("sessions/sessions.wal.tmp")));
    }

    private static boolean allZero(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static void assertReported(List<String> warns, String file) {
        assertTrue(warns.stream().anyMatch(w -> w.contains(file) && w.contains("position")),
                "a loss must be reported with file and position: " + warns);
    }

    private record Recovered(Map<String, SessionState> sessions, List<String> warns) {
    }

    /** Starts the broker on the directory, then reads what its session store recovered. */
    private static Recovered openBroker(BrokerConfig config) {
        List<String> warns;
        try (LogTestSupport.CapturedLogs logs = new LogTestSupport.CapturedLogs()) {
            BrokerEngine.open(config).close();
            warns = logs.at(Level.WARN);
        }
        try (SessionStore store = SessionStore.open(config)) {
            return new Recovered(store.loadAll(), warns);
        }
    }
}
