package io.gomq.core.log.session;

import io.gomq.core.topic.SubscriptionOptions;
import io.gomq.core.config.BrokerConfig;
import io.gomq.core.config.Durability;
import io.gomq.core.log.DiskSpace;
import io.gomq.core.log.LogException;
import io.gomq.core.message.Message;
import io.gomq.core.message.Qos;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Durable persistent-session state: a snapshot file plus a write-ahead log of small deltas
 * (commit an offset, add/remove an in-flight entry, ...), so a frequent offset commit costs
 * one ~40-byte write, not a rewrite of the session. Files under {@code dataDir/sessions}:
 * {@code sessions.snap} and {@code sessions.wal}; format in gomq-core/LOG.md, encoded and
 * decoded by {@link SessionFormat}; this class holds the sessions and manages the files.
 *
 * <p>Each write is one {@code write(2)} of a length- and CRC-framed record, so it survives a
 * kill -9 as soon as the call returns (durability WRITE); FSYNC forces on {@link #sync}, once for
 * all the updates before it (the engine syncs before the packets that depend on them leave),
 * FSYNC_BATCHED every fsyncIntervalMs. When the WAL passes {@link #WAL_COMPACT_BYTES} (and at
 * every open) the whole state is written as a new snapshot (temp file, force, atomic rename)
 * with the next generation number, and a fresh WAL of that generation replaces the old one.
 * At load, a WAL whose generation differs from the snapshot's is already contained in it and
 * is ignored, so a crash at any point of that switch loses nothing.
 *
 * <p>Thread rules: all methods are synchronized (but {@link #sync}'s check when there is nothing to
 * force); callers on any thread.
 */
public final class SessionStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SessionStore.class);
    static final long WAL_COMPACT_BYTES = 8L * 1024 * 1024;

    private final Path dir;
    private final Durability durability;
    private final long reserveSetting;
    private final Map<String, MutableSession> sessions = new LinkedHashMap<>();
    private final SessionFormat format = new SessionFormat();
    private DiskSpace space;
    private SessionWal wal;
    private long generation;
    private boolean dirty;
    /** FSYNC: written since the last force; a volatile read tells {@link #sync} callers there is nothing to do. */
    private volatile boolean unforced;
    private boolean closed;
    private final java.util.concurrent.atomic.AtomicLong forces = new java.util.concurrent.atomic.AtomicLong();
    private ScheduledExecutorService fsyncer;

    private SessionStore(Path dir, Durability durability, DiskSpace space, long reserveSetting) {
        this.dir = dir;
        this.durability = durability;
        this.space = space;
        this.reserveSetting = reserveSetting;
    }

    /** Opens (and recovers) the store under {@code config.dataDir()/sessions}. */
    public static SessionStore open(BrokerConfig config) {
        return open(config, null);
    }

    /**
     * Like {@link #open(BrokerConfig)}, sharing the log's view of the free space (null: its own).
     * On a low disk the store opens without writing a new snapshot and keeps its WAL: its small
     * updates live on the reserve the log leaves free.
     */
    public static SessionStore open(BrokerConfig config, DiskSpace space) {
        SessionStore s = new SessionStore(config.dataDir().resolve("sessions"), config.durability(), space,
                config.diskReserveBytes());
        s.load();
        if (config.durability() == Durability.FSYNC_BATCHED) {
            s.fsyncer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "gomq-sessions-fsync");
                t.setDaemon(true);
                return t;
            });
            s.fsyncer.scheduleWithFixedDelay(s::batchedSync, config.fsyncIntervalMs(), config.fsyncIntervalMs(),
                    TimeUnit.MILLISECONDS);
        }
        return s;
    }

    // ------------------------------------------------------------------ API

    /** Every stored session, as recovered at open plus the updates since. */
    public synchronized Map<String, SessionState> loadAll() {
        Map<String, SessionState> out = new LinkedHashMap<>();
        sessions.forEach((k, v) -> out.put(k, v.freeze()));
        return out;
    }

    public synchronized Optional<SessionState> get(String clientId) {
        MutableSession m = sessions.get(clientId);
        return m == null ? Optional.empty() : Optional.of(m.freeze());
    }

    /** Replaces the whole state of one session. */
    public synchronized void save(SessionState state) {
        write(format.put(state));
        MutableSession m = new MutableSession(state.clientId());
        m.subscriptions.putAll(state.subscriptions());
        m.committed = state.committedOffset();
        m.inflight.putAll(state.inflight());
        m.inbound.putAll(state.inbound());
        m.expirySeconds = state.expirySeconds();
        m.disconnectedAtMillis = state.disconnectedAtMillis();
        sessions.put(state.clientId(), m);
    }

    /** MQTT 5 Session Expiry Interval and when the session's connection ended (-1: connected). */
    public synchronized void expiry(String clientId, long expirySeconds, long disconnectedAtMillis) {
        write(format.expiry(clientId, expirySeconds, disconnectedAtMillis));
        MutableSession m = session(clientId);
        m.expirySeconds = expirySeconds;
        m.disconnectedAtMillis = disconnectedAtMillis;
    }

    /** Stores the session's will ({@code will} null: it has none any more). */
    public synchronized void will(String clientId, Message will, long delaySeconds) {
        write(format.will(clientId, will, delaySeconds));
        MutableSession m = session(clientId);
        m.will = will;
        m.willDelaySeconds = will == null ? 0 : delaySeconds;
    }

    /** A shared subscription group gave the session the message at {@code offset}. */
    public synchronized void sharedAssigned(String clientId, long offset) {
        write(format.sharedAssigned(clientId, offset));
        session(clientId).sharedOffsets.add(offset);
    }

    public synchronized void remove(String clientId) {
        if (sessions.remove(clientId) != null) {
            write(format.remove(clientId));
        }
    }

    public synchronized void commitOffset(String clientId, long offset) {
        write(format.commit(clientId, offset));
        session(clientId).commit(offset);
    }

    public synchronized void subscribe(String clientId, String filter, SubscriptionOptions options) {
        write(format.subscribe(clientId, filter, options));
        session(clientId).subscriptions.put(filter, options);
    }

    public synchronized void unsubscribe(String clientId, String filter) {
        write(format.unsubscribe(clientId, filter));
        session(clientId).subscriptions.remove(filter);
    }

    /** Adds or updates (SENT -> PUBREL_SENT) an outgoing in-flight entry. */
    public synchronized void putInflight(String clientId, int packetId, long offset, InflightState state) {
        write(format.inflight(clientId, packetId, offset, state));
        session(clientId).inflight.put(packetId, new InflightEntry(packetId, offset, state));
    }

    /** PUBACK or PUBCOMP received. */
    public synchronized void removeInflight(String clientId, int packetId) {
        write(format.inflightDone(clientId, packetId));
        session(clientId).inflight.remove(packetId);
    }

    /** An inbound QoS 2 PUBLISH stored before PUBREC is sent. */
    public synchronized void putInbound(String clientId, int packetId, Message message) {
        write(format.inbound(clientId, packetId, message));
        session(clientId).inbound.put(packetId, message);
    }

    /** PUBREL received: the message is released (the caller has routed it). */
    public synchronized void removeInbound(String clientId, int packetId) {
        write(format.inboundDone(clientId, packetId));
        session(clientId).inbound.remove(packetId);
    }

    /** The lowest committed offset of any session (Long.MAX_VALUE if none): the log's compaction floor. */
    public synchronized long minCommittedOffset() {
        long min = Long.MAX_VALUE;
        for (MutableSession m : sessions.values()) {
            min = Math.min(min, m.committed);
            for (InflightEntry e : m.inflight.values()) {
                min = Math.min(min, e.offset());
            }
        }
        return min;
    }

    public synchronized int size() {
        return sessions.size();
    }

    private MutableSession session(String clientId) {
        return sessions.computeIfAbsent(clientId, MutableSession::new);
    }

    // ------------------------------------------------------------------ WAL

    private void write(SessionFormat.Body body) {
        if (closed) {
            throw new LogException("session store " + dir + " is closed");
        }
        byte[] b = format.frame(body);
        try {
            wal.append(b);
            dirty = true; // FSYNC: forced by the next sync(), before anything that depends on it leaves
            unforced = durability == Durability.FSYNC;
        } catch (IOException e) {
            space.markLow("cannot write the session WAL: " + e.getMessage());
            throw new LogException("cannot write " + dir.resolve("sessions.wal"), e);
        }
        if (wal.bytes() > WAL_COMPACT_BYTES && !space.isLow()) {
            snapshotOrContinue();
        }
    }

    /** A WAL compaction that fails for lack of space keeps the current WAL (it grows until space returns). */
    private void snapshotOrContinue() {
        try {
            snapshot();
        } catch (LogException e) {
            LOG.warn("session snapshot failed ({}); the session WAL continues", e.getCause() == null ? e : e.getCause());
        }
    }

    /**
     * FSYNC: forces what was written since the last force, for every session at once (group
     * commit). Called before a packet that depends on a write leaves the broker: at the end of a
     * session's drain (the PUBLISHes it journaled) and before a connection flushes its acks
     * (PUBREC after the stored QoS 2 message, PUBCOMP after its release, SUBACK...). An
     * acknowledgement received (PUBACK) needs no force of its own: lost, it repeats a delivery,
     * which QoS 1 allows. A no-op under the other durabilities, and when nothing was written.
     */
    public void sync() {
        if (!unforced) {
            return;
        }
        synchronized (this) {
            if (!unforced || closed) {
                return;
            }
            try {
                wal.force();
                forces.incrementAndGet();
                unforced = false;
                dirty = false;
            } catch (IOException e) {
                space.markLow("cannot force the session WAL: " + e.getMessage());
                throw new LogException("cannot force " + dir.resolve("sessions.wal"), e);
            }
        }
    }

    /** Forces of the WAL by {@link #sync} so far. */
    public long forces() {
        return forces.get();
    }

    private synchronized void batchedSync() {
        if (dirty && !closed) {
            try {
                wal.force();
                dirty = false;
            } catch (IOException e) {
                LOG.error("session store fsync failed", e);
            }
        }
    }

    // ------------------------------------------------------------------ files

    private void load() {
        long t0 = System.nanoTime();
        Path snap = dir.resolve("sessions.snap");
        Path walPath = dir.resolve("sessions.wal");
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(dir.resolve("sessions.snap.tmp"));
            Files.deleteIfExists(dir.resolve("sessions.wal.tmp"));
            reportOtherFiles();
            boolean snapDamaged = false;
            if (Files.exists(snap)) {
                SessionFormat.SnapshotRead read = format.readSnapshot(snap, sessions);
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
            SessionFormat.WalReplay replay = Files.exists(walPath) && generation >= 0
                    ? format.replayWal(walPath, generation, sessions, snapDamaged)
                    : new SessionFormat.WalReplay(-1, false);
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
                wal = SessionWal.open(walPath, walEnd < 0 ? SessionFormat.WAL_HEADER_BYTES : walEnd);
                if (walEnd < 0) {
                    wal.restart(SessionFormat.walHeader(generation));
                }
                LOG.warn("session store {} opened on a low disk: no new snapshot, the WAL continues", dir);
            }
        } catch (IOException e) {
            throw new LogException("cannot load sessions from " + dir, e);
        }
        if (wal == null) {
            snapshot(); // start every run from a snapshot and an empty WAL: a damaged tail is cut off here
        }
        LOG.info("session store {}: {} sessions loaded in {} ms", dir, sessions.size(), (System.nanoTime() - t0) / 1_000_000);
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

    /** Writes the whole state as snapshot generation+1 and starts an empty WAL of that generation. */
    private void snapshot() {
        long gen = generation + 1;
        Path tmp = dir.resolve("sessions.snap.tmp");
        try {
            writeForced(tmp, format.snapshot(gen, sessions.values()));
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
            writeForced(walTmp, SessionFormat.walHeader(gen));
            if (wal != null) {
                wal.close();
                wal = null;
            }
            Files.move(walTmp, dir.resolve("sessions.wal"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            forceDir();
            wal = SessionWal.open(dir.resolve("sessions.wal"), SessionFormat.WAL_HEADER_BYTES);
            dirty = false;
        } catch (IOException e) {
            deleteQuietly(walTmp);
            restartWalInPlace(gen, e);
        }
    }

    /** The snapshot of {@code gen} is in place but no new WAL could be made: the old file becomes it. */
    private void restartWalInPlace(long gen, IOException cause) {
        try {
            if (wal == null) {
                wal = SessionWal.open(dir.resolve("sessions.wal"), SessionFormat.WAL_HEADER_BYTES);
            }
            wal.restart(SessionFormat.walHeader(gen));
            wal.force();
            dirty = false;
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
        if (fsyncer != null) {
            fsyncer.shutdown();
            try {
                fsyncer.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            try {
                if (durability != Durability.WRITE) {
                    wal.force();
                }
                wal.close();
            } catch (IOException e) {
                throw new LogException("cannot close session WAL in " + dir, e);
            }
        }
    }
}
