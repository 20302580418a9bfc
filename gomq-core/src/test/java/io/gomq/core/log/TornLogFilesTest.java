package io.gomq.core.log;

import ch.qos.logback.classic.Level;
import io.gomq.core.config.BrokerConfig;
import io.gomq.core.engine.BrokerEngine;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.gomq.core.log.LogTestSupport.config;
import static io.gomq.core.log.LogTestSupport.msg;
import static io.gomq.core.log.LogTestSupport.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The log's segment file damaged the ways a power loss or a bad disk does (see {@link Damage}),
 * at positions every few bytes over its header and all its records. For each: the broker
 * starts on the damaged directory, every record that ends before the damage is served intact,
 * no other record is served unless it is byte-for-byte the one written (the CRC32C catches the
 * rest), and if any record is lost the damage is reported with the file and a position and
 * counted in the log's stats.
 */
@Timeout(600)
class TornLogFilesTest {
    private static final int RECORDS = 120;
    /** Bytes between damage positions (prime: crosses every part of a record); -Dgomq.torn.step=1 tries every byte. */
    private static final int STEP = Integer.getInteger("gomq.torn.step", 401);

    @TempDir
    static Path template;
    private static Path dataFile;
    /** Where each record's Chronicle document starts and where the record ends, in the data file. */
    private static long[] starts;
    private static long[] ends;

    @TempDir
    Path dir;

    @BeforeAll
    static void writeLog() throws Exception {
        try (MessageLog log = MessageLog.open(config(template))) {
            for (int i = 0; i < RECORDS; i++) {
                log.append(msg("t", payload(i)));
            }
        }
        dataFile = template.relativize(TornFiles.find(template.resolve("log/segments"), ".cq4"));
        byte[] bytes = Files.readAllBytes(template.resolve(dataFile.toString()));
        starts = new long[RECORDS];
        ends = new long[RECORDS];
        int from = 0;
        for (int i = 0; i < RECORDS; i++) {
            int p = TornFiles.indexOf(bytes, payload(i).getBytes(StandardCharsets.UTF_8), from);
            // document header 4, record header 31, topic "t" 1, payload length 4 before the payload; CRC after
            starts[i] = p - 4 - 1 - RecordCodec.FIXED_HEADER - 4;
            ends[i] = p + payload(i).length() + 4;
            from = p + 1;
        }
    }

    private static String payload(int i) {
        return "record-" + i + "-" + "x".repeat(i % 7 * 9);
    }

    private static boolean allZero(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    static Stream<Arguments> damages() {
        List<Arguments> cases = new ArrayList<>();
        long first = starts[0];
        long last = ends[RECORDS - 1];
        for (Damage d : new Damage[] {Damage.TRUNCATE, Damage.ZERO_PAGE, Damage.FLIP}) {
            for (long at : new long[] {0, 64, 512, first / 2}) { // Chronicle's header
                cases.add(Arguments.of(d, at));
            }
            for (long at = first; at < last + 64; at += STEP) {
                cases.add(Arguments.of(d, at));
            }
        }
        for (long at = starts[RECORDS - 2]; at < last; at += Math.max(1, STEP / 30)) { // the last two records
            cases.add(Arguments.of(Damage.TORN_TAIL, at));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} at {1}")
    @MethodSource("damages")
    void shouldServeEveryRecordBeforeTheDamageAndReportTheRest(Damage damage, long at) throws Exception {
        TornFiles.copyTree(template, dir);
        Path file = dir.resolve(dataFile.toString());
        damage.apply(file, at, ends[RECORDS - 1]);
        byte[] damaged = damage == Damage.TORN_TAIL ? Files.readAllBytes(file) : null;
        long damageStart = damage.start(at);
        int intact = 0;
        while (intact < RECORDS && ends[intact] <= damageStart) {
            intact++;
        }

        BrokerConfig config = config(dir);
        List<String> warns;
        List<LogRecord> served = new ArrayList<>();
        long corruptions;
        try (LogTestSupport.CapturedLogs logs = new LogTestSupport.CapturedLogs();
             BrokerEngine engine = BrokerEngine.open(config)) { // the broker starts
            warns = logs.at(Level.WARN);
            try (LogReader r = engine.log().readerFromEarliest()) {
                for (LogRecord rec = r.next(); rec != null; rec = r.next()) {
                    served.add(rec);
                }
            }
            corruptions = engine.log().stats().corruptionsDetected();
            long next = engine.log().append(msg("t", "after the damage"));
            assertEquals("after the damage", text(engine.log().readTopic("t", next, 1).get(0)));
        }

        assertTrue(served.size() >= intact, "records before the damage: " + intact + ", served " + served.size());
        for (int i = 0; i < served.size(); i++) { // nothing corrupt: each served record is the one written
            assertEquals(i, served.get(i).offset());
            assertEquals(payload(i), text(served.get(i)), "record " + i);
        }
        // zeros from the first lost record's document on read exactly like records never written
        boolean looksUnwritten = damage == Damage.TORN_TAIL && allZero(damaged, (int) starts[served.size()]);
        if (served.size() < RECORDS && !looksUnwritten) {
            String name = file.getFileName().toString();
            assertTrue(warns.stream().anyMatch(w -> w.contains(name) && w.contains("position")),
                    "lost records must be reported with file and position: " + warns);
            assertTrue(corruptions >= 1, "and counted");
        }
    }
}
