package io.gomq.core.log;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.gomq.core.log.LogTestSupport.config;
import static io.gomq.core.log.LogTestSupport.msg;
import static io.gomq.core.log.LogTestSupport.text;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Coverage-guided fuzzing (Jazzer) of the log's segment reader: a valid segment file damaged
 * by the input ({@link FileEdits}: set, xor or cut bytes anywhere in its header and records)
 * is recovered and read the way the broker does. Nothing may escape, and every record served
 * is the one written at its offset (the CRC32C must catch every other).
 */
class SegmentFileCoverageFuzzTest {
    private static final int RECORDS = 12;
    /** How much of the data file the edits reach: its header, every record, and zeros after them. */
    private static final int EDITED_BYTES = 96 * 1024;
    private static Path template;
    private static Path work;
    private static Path dataFile;
    private static byte[] prefix;
    private static long fileLength;

    @BeforeAll
    static void writeLog() throws IOException {
        template = Files.createTempDirectory("gomq-segment-fuzz");
        work = Files.createTempDirectory("gomq-segment-fuzz-work");
        try (MessageLog log = MessageLog.open(config(template))) {
            for (int i = 0; i < RECORDS; i++) {
                log.append(msg("t/" + i % 3, payload(i)));
            }
        }
        dataFile = template.relativize(TornFiles.find(template.resolve("log/segments/00000000000000000000"), ".cq4"));
        Path file = template.resolve(dataFile.toString());
        fileLength = Files.size(file);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            prefix = new byte[(int) Math.min(EDITED_BYTES, fileLength)];
            f.readFully(prefix);
        }
    }

    @AfterAll
    static void deleteFiles() {
        TornFiles.deleteTree(template);
        TornFiles.deleteTree(work);
    }

    private static String payload(int i) {
        return "payload-" + i + "-" + "y".repeat(i * 5);
    }

    @FuzzTest(maxDuration = "")
    void recover(byte[] edits) throws IOException {
        TornFiles.deleteTree(work);
        TornFiles.copyTree(template, work);
        byte[] edited = FileEdits.apply(prefix, edits, 8);
        try (RandomAccessFile f = new RandomAccessFile(work.resolve(dataFile.toString()).toFile(), "rw")) {
            f.setLength(0);
            // the same length as written (sparse: costs nothing) unless the edits cut it
            f.setLength(edited.length < prefix.length ? edited.length : fileLength);
            f.write(edited);
        }
        try (MessageLog log = MessageLog.open(config(work)); LogReader r = log.readerFromEarliest()) {
            for (LogRecord rec = r.next(); rec != null; rec = r.next()) {
                assertEquals(payload((int) rec.offset()), text(rec), "record " + rec.offset());
            }
        }
    }
}
