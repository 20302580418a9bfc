package io.gomq.core.session.store;

import io.gomq.core.config.BrokerConfig;
import io.gomq.core.config.Durability;
import io.gomq.core.log.DiskSpace;
import io.gomq.core.log.LogException;
import io.gomq.core.message.Message;
import io.gomq.core.queue.Pacer;
import io.gomq.core.topic.SubscriptionOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Durable persistent-session state: a snapshot file plus a write-ahead log of small deltas
 * (commit an offset, add/remove an in-flight entry, ...), so a frequent offset commit costs
 * one ~40-byte frame, not a rewrite of the session. Files under {@code dataDir/sessions}:
 * {@code sessions.snap} and {@code sessions.wal}; format in gomq-core/LOG.md, recovery and the
 * snapshot switch in {@link SessionFiles}; this class holds the sessions.
 *
 * <p>An update changes the session in memory and hands its frame to the store's single writer
 * thread ({@link SessionStoreWriter}) and returns: the caller never writes or forces a file.
 * The writer writes frames in batches (one {@code write(2)}: survives a kill -9 once written,
 * durability WRITE), forces once per batch under FSYNC (group commit), FSYNC_BATCHED every
 * fsyncIntervalMs. Whatever must not leave the broker before an update is on disk (a PUBREC, a
 * SUBACK, a CONNACK, a PUBLISH journaled as sent) waits for {@link #durable()}; the transport
 * holds its flush until then. When the WAL passes {@link #WAL_COMPACT_BYTES} (and at every
 * open) the writer writes the whole state as a new snapshot with a fresh WAL.
 *
 * <p>Design note: memory goes first, then the frame is queued, both under the lock stripe of the
 * client id (one of {@link #STRIPES}; held for no I/O): one session's frames are queued in the
 * order of its changes. A snapshot freezes each session as memory has it, which may include
 * changes whose frames are still queued; they go to the new WAL and are applied again at load,
 * which changes nothing: every frame sets a value (a subscription, an in-flight entry, the read
 * position), so applying a suffix of a session's frames to a state that has them already gives
 * the same state. The compaction floor ({@link #minCommittedOffset}) may run ahead of the disk by
 * the queued frames; what it lets go was completed by the subscriber, so a crash then costs at
 * most a redelivery that QoS 1 allows.
 *
 * <p>Thread rules: every method from any thread.
 */
public final class SessionStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SessionStore.class);
    static final long WAL_COMPACT_BYTES = 8L * 1024 * 1024;
    private static final int STRIPES = 64;

    private final Map<String, MutableSession> sessions = new ConcurrentHashMap<>();
    private final Object[] stripes = new Object[STRIPES];
    /** Per stripe, the ticket of the newest removal: a connection of that client id waits for it too. */
    private final AtomicLongArray removedTickets = new AtomicLongArray(STRIPES);
    private final SessionFiles files;
    private final long walCompactBytes;
    private SessionStoreWriter writer;
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
        s.writer = new SessionStoreWriter(s.files, walCompactBytes, s::freezeAll);
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

    /** Every session frozen, each as one moment of it (the writer's snapshot). */
    private List<SessionState> freezeAll() {
        List<SessionState> states = new ArrayList<>(sessions.size());
        for (String id : List.copyOf(sessions.keySet())) {
            get(id).ifPresent(states::add);
        }
        return states;
    }

    // ------------------------------------------------------------------ updates

    /** Replaces the whole state of one session. */
    public void save(SessionState state) {
        byte[] frame = SessionWalFormat.frame(SessionWalFormat.state(state));
        synchronized (stripe(state.clientId())) {
            MutableSession m = MutableSession.of(state);
            sessions.put(state.clientId(), m);
            m.ticket = offer(frame);
        }
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
        synchronized (stripe(clientId)) {
            if (sessions.remove(clientId) != null) {
                removedTickets.set(stripeIndex(clientId), offer(frame));
            }
        }
    }

    /**
     * Completes once every update made so far, by any thread, is written (under FSYNC: forced):
     * at once when it is, else on the store's writer thread (hand the continuation to your own).
     * Whatever depends on an update waits for it before it leaves the broker: the PUBREC of a
     * stored QoS 2 message, the PUBCOMP of its release, a SUBACK, a CONNACK, a PUBLISH journaled
     * as sent. An acknowledgement received (PUBACK) needs no wait of its own: lost, it repeats a
     * delivery, which QoS 1 allows. Fails when the store closes before.
     */
    public CompletableFuture<Void> durable() {
        SessionStoreWriter w = writer;
        return w.whenWritten(w.queued());
    }

    /**
     * Like {@link #durable()} for the updates of one session only (and a removal of a session
     * on its stripe): a connection's packets depend on its own session's updates, so a slow
     * disk under one session's update does not hold another connection's packets. Lock-free.
     */
    public CompletableFuture<Void> durable(String clientId) {
        MutableSession m = sessions.get(clientId);
        long ticket = Math.max(removedTickets.get(stripeIndex(clientId)), m == null ? 0 : m.ticket);
        return writer.whenWritten(ticket);
    }

    /** Whether every update made so far is written (under FSYNC: forced). */
    public boolean isDurable() {
        SessionStoreWriter w = writer;
        return w.written() >= w.queued();
    }

    /**
     * Paces {@code pacer}'s connection (its socket is not read) while the store's writer is more
     * than a high watermark of updates behind; it resumes once the writer has caught up. Call
     * after work that journals updates. Never waits.
     */
    public void pace(Pacer pacer) {
        writer.pace(pacer);
    }

    /** Forces of the WAL by the writer's group commit so far (FSYNC). */
    public long forces() {
        return files.forces();
    }

    /** Batches the writer has written so far. */
    public long writeBatches() {
        return writer.batches();
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
     * Applies {@code change} to the session in memory and queues its frame for the writer, in
     * that order for one session. The frame is encoded before the stripe is locked.
     */
    private void update(String clientId, SessionWalFormat.Body body, java.util.function.Consumer<MutableSession> change) {
        byte[] frame = SessionWalFormat.frame(body);
        synchronized (stripe(clientId)) {
            MutableSession m = sessions.computeIfAbsent(clientId, MutableSession::new);
            change.accept(m);
            m.ticket = offer(frame);
        }
    }

    /** Under the client id's stripe: queues {@code frame} for the writer; returns its ticket. */
    private long offer(byte[] frame) {
        if (closed) {
            throw new LogException("session store is closed");
        }
        return writer.offer(frame);
    }

    private Object stripe(String clientId) {
        return stripes[stripeIndex(clientId)];
    }

    private static int stripeIndex(String clientId) {
        return Math.floorMod(clientId.hashCode(), STRIPES);
    }

    /** Tests: the lock the writer holds while it uses the WAL file; held elsewhere, the writer stalls. */
    java.util.concurrent.locks.ReentrantLock fileLock() {
        return files.fileLock();
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
        if (closed) {
            return;
        }
        closed = true;
        writer.close(); // writes what is queued, then closes the files
    }
}
