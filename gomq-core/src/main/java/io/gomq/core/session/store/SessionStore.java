package io.gomq.core.session.store;

import io.gomq.core.config.BrokerConfig;
import io.gomq.core.config.Durability;
import io.gomq.core.log.DiskSpace;
import io.gomq.core.log.LogException;
import io.gomq.core.message.Message;
import io.gomq.core.topic.SubscriptionOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.StampedLock;

/**
 * Durable persistent-session state: a snapshot file plus a write-ahead log of small deltas
 * (commit an offset, add/remove an in-flight entry, ...), so a frequent offset commit costs
 * one ~40-byte write, not a rewrite of the session. Files under {@code dataDir/sessions}:
 * {@code sessions.snap} and {@code sessions.wal}; format in gomq-core/LOG.md, recovery and the
 * snapshot switch in {@link SessionFiles}; this class holds the sessions.
 *
 * <p>Each update is in the WAL when its call returns (one {@code write(2)} of CRC-framed
 * records: survives a kill -9, durability WRITE); FSYNC forces before returning, FSYNC_BATCHED
 * every fsyncIntervalMs. When the WAL passes {@link #WAL_COMPACT_BYTES} (and at every open)
 * the whole state is written as a new snapshot with a fresh WAL.
 *
 * <p>Design note: no global monitor. An update locks the stripe of its client id (one of
 * {@link #STRIPES}): its WAL frame and its change to memory happen in the same order for one
 * session, while sessions on other stripes go ahead, their frames written together by the
 * group commit of {@link SessionWalWriter}. Updates share a read lock that a snapshot switch
 * (which needs every session still) and close take alone.
 *
 * <p>Thread rules: every method from any thread.
 */
