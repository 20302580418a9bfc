package io.gomq.core.log;

import ch.qos.logback.classic.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static io.gomq.core.log.LogTestSupport.config;
import static io.gomq.core.log.LogTestSupport.msg;
import static io.gomq.core.log.LogTestSupport.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class CorruptionRecoveryTest {
    @TempDir
    Path dir;

    private void write(int n) {
        try (MessageLog log = MessageLog.open(config(dir))) {
            for (int i = 0; i < n; i++) {
                log.append(msg("t", "payload-" + i + "-" + "x".repeat(40)));
            }
        }
    }

    /** The Chronicle data file of the first segment and the end of its written bytes. */
    private static Path dataFile(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir.resolve("log/segments/00000000000000000000"))) {
            return s.filter(p -> p.toString().endsWith(".cq4")).findFirst().orElseThrow();
        }
    }

    private static long lastNonZero(Path file) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            byte[] buf = new byte[1 << 20];
            long last = -1;
            long pos = 0;
            int n;
            while ((n = f.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    if (buf[i] != 0) {
                        last = pos + i;
                    }
                }
                pos += n;
            }
            return last;
        }
    }

    @Test
    void shouldRecoverIntactPrefixAndReportWhenLastRecordIsGarbled() throws Exception {
        write(100);
        Path file = dataFile(dir);
        long end = lastNonZero(file);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(end - 10);
            f.write(new byte[]{1, 2, 3, 4, 5, 6, 7, 8}); // inside the last record's payload
        }
        try (LogTestSupport.CapturedLogs logs = new LogTestSupport.CapturedLogs();
             MessageLog log = MessageLog.open(config(dir))) {
            List<String> warns = logs.at(Level.WARN);
            assertTrue(warns.stream().anyMatch(w -> w.contains("CRC32C mismatch") && w.contains(file.getFileName().toString())
                    && w.contains("position")), warns.toString());
            assertEquals(99, log.endOffset());
            assertEquals(1, log.stats().corruptionsDetected());
            try (LogReader r = log.readerFromEarliest()) {
                for (int i = 0; i < 99; i++) {
                    assertEquals("payload-" + i + "-" + "x".repeat(40), text(r.next()));
                }
                assertNull(r.next());
            }
            assertEquals(99, log.append(msg("t", "after")));
            assertEquals("after", text(log.readTopic("t", 99, 1).get(0)));
        }
        try (MessageLog log = MessageLog.open(config(dir))) { // and again after a restart
            assertEquals(100, log.endOffset());
            assertEquals(100, log.readTopic("t", 0, 1000).size());
        }
    }

    @Test
    void shouldRecoverIntactPrefixWhenDataFileIsTruncatedMidRecord() throws Exception {
        write(100);
        Path file = dataFile(dir);
        long end = lastNonZero(file);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(end - 20); // cuts the last record in two
        }
        try (LogTestSupport.CapturedLogs logs = new LogTestSupport.CapturedLogs();
             MessageLog log = MessageLog.open(config(dir))) {
            assertTrue(logs.at(Level.WARN).stream().anyMatch(w -> w.contains("corrupt log data")), logs.at(Level.WARN).toString());
            assertEquals(99, log.endOffset());
            assertEquals(99, log.readTopic("t", 0, 1000).size());
        }
    }

    @Test
    void shouldReportAndKeepForeignFileWhenOneIsInTheDataDirectory() throws Exception {
        write(5);
        Path foreign = dir.resolve("log/segments/notes.txt");
        Files.writeString(foreign, "mine");
        Path foreign2 = dir.resolve("log/backup.bin");
        Files.writeString(foreign2, "mine too");
        try (LogTestSupport.CapturedLogs logs = new LogTestSupport.CapturedLogs();
             MessageLog log = MessageLog.open(config(dir))) {
            List<String> warns = logs.at(Level.WARN);
            assertTrue(warns.stream().anyMatch(w -> w.contains("foreign file") && w.contains("notes.txt")), warns.toString());
            assertTrue(warns.stream().anyMatch(w -> w.contains("foreign file") && w.contains("backup.bin")), warns.toString());
            assertEquals(5, log.endOffset());
        }
        assertEquals("mine", Files.readString(foreign));
        assertEquals("mine too", Files.readString(foreign2));
    }
}
