package io.gomq.core.replication;

import io.gomq.core.log.LogException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The epoch of the leader whose records this node's log ends with, kept in a small file
 * ({@code dataDir/cluster/epoch}, decimal text) so a restarted node still knows which suffix
 * it may have to drop. Written (temp, force, atomic rename) before the first record of a new
 * epoch is appended. Thread-safe.
 */
public final class EpochStore {
    private final Path file;
    private volatile long epoch;

    private EpochStore(Path file, long epoch) {
        this.file = file;
        this.epoch = epoch;
    }

    /** Opens (or starts at 0) the store in {@code dir}. */
    public static EpochStore open(Path dir) {
        Path f = dir.resolve("epoch");
        try {
            Files.createDirectories(dir);
            long e = Files.exists(f) ? Long.parseLong(Files.readString(f, StandardCharsets.US_ASCII).trim()) : 0;
            return new EpochStore(f, e);
        } catch (IOException | NumberFormatException e) {
            throw new LogException("cannot read the epoch file " + f, e);
        }
    }

    /** In memory only (tests, embedded use without persistence). */
    public static EpochStore inMemory() {
        return new EpochStore(null, 0);
    }

    public long epoch() {
        return epoch;
    }

    /** Records {@code e} durably if it differs from the stored one. */
    public synchronized void epoch(long e) {
        if (e == epoch) {
            return;
        }
        if (file != null) {
            Path tmp = file.resolveSibling("epoch.tmp");
            try {
                Files.writeString(tmp, Long.toString(e), StandardCharsets.US_ASCII);
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                    ch.force(true);
                }
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException ex) {
                throw new LogException("cannot write the epoch file " + file, ex);
            }
        }
        epoch = e;
    }
}