public final class SessionStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SessionStore.class);
    static final long WAL_COMPACT_BYTES = 8L * 1024 * 1024;
    private static final int STRIPES = 64;

    private final Map<String, MutableSession> sessions = new ConcurrentHashMap<>();
    private final Object[] stripes = new Object[STRIPES];
    /** Shared by updates, taken alone by a snapshot switch and close (not reentrant: never nested). */
    private final StampedLock switchLock = new StampedLock();
    private final SessionFiles files;
    private final long walCompactBytes;
    private volatile boolean closed;
    private ScheduledExecutorService fsyncer;

    private SessionStore(SessionFiles files, long walCompactBytes) {
        this.files = files;
        this.walCompactBytes = walCompactBytes;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Object();
        }
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
        return open(config, space, WAL_COMPACT_BYTES);
    }

    /** Like {@link #open(BrokerConfig, DiskSpace)}, switching to a new snapshot when the WAL passes {@code walCompactBytes}. */
    static SessionStore open(BrokerConfig config, DiskSpace space, long walCompactBytes) {
        long t0 = System.nanoTime();
        SessionStore s = new SessionStore(new SessionFiles(config.dataDir().resolve("sessions"), config.durability(),
                space, config.diskReserveBytes()), walCompactBytes);
        s.files.load(s.sessions);
        LOG.info("session store {}: {} sessions loaded in {} ms", config.dataDir().resolve("sessions"), s.sessions.size(),
                (System.nanoTime() - t0) / 1_000_000);
        if (config.durability() == Durability.FSYNC_BATCHED) {
            s.fsyncer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "gomq-sessions-fsync");
                t.setDaemon(true);
                return t;
            });
            s.fsyncer.scheduleWithFixedDelay(s.files::forceIfDirty, config.fsyncIntervalMs(), config.fsyncIntervalMs(),
                    TimeUnit.MILLISECONDS);
        }
        return s;
    }

    // ------------------------------------------------------------------ reads

    /** Every stored session, as recovered at open plus the updates since. */
    public Map<String, SessionState> loadAll() {
        Map<String, SessionState> out = new LinkedHashMap<>();
        for (String id : List.copyOf(sessions.keySet())) {
            get(id).ifPresent(s -> out.put(id, s));
        }
        return out;
    }

    public Optional<SessionState> get(String clientId) {
        synchronized (stripe(clientId)) {
            MutableSession m = sessions.get(clientId);
            return m == null ? Optional.empty() : Optional.of(m.freeze());
        }
    }

    /** The lowest committed offset of any session (Long.MAX_VALUE if none): the log's compaction floor. */
    public long minCommittedOffset() {
        long min = Long.MAX_VALUE;
        for (Map.Entry<String, MutableSession> e : sessions.entrySet()) {
            synchronized (stripe(e.getKey())) {
                MutableSession m = e.getValue();
                min = Math.min(min, m.committed);
                for (InflightEntry f : m.inflight.values()) {
                    min = Math.min(min, f.offset());
                }
            }
        }
        return min;
    }

    public int size() {
        return sessions.size();
    }

    // ------------------------------------------------------------------ updates

    /** Replaces the whole state of one session. */
    public void save(SessionState state) {
        byte[] frame = SessionWalFormat.frame(SessionWalFormat.state(state));
        locked(state.clientId(), () -> {
            files.write(frame);
            sessions.put(state.clientId(), MutableSession.of(state));
        });
    }

    /** MQTT 5 Session Expiry Interval and when the session's connection ended (-1: connected). */
    public void expiry(String clientId, long expirySeconds, long disconnectedAtMillis) {
        update(clientId, SessionWalFormat.expiry(clientId, expirySeconds, disconnectedAtMillis), m -> {
            m.expirySeconds = expirySeconds;
            m.disconnectedAtMillis = disconnectedAtMillis;
        });
    }

    /** Stores the session's will ({@code will} null: it has none any more). */
    public void will(String clientId, Message will, long delaySeconds) {
        update(clientId, SessionWalFormat.will(clientId, will, delaySeconds), m -> {
            m.will = will;
            m.willDelaySeconds = will == null ? 0 : delaySeconds;
        });
    }

    /** A shared subscription group gave the session the message at {@code offset}. */
    public void sharedAssigned(String clientId, long offset) {
        update(clientId, SessionWalFormat.sharedAssigned(clientId, offset), m -> m.sharedOffsets.add(offset));
    }

    public void remove(String clientId) {
        byte[] frame = SessionWalFormat.frame(SessionWalFormat.remove(clientId));
        locked(clientId, () -> {
            if (sessions.containsKey(clientId)) {
                files.write(frame);
                sessions.remove(clientId);
            }
        });
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
        files.sync();
    }

    /** Forces of the WAL by {@link #sync} so far. */
    public long forces() {
        return files.forces();
    }

    public void commitOffset(String clientId, long offset) {
        update(clientId, SessionWalFormat.commit(clientId, offset), m -> m.commit(offset));
    }

    public void subscribe(String clientId, String filter, SubscriptionOptions options) {
        update(clientId, SessionWalFormat.subscribe(clientId, filter, options), m -> m.subscriptions.put(filter, options));
    }

    public void unsubscribe(String clientId, String filter) {
        update(clientId, SessionWalFormat.unsubscribe(clientId, filter), m -> m.subscriptions.remove(filter));
    }

    /** Adds or updates (SENT -> PUBREL_SENT) an outgoing in-flight entry. */
    public void putInflight(String clientId, int packetId, long offset, InflightState state) {
        update(clientId, SessionWalFormat.inflight(clientId, packetId, offset, state),
                m -> m.inflight.put(packetId, new InflightEntry(packetId, offset, state)));
    }

    /** PUBACK or PUBCOMP received. */
    public void removeInflight(String clientId, int packetId) {
        update(clientId, SessionWalFormat.inflightDone(clientId, packetId), m -> m.inflight.remove(packetId));
    }

    /** An inbound QoS 2 PUBLISH stored before PUBREC is sent. */
    public void putInbound(String clientId, int packetId, Message message) {
        update(clientId, SessionWalFormat.inbound(clientId, packetId, message), m -> m.inbound.put(packetId, message));
    }

    /** PUBREL received: the message is released (the caller has routed it). */
    public void removeInbound(String clientId, int packetId) {
        update(clientId, SessionWalFormat.inboundDone(clientId, packetId), m -> m.inbound.remove(packetId));
    }

    /**
     * Writes {@code body} to the WAL, then applies {@code change} to the session in memory: a
     * failed write changes nothing. The frame is encoded before any lock is taken.
     */
    private void update(String clientId, SessionWalFormat.Body body, java.util.function.Consumer<MutableSession> change) {
        byte[] frame = SessionWalFormat.frame(body);
        locked(clientId, () -> {
            files.write(frame);
            change.accept(sessions.computeIfAbsent(clientId, MutableSession::new));
        });
    }

    private void locked(String clientId, Runnable action) {
        long stamp = switchLock.readLock();
        try {
            if (closed) {
                throw new LogException("session store is closed");
            }
            synchronized (stripe(clientId)) {
                action.run();
            }
        } finally {
            switchLock.unlockRead(stamp);
        }
        if (files.snapshotDue(walCompactBytes)) {
            snapshotOrContinue();
        }
    }

    private Object stripe(String clientId) {
        return stripes[Math.floorMod(clientId.hashCode(), STRIPES)];
    }

    /** A WAL compaction that fails for lack of space keeps the current WAL (it grows until space returns). */
    private void snapshotOrContinue() {
        long stamp = switchLock.writeLock();
        try {
            if (closed || !files.snapshotDue(walCompactBytes)) {
                return; // another thread switched first
            }
            List<SessionState> states = new ArrayList<>(sessions.size());
            sessions.values().forEach(m -> states.add(m.freeze()));
            files.snapshot(states);
        } catch (LogException e) {
            LOG.warn("session snapshot failed ({}); the session WAL continues", e.getCause() == null ? e : e.getCause());
        } finally {
            switchLock.unlockWrite(stamp);
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
        long stamp = switchLock.writeLock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            files.close();
        } finally {
            switchLock.unlockWrite(stamp);
        }
    }
}
