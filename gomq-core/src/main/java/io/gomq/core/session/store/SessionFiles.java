package io.gomq.core.session.store;

import io.gomq.core.config.Durability;
import io.gomq.core.log.DiskSpace;
import io.gomq.core.log.LogException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.Map;

/**
 * The session store's files under {@code dataDir/sessions}: recovery at open (snapshot, then
 * the WAL of its generation, a damaged file kept aside), the switch to a new snapshot and WAL,
 * and the WAL's writes ({@link SessionWalWriter}).
 *
 * <p>Design note: at load, a WAL whose generation differs from the snapshot's is already
 * contained in it and is ignored, so a crash at any point of the switch loses nothing. On a low
 * disk nothing new is written: at open the WAL is continued in place, and a due switch waits.
 *
 * <p>Thread rules: {@link #load} on the opening thread, then everything on the store's writer
 * thread ({@link SessionStoreWriter}), but {@link #forceIfDirty} (the batched-fsync thread).
 */
final class SessionFiles implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SessionFiles.class);

    private final Path dir;
    private final Durability durability;
    private final long reserveSetting;
    private DiskSpace space;
    private SessionWalWriter writer;
    private long generation;

    SessionFiles(Path dir, Durability durability, DiskSpace space, long reserveSetting) {
        this.dir = dir;
        this.durability = durability;
        this.space = space;
        this.reserveSetting = reserveSetting;
    }

    DiskSpace space() {
        return space;
    }

    /** Writes {@code length} bytes of whole frames; returns once they are in the WAL (under FSYNC, {@link #sync} forces them). */
    void write(byte[] frames, int length) {
        try {
            writer.write(frames, length);
        } catch (IOException e) {
            space.markLow("cannot write the session WAL: " + e.getMessage());
            throw new LogException("cannot write " + dir.resolve("sessions.wal"), e);
        }
    }

    /** Whether the WAL has grown past {@code limitBytes} and the disk has room for a new snapshot. */
    boolean snapshotDue(long limitBytes) {
        return writer.bytes() > limitBytes && !space.isLow();
    }

    /** FSYNC: forces every update written so far, once for all of them. */
    void sync() {
        try {
            writer.sync();
        } catch (IOException e) {
            space.markLow("cannot force the session WAL: " + e.getMessage());
            throw new LogException("cannot force " + dir.resolve("sessions.wal"), e);
        }
    }

    long forces() {
        return writer.forces();
    }

    /** The lock around every use of the WAL file. */
    java.util.concurrent.locks.ReentrantLock fileLock() {
        return writer.fileLock();
    }

    void forceIfDirty() {
        try {
            writer.forceIfDirty();
        } catch (IOException e) {
            LOG.error("session store fsync failed", e);
        }
    }

    /** Recovers the sessions of the files into {@code sessions}; leaves a WAL ready to write. */
    void load(Map<String, MutableSession> sessions) {
        Path snap = dir.resolve("sessions.snap");
        Path walPath = dir.resolve("sessions.wal");
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(dir.resolve("sessions.snap.tmp"));
            Files.deleteIfExists(dir.resolve("sessions.wal.tmp"));
            reportOtherFiles();
            boolean snapDamaged = false;
            if (Files.exists(snap)) {
                SessionSnapshotFormat.Read read = SessionSnapshotFormat.read(snap, sessions);
                snapDamaged = read.damaged();
                generation = Math.max(read.generation(), 0);
                if (snapDamaged) {
                    LOG.warn("session snapshot {} damaged at position {} ({}): {} sessions before it recovered, the"
                            + " rest are lost; the file is kept as {}", snap, read.damagedAt(), read.damage(),
                            sessions.size(), keepAside(snap).getFileName());
                    if (read.generation() < 0) {
                        generation = -1; // unknown: no WAL matches it
                    }
                }
            }
            SessionWalFormat.Replay replay = Files.exists(walPath) && generation >= 0
                    ? SessionWalFormat.replay(walPath, generation, sessions, snapDamaged)
                    : new SessionWalFormat.Replay(-1, false);
            long walEnd = replay.end();
            generation = Math.max(generation, 0);
            if (space == null) {
                space = DiskSpace.of(dir, reserveSetting, SessionWal.STEP_BYTES);
            }
            if ((replay.damaged() || snapDamaged) && Files.exists(walPath) && !space.check()) {
                LOG.warn("session WAL {} kept as {} for inspection", walPath, keepAside(walPath).getFileName());
            }
            if (!snapDamaged && space.check() && Files.exists(walPath)) {
                // no new files on a low disk: go on writing the WAL in place, its damaged tail zeroed
                SessionWal wal = SessionWal.open(walPath, walEnd < 0 ? SessionWalFormat.WAL_HEADER_BYTES : walEnd);
                writer = new SessionWalWriter(wal, durability);
                if (walEnd < 0) {
                    writer.restartInPlace(SessionWalFormat.header(generation));
                }
                LOG.warn("session store {} opened on a low disk: no new snapshot, the WAL continues", dir);
            }
        } catch (IOException e) {
            throw new LogException("cannot load sessions from " + dir, e);
        }
        if (writer == null) {
            writer = new SessionWalWriter(null, durability);
            // start every run from a snapshot and an empty WAL: a damaged tail is cut off here
            snapshot(sessions.values().stream().map(MutableSession::freeze).toList());
        }
    }

    private void reportOtherFiles() throws IOException {
        try (var files = Files.list(dir)) {
            files.forEach(p -> {
                String name = p.getFileName().toString();
                if (name.matches("sessions\\.(snap|wal)\\.corrupt-\\d+")) {
                    LOG.warn("damaged session file {} is kept for inspection and not read", p);
                } else if (!name.matches("sessions\\.(snap|wal)")) {
                    LOG.warn("foreign file {} in the session directory: not ours, left untouched", p);
                }
            });
        }
    }

    /** Moves a damaged file aside for inspection (a rename: takes no space); the next snapshot replaces it. */
    private static Path keepAside(Path file) throws IOException {
        Path aside = file.resolveSibling(file.getFileName() + ".corrupt-" + System.currentTimeMillis());
        Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
        return aside;
    }

    /** Writes {@code states} as snapshot generation+1 and starts an empty WAL of that generation. */
    void snapshot(Collection<SessionState> states) {
        long gen = generation + 1;
        Path tmp = dir.resolve("sessions.snap.tmp");
        try {
            writeForced(tmp, SessionSnapshotFormat.write(gen, states));
            Files.move(tmp, dir.resolve("sessions.snap"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new LogException("cannot write session snapshot in " + dir, e);
        }
        forceDir();
        // from here a crash leaves the old WAL, whose generation no longer matches: ignored
        generation = gen;
        Path walTmp = dir.resolve("sessions.wal.tmp");
        try {
            writeForced(walTmp, SessionWalFormat.header(gen));
            writer.closeFile();
            Files.move(walTmp, dir.resolve("sessions.wal"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            forceDir();
            writer.switchTo(SessionWal.open(dir.resolve("sessions.wal"), SessionWalFormat.WAL_HEADER_BYTES));
        } catch (IOException e) {
            deleteQuietly(walTmp);
            restartWalInPlace(gen, e);
        }
    }

    /** The snapshot of {@code gen} is in place but no new WAL could be made: the old file becomes it. */
    private void restartWalInPlace(long gen, IOException cause) {
        try {
            if (!writer.hasFile()) {
                writer.switchTo(SessionWal.open(dir.resolve("sessions.wal"), SessionWalFormat.WAL_HEADER_BYTES));
            }
            writer.restartInPlace(SessionWalFormat.header(gen));
            LOG.warn("cannot write a new session WAL in {} ({}); the old one was restarted in place", dir, cause.toString());
        } catch (IOException e) {
            e.addSuppressed(cause);
            throw new LogException("cannot write the session WAL in " + dir, e);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a leftover temp file is deleted at the next open
        }
    }

    private static void writeForced(Path p, byte[] b) throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ByteBuffer bb = ByteBuffer.wrap(b);
            while (bb.hasRemaining()) {
                ch.write(bb);
            }
            ch.force(true);
        }
    }

    private void forceDir() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException ignored) {
            // not supported on every file system; the rename itself is atomic
        }
    }

    @Override
    public void close() {
        try {
            writer.close();
        } catch (IOException e) {
            throw new LogException("cannot close session WAL in " + dir, e);
        }
    }
}
