package io.gomq.core.log;

import io.gomq.core.log.segment.ChronicleSegment;

import java.nio.file.Path;

/** Deletes a Chronicle segment directory that is ours: only Chronicle's files, never a foreign one. */
final class ChronicleSegmentFiles {
    private ChronicleSegmentFiles() {
    }

    static void delete(Path dir) {
        ChronicleSegment.deleteChronicleDir(dir);
    }
}
