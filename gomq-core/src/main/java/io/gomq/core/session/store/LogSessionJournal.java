package io.gomq.core.session.store;

import io.gomq.core.topic.SubscriptionOptions;
import io.gomq.core.log.LogAppend;
import io.gomq.core.log.LogRecord;
import io.gomq.core.log.MessageLog;
import io.gomq.core.message.Message;
import io.gomq.core.message.Qos;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * A {@link SessionJournal} kept in the log itself, for a cluster: every change of a persistent
 * session appends the session's whole state as a retained record on
 * {@code $gomq/sessions/<clientId>} ({@link SessionStateCodec}); removing a session appends an
 * empty retained record (a tombstone). The log keeps the newest retained record per topic,
 * compaction keeps it, and replication copies it with identical offsets, so a new leader
 * rebuilds every persistent session from {@code retainedMatching("$gomq/sessions/#")}.
 *
 * <p>An incoming QoS 2 message waiting for its PUBREL is a retained record of its own, on
 * {@code $gomq/inbound/<packetId>/<clientId>}, removed by a tombstone when released: inside the
 * state it would be rewritten with every change of the session, and a few large payloads would
 * make the state larger than the log takes in one record (the session then could not be written
 * at all).
 *
 * <p>Design note: whole states rather than deltas (the local {@link SessionStore}
 * writes deltas) because compaction keeps only the newest record of a key: a delta stream
 * would need its own snapshots. Kafka keeps consumer offsets in a compacted topic the same way.
 * Cost: one append of ~30 bytes + 11 per in-flight message per state written. Sends and
 * completions are the frequent changes; they only mark the state dirty, and {@link #drained}
 * (the session calls it at the end of each drain, before its PUBLISHes reach the network)
 * writes one state for the whole batch, or with {@link #coalesce} one per window. Everything
 * else (PUBREL before it is sent, an incoming QoS 2 message before its PUBREC, subscriptions)
 * is written at once. A completion held back when a failover strikes costs a redelivery
 * (QoS 1) or a repeated PUBREL (QoS 2), never a loss.
 *
 * <p>Records go to the log's single writer ({@link MessageLog#appendAsync}): the caller (an
 * event loop) never writes or forces the log itself. What depends on a record waits for it:
 * {@link #written(String)} for one session's newest record that its packets depend on (the
 * transport holds its flush), {@link #newest()} for every record so far (acknowledgements wait
 * for it, then replication). A drain of QoS 1 PUBLISHes does not wait for its record: the
 * subscriber's round trip would then include a turn of the log's writer for every window of
 * messages (in a cluster the writer also stores every published message), and a record
 * lost to a failover only makes the new leader send those messages again. A QoS 2 send waits:
 * the new leader must re-send it with the same packet identifier.
 *
 * <p>Thread rules: called on each session's owner thread; states of different clients are
 * independent, one client's updates are serialized on its state so the newest state gets the
 * highest offset (queued under its monitor, no I/O under it).
 */
public final class LogSessionJournal implements SessionJournal {
    /** Under the broker's reserved {@code $gomq/} topics, which clients may not use. */
    public static final String TOPIC_PREFIX = "$gomq/sessions/";
    /** Incoming QoS 2 messages not yet released: {@code INBOUND_PREFIX + packetId + "/" + clientId}. */
    public static final String INBOUND_PREFIX = "$gomq/inbound/";
    private static final Logger LOG = LoggerFactory.getLogger(LogSessionJournal.class);

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final MessageLog log;
    private final ConcurrentHashMap<String, MutableSession> states = new ConcurrentHashMap<>();
    /** Per client id, its newest record handed to the log's writer (removed once stored). */
    private final ConcurrentHashMap<String, CompletableFuture<Void>> pending = new ConcurrentHashMap<>();
    /** The newest record handed to the log's writer by any session: stored in offset order, so once it is, all are. */
    private volatile CompletableFuture<Void> newest = DONE;
    /** Sessions whose drains left changes unwritten: written together when {@link #later} runs. */
    private final Set<String> lagging = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean writeScheduled = new AtomicBoolean();
    private volatile Later later;
    private volatile LongSupplier nanos = System::nanoTime;
    private volatile long windowNanos;

    /** Runs a task after a delay (the engine's session timers). */
    @FunctionalInterface
    public interface Later {
        void after(Runnable task, long delayMillis);
    }

    public LogSessionJournal(MessageLog log) {
        this.log = log;
    }

    /**
     * Writes a session's QoS 1 sends and completions at most once per {@code windowMillis}
     * (what its packets depend on still goes at once; a disconnect writes everything): without
     * it every drain writes a whole state, at a low rate one per message, each a turn of the log's
     * writer and a round of replication. {@code later} writes what the window held back; a
     * failover within it costs that window's QoS 1 messages a redelivery. Call before use.
     */
    public void coalesce(long windowMillis, LongSupplier nanos, Later later) {
        this.nanos = nanos;
        this.windowNanos = TimeUnit.MILLISECONDS.toNanos(windowMillis);
        this.later = later;
    }

    /** The states the log holds now (newest record per session), replacing what this journal knew. */
    public List<SessionState> reload() {
        states.clear();
        List<MutableSession> legacy = new ArrayList<>();
        for (LogRecord r : log.retainedMatching(TOPIC_PREFIX + "#")) {
            String clientId = r.message().topic().substring(TOPIC_PREFIX.length());
            if (r.message().isEmptyPayload()) {
                continue;
            }
            try {
                MutableSession m = MutableSession.of(SessionStateCodec.decode(clientId, r.message().payload()));
                states.put(clientId, m);
                if (!m.inbound.isEmpty()) {
                    legacy.add(m); // written by an older version inside the state
                }
            } catch (IllegalArgumentException e) {
                LOG.warn("session {}: unreadable state at offset {} ignored: {}", clientId, r.offset(), e.getMessage());
            }
        }
        for (MutableSession m : legacy) {
            synchronized (m) {
                m.inbound.forEach((packetId, message) -> appendInbound(m.clientId, packetId, message));
                write(m.clientId, m); // the state without them: a release tombstones only the record of its own
            }
        }
        reloadInbound();
        List<SessionState> out = new ArrayList<>();
        for (MutableSession m : states.values()) {
            synchronized (m) {
                out.add(m.freeze());
            }
        }
        return out;
    }

    /** Adds each stored incoming QoS 2 message to its session; one without a session is removed. */
    private void reloadInbound() {
        for (LogRecord r : log.retainedMatching(INBOUND_PREFIX + "#")) {
            String topic = r.message().topic();
            if (r.message().isEmptyPayload()) {
                continue;
            }
            int slash = topic.indexOf('/', INBOUND_PREFIX.length());
            try {
                int packetId = Integer.parseInt(topic.substring(INBOUND_PREFIX.length(), slash));
                String clientId = topic.substring(slash + 1);
                MutableSession m = states.get(clientId);
                if (m == null) {
                    append(topic, new byte[0], null); // its session was removed before the tombstone of this
                    continue;
                }
                m.inbound.put(packetId, SessionStateCodec.readMessage(r.message().payload()));
            } catch (IllegalArgumentException | IndexOutOfBoundsException | BufferUnderflowException e) {
                LOG.warn("incoming QoS 2 message {}: unreadable record at offset {} ignored: {}", topic, r.offset(), e.toString());
            }
        }
    }

    /**
     * The lowest offset a replicated session still needs (its committed offset or an in-flight
     * one), read from the states in the log: a member has no live sessions, yet its compaction
     * must keep what a session will read after a failover. Long.MAX_VALUE when there is none.
     * Called by the compaction pass (decodes every session state; fine for thousands).
     */
    public long lowestNeededOffset() {
        long low = Long.MAX_VALUE;
        for (LogRecord r : log.retainedMatching(TOPIC_PREFIX + "#")) {
            if (r.message().isEmptyPayload()) {
                continue;
            }
            try {
                SessionState s = SessionStateCodec.decode("", r.message().payload());
                low = Math.min(low, s.committedOffset());
                for (InflightEntry e : s.inflight().values()) {
                    low = Math.min(low, e.offset());
                }
            } catch (IllegalArgumentException e) {
                // reported when restored
            }
        }
        return low;
    }

    @Override
    public void created(String clientId, long committedOffset) {
        MutableSession m = new MutableSession(clientId);
        m.committed = committedOffset;
        m.gatesPackets = true; // the CONNACK
        MutableSession replaced = states.put(clientId, m);
        if (replaced != null) {
            synchronized (replaced) {
                removeInbound(replaced);
            }
        }
        write(clientId, m);
    }

    @Override
    public void removed(String clientId) {
        MutableSession m = states.remove(clientId);
        if (m != null) {
            synchronized (m) {
                removeInbound(m);
                append(TOPIC_PREFIX + clientId, new byte[0], clientId);
            }
        }
    }

    /** Tombstones for the incoming QoS 2 messages of a session that ends; under its monitor. */
    private void removeInbound(MutableSession m) {
        for (Integer packetId : m.inbound.keySet()) {
            append(inboundTopic(m.clientId, packetId), new byte[0], m.clientId);
        }
        m.inbound.clear();
    }

    @Override
    public void expiry(String clientId, long expirySeconds, long disconnectedAtMillis) {
        update(clientId, m -> {
            m.expirySeconds = expirySeconds;
            m.disconnectedAtMillis = disconnectedAtMillis;
        });
    }

    @Override
    public void will(String clientId, Message will, long delaySeconds) {
        update(clientId, m -> {
            m.will = will;
            m.willDelaySeconds = delaySeconds;
        });
    }

    /** Written at once: an offline member has no drain that would flush it. */
    @Override
    public void sharedAssigned(String clientId, long offset) {
        update(clientId, m -> m.sharedOffsets.add(offset));
    }

    @Override
    public void subscribed(String clientId, String filter, SubscriptionOptions options) {
        update(clientId, m -> m.subscriptions.put(filter, options));
    }

    @Override
    public void unsubscribed(String clientId, String filter) {
        update(clientId, m -> m.subscriptions.remove(filter));
    }

    @Override
    public void sent(String clientId, int packetId, long offset, Qos qos) {
        defer(clientId, m -> m.inflight.put(packetId, new InflightEntry(packetId, offset, InflightState.SENT)),
                qos == Qos.EXACTLY_ONCE);
    }

    @Override
    public void released(String clientId, int packetId, long offset) {
        update(clientId, m -> m.inflight.put(packetId, new InflightEntry(packetId, offset, InflightState.PUBREL_SENT)));
    }

    @Override
    public void completed(String clientId, int packetId, long readPosition) {
        defer(clientId, m -> {
            m.inflight.remove(packetId);
            m.commit(readPosition);
        }, false);
    }

    @Override
    public void inboundStored(String clientId, int packetId, Message message) {
        MutableSession m = states.computeIfAbsent(clientId, MutableSession::new);
        synchronized (m) {
            m.inbound.put(packetId, message);
            appendInbound(clientId, packetId, message);
        }
    }

    @Override
    public void inboundReleased(String clientId, int packetId) {
        MutableSession m = states.computeIfAbsent(clientId, MutableSession::new);
        synchronized (m) {
            if (m.inbound.remove(packetId) != null) {
                append(inboundTopic(clientId, packetId), new byte[0], clientId); // the next PUBLISH may reuse the id
            }
        }
    }

    /** The PUBREC waits for this record. */
    private void appendInbound(String clientId, int packetId, Message message) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(message.payloadSize() + 128);
        try {
            SessionStateCodec.writeMessage(new DataOutputStream(bytes), message);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        append(inboundTopic(clientId, packetId), bytes.toByteArray(), clientId);
    }

    private static String inboundTopic(String clientId, int packetId) {
        return INBOUND_PREFIX + packetId + "/" + clientId;
    }

    @Override
    public void flush(String clientId) {
        MutableSession m = states.get(clientId);
        if (m != null) {
            synchronized (m) {
                if (m.dirty) {
                    write(clientId, m);
                }
            }
        }
    }

    @Override
    public void drained(String clientId) {
        MutableSession m = states.get(clientId);
        if (m == null) {
            return;
        }
        Later l = later;
        synchronized (m) {
            if (!m.dirty) {
                return;
            }
            if (l == null || m.gatesPackets || nanos.getAsLong() - m.writtenAtNanos >= windowNanos) {
                write(clientId, m);
                return;
            }
        }
        lagging.add(clientId);
        if (writeScheduled.compareAndSet(false, true)) {
            l.after(this::writeLagging, TimeUnit.NANOSECONDS.toMillis(windowNanos));
        }
    }

    /** The timer: writes the states that drains left unwritten. */
    private void writeLagging() {
        writeScheduled.set(false);
        for (Iterator<String> it = lagging.iterator(); it.hasNext(); ) {
            String clientId = it.next();
            it.remove();
            try {
                flush(clientId);
            } catch (RuntimeException e) { // the log refused (not the leader any more, closed): nothing to keep
                LOG.debug("session {}: state not written: {}", clientId, e.toString());
            }
        }
    }

    /**
     * A frequent change: applied now, written by the next {@link #flush} or immediate write.
     * {@code gatesPackets}: the client's next packets must wait for the record that holds it.
     */
    private void defer(String clientId, java.util.function.Consumer<MutableSession> change, boolean gatesPackets) {
        MutableSession m = states.computeIfAbsent(clientId, MutableSession::new);
        synchronized (m) {
            change.accept(m);
            m.dirty = true;
            m.gatesPackets |= gatesPackets;
        }
    }

    /** A change written at once (with whatever {@link #defer} held back); the client's packets wait for it. */
    private void update(String clientId, java.util.function.Consumer<MutableSession> change) {
        defer(clientId, change, true);
        flush(clientId);
    }

    private void write(String clientId, MutableSession m) {
        synchronized (m) {
            boolean gates = m.gatesPackets;
            m.dirty = false;
            m.gatesPackets = false;
            m.writtenAtNanos = nanos.getAsLong();
            append(TOPIC_PREFIX + clientId, SessionStateCodec.encode(m.freezeWithoutInbound()), gates ? clientId : null);
        }
    }

    /**
     * Hands one retained record on {@code topic} to the log's writer; the log's refusal (not the
     * leader, disk full) is thrown here. With a {@code gatedClient}, the record is what
     * {@link #written} returns for that client until it is stored.
     */
    private void append(String topic, byte[] payload, String gatedClient) {
        SessionRecord r = new SessionRecord(Message.wrap(topic, null, payload, Qos.AT_LEAST_ONCE, true,
                System.currentTimeMillis()));
        log.appendAsync(r, null);
        newest = r;
        if (gatedClient != null) {
            pending.put(gatedClient, r);
            r.whenComplete((v, e) -> pending.remove(gatedClient, r));
        }
    }

    /**
     * Completes once {@code clientId}'s newest record that its packets depend on is in the log
     * (fails with the log's refusal). Records of QoS 1 sends and of completions only do not count:
     * a PUBLISH or nothing at all depends on them, and one lost to a failover costs a redelivery.
     */
    public CompletableFuture<Void> written(String clientId) {
        CompletableFuture<Void> r = pending.get(clientId);
        return r == null ? DONE : r;
    }

    /** Completes once every record handed to the log so far is in it. */
    public CompletableFuture<Void> newest() {
        return newest;
    }

    /** A session state on its way to the log: nothing to do once stored but complete. */
    private static final class SessionRecord extends LogAppend {
        SessionRecord(Message m) {
            super(m);
        }

        @Override
        protected void onStored(Message stored) {
        }
    }
}
