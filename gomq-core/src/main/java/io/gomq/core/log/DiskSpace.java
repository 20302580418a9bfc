package io.gomq.core.log;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.LongAdder;

/**
 * The free space of the file system that holds the data directory, against a reserve: below
 * it the log refuses appends ({@link DiskFullException}) while everything that needs no new
 * disk keeps working, and the session store lives on the reserve (its small updates are what
 * delivering already stored messages needs). See "Disk space" in gomq-core/LOG.md.
 *
 * <p>The reserve is {@code disk-reserve-bytes}, or when unset min(max(64 MiB, 2 % of the volume),
 * 25 % of the volume). Low starts below the reserve and ends only once the reserve plus a
 * margin is free (the larger of 1/16 of the reserve and what the log needs to make progress: a
 * new head segment and one allocation step), so a disk hovering at the line does not flap.
 *
 * <p>Thread rules: {@link #check} and {@link #allows} read the file system (one statvfs) and run
 * on the log's maintenance thread or under the log's locks, never on an event loop;
 * {@link #isLow} and the figures are volatile reads for any thread.
 */
public final class DiskSpace {
    private static final Logger LOG = LoggerFactory.getLogger(DiskSpace.class);
    /** The smallest automatic reserve (unless the volume is small: at most a quarter of it). */
    public static final long MIN_AUTO_RESERVE_BYTES = 64L << 20;
    /** {@code disk-reserve-bytes} unset: the reserve follows the volume's size. */
    public static final long AUTO = -1;

    private final Path dir;
    private final FileStore store;
    private final long reserveBytes;
    private final long resumeBytes;
    private final long totalBytes;
    private final LongAdder refusedAppends = new LongAdder();
    private volatile long freeBytes;
    private volatile boolean low;

    private DiskSpace(Path dir, FileStore store, long configuredReserve, long marginBytes) throws IOException {
        this.dir = dir;
        this.store = store;
        this.totalBytes = store.getTotalSpace();
        this.reserveBytes = configuredReserve >= 0 ? configuredReserve : autoReserve(totalBytes);
        this.resumeBytes = reserveBytes + Math.max(reserveBytes / 16, marginBytes);
        this.freeBytes = store.getUsableSpace();
        this.low = freeBytes < reserveBytes;
    }

    /**
     * Watches the file system of {@code dir} (which must exist) with the reserve
     * {@code configuredReserve} or {@link #AUTO}; a low disk ends once the reserve plus at least
     * {@code marginBytes} is free.
     */
    public static DiskSpace of(Path dir, long configuredReserve, long marginBytes) {
        try {
            DiskSpace s = new DiskSpace(dir, Files.getFileStore(dir), configuredReserve, marginBytes);
            LOG.info("disk space of {}: {} MiB free of {} MiB, reserve {} MiB{}", dir, s.freeBytes >> 20,
                    s.totalBytes >> 20, s.reserveBytes >> 20, s.low ? ": LOW, the log refuses writes until space returns" : "");
            return s;
        } catch (IOException e) {
            throw new LogException("cannot read the free space of " + dir, e);
        }
    }

    /** min(max(64 MiB, 2 % of the volume), 25 % of the volume). */
    static long autoReserve(long totalBytes) {
        return Math.min(Math.max(MIN_AUTO_RESERVE_BYTES, totalBytes / 50), totalBytes / 4);
    }

    /** Free space is below the reserve: appends are refused. */
    public boolean isLow() {
        return low;
    }

    /** Usable bytes at the last check. */
    public long freeBytes() {
        return freeBytes;
    }

    public long reserveBytes() {
        return reserveBytes;
    }

    public long totalBytes() {
        return totalBytes;
    }

    /** Appends refused for lack of space so far. */
    public long refusedAppends() {
        return refusedAppends.sum();
    }

    /** Reads the free space now and updates {@link #isLow()}; returns it. */
    public boolean check() {
        long free;
        try {
            free = store.getUsableSpace();
        } catch (IOException e) {
            LOG.warn("cannot read the free space of {}: {}", dir, e.toString());
            return low;
        }
        freeBytes = free;
        boolean wasLow = low;
        boolean nowLow = wasLow ? free < resumeBytes : free < reserveBytes;
        if (nowLow != wasLow) {
            low = nowLow;
            if (nowLow) {
                LOG.warn("disk space low on {}: {} MiB free, reserve {} MiB; the log refuses writes until space returns",
                        dir, free >> 20, reserveBytes >> 20);
            } else {
                LOG.info("disk space back on {}: {} MiB free, reserve {} MiB; the log takes writes again",
                        dir, free >> 20, reserveBytes >> 20);
            }
        }
        return nowLow;
    }

    /** Whether {@code bytes} more can be taken with the reserve still free (reads the free space; false also marks low). */
    public boolean allows(long bytes) {
        if (check()) {
            return false;
        }
        if (freeBytes - bytes < reserveBytes) {
            markLow("taking " + bytes + " bytes would eat into the reserve");
            return false;
        }
        return true;
    }

    /** A write failed for lack of space (ENOSPC) or would eat into the reserve: low until a check says otherwise. */
    public void markLow(String why) {
        if (!low) {
            low = true;
            LOG.warn("disk space low on {} ({}); the log refuses writes until space returns", dir, why);
        }
    }

    /** Throws {@link DiskFullException} (counted) when the disk is low. */
    public void refuseIfLow() {
        if (low) {
            throw refusal();
        }
    }

    /** A counted refusal to throw. */
    public DiskFullException refusal() {
        refusedAppends.increment();
        return new DiskFullException("no disk space: " + (freeBytes >> 20) + " MiB free on " + dir
                + ", below the reserve of " + (reserveBytes >> 20) + " MiB (disk-reserve-bytes)");
    }
}
