package io.gomq.core.replication;

import io.gomq.core.log.LogReader;
import io.gomq.core.log.MessageLog;
import io.gomq.core.log.RecordBatch;
import io.gomq.core.replication.SyncPacket.SyncAck;
import io.gomq.core.replication.SyncPacket.SyncOffset;
import io.gomq.core.replication.SyncPacket.SyncReq;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The leader's side of replication, independent of any transport: answers each member's
 * SYNCREQ with a SYNCACK batch read from the log (or a truncation order), tracks each
 * member's offset, the in-sync set and the watermarks, and completes
 * {@link #awaitReplicated} futures when enough in-sync members hold a record.
 *
 * <p>Thread rules: each member connection calls its {@link Connection} from one thread at a
 * time (it owns a {@link LogReader}); everything else may be called from any thread.
 *
 * <p>Watermarks: the <em>high watermark</em> is the offset below which every record is on
 * {@code minInsync} in-sync members (the log end when {@code minInsync} is 0); the <em>low
 * watermark</em> is the smallest offset any known member has reached.
 */
public final class ReplicationLeader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicationLeader.class);

    /** A completed future shared by every acknowledgement that needs no wait. */
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final MessageLog log;
    private final long epoch;
    private final ReplicationSettings settings;
    private volatile EpochHistory history;
    private final Map<String, Member> members = new ConcurrentHashMap<>();
    private final TreeMap<Long, Waiters> waiters = new TreeMap<>();
    /** The earliest deadline among {@link #waiters} (nanoTime; Long.MAX_VALUE for none); under its lock. */
    private long earliestDeadline = Long.MAX_VALUE;
    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private volatile long highWatermark;
    /** Whether this leader's etcd lease was confirmed lately; see {@link #leaseFresh(BooleanSupplier)}. */
    private volatile BooleanSupplier leaseFresh = () -> true;
    private volatile boolean closed;
    /** Registered with the log while this leader is open. */
    private final Runnable onAppended = this::notifyAppended;

    /** The acknowledgements waiting for one offset, and when the first of them gives up. */
    private static final class Waiters {
        final List<CompletableFuture<Void>> futures = new ArrayList<>(2);
        final long deadlineNanos;

        Waiters(long deadlineNanos) {
            this.deadlineNanos = deadlineNanos;
        }
    }

    private static final class Member {
        final String nodeId;
        volatile long offset = -1;
        volatile long lastContactNanos = System.nanoTime();
        volatile boolean inSync;
        final java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();

        Member(String nodeId) {
            this.nodeId = nodeId;
        }
    }

    public ReplicationLeader(MessageLog log, long epoch, EpochHistory history, ReplicationSettings settings) {
        this.log = log;
        this.epoch = epoch;
        this.history = history;
        this.settings = settings;
        this.highWatermark = settings.minInsync() == 0 ? log.endOffset() : 0;
        log.addAppendListener(onAppended);
    }

    public long epoch() {
        return epoch;
    }

    public void history(EpochHistory h) {
        this.history = h;
    }

    /** Opens the state of one member connection. */
    public Connection connect() {
        Connection c = new Connection();
        connections.add(c);
        return c;
    }

    /**
     * Wakes SYNCREQs held open for new data. The log calls it after every write (see
     * {@link MessageLog#addAppendListener}): a volatile read per member connection, and an unpark
     * only for a stream (or pull) that waits.
     */
    private void notifyAppended() {
        for (Connection c : connections) {
            c.wake();
        }
    }

    /**
     * Completes once {@code minInsync} in-sync members (every in-sync member for
     * {@link ReplicationSettings#ALL_IN_SYNC}) hold the record at {@code offset} (at once when
     * {@code minInsync} is 0). Fails with {@link IllegalStateException} when this
     * leader steps down first. No timeout: see {@link #awaitReplicated(long, long)}.
     */
    public CompletableFuture<Void> awaitReplicated(long offset) {
        return awaitReplicated(offset, Long.MAX_VALUE);
    }

    /**
     * {@link #awaitReplicated(long)} that fails with a {@link TimeoutException} once {@code timeoutMs}
     * have passed (checked by {@link #tick}, so up to one tick later). Design note: one deadline per
     * offset checked by the periodic tick instead of {@code orTimeout} per message, which put a
     * timer task per acknowledgement into one shared scheduler queue (a lock per message, and at
     * 50 k messages/s half a million tasks held for the 10 s timeout).
     */
    public CompletableFuture<Void> awaitReplicated(long offset, long timeoutMs) {
        if (settings.minInsync() == 0) {
            return DONE;
        }
        CompletableFuture<Void> f = new CompletableFuture<>();
        synchronized (waiters) {
            if (closed) {
                f.completeExceptionally(new IllegalStateException("leader of epoch " + epoch + " stepped down"));
                return f;
            }
            if (offset < highWatermark) {
                return DONE;
            }
            long deadline = timeoutMs == Long.MAX_VALUE ? Long.MAX_VALUE
                    : System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            waiters.computeIfAbsent(offset, k -> new Waiters(deadline)).futures.add(f);
            if (waiters.size() == 1 || deadline - earliestDeadline < 0) {
                earliestDeadline = deadline;
            }
        }
        return f;
    }

    /**
     * Tells how to know that this leader's lease is confirmed. In {@link ReplicationSettings#ALL_IN_SYNC}
     * mode an empty in-sync set lets the leader acknowledge alone only while it is: a leader cut off
     * from etcd whose members followed a new leader must not acknowledge what will be truncated.
     */
    public void leaseFresh(BooleanSupplier fresh) {
        this.leaseFresh = fresh;
    }

    public long highWatermark() {
        return settings.minInsync() == 0 ? log.endOffset() : highWatermark;
    }

    public long lowWatermark() {
        long low = log.endOffset();
        for (Member m : members.values()) {
            if (m.offset >= 0) {
                low = Math.min(low, m.offset);
            }
        }
        return low;
    }

    public List<MemberState> members() {
        long end = log.endOffset();
        long now = System.nanoTime();
        List<MemberState> out = new ArrayList<>();
        for (Member m : members.values()) {
            long off = Math.max(m.offset, 0);
            out.add(new MemberState(m.nodeId, off, Math.max(0, end - off), m.inSync,
                    (now - m.lastContactNanos) / 1_000_000, m.connections.get() > 0));
        }
        out.sort(Comparator.comparing(MemberState::nodeId));
        return out;
    }

    /** Re-evaluates the in-sync set (silent members drop out); call periodically, e.g. every heartbeat. */
    public void tick() {
        refresh();
        expireWaiters(System.nanoTime());
    }

    /** Fails the acknowledgements whose deadline passed; a scan only once the earliest deadline has. */
    private void expireWaiters(long now) {
        List<CompletableFuture<Void>> expired = new ArrayList<>();
        synchronized (waiters) {
            if (waiters.isEmpty() || now - earliestDeadline < 0) {
                return;
            }
            long earliest = Long.MAX_VALUE;
            var it = waiters.values().iterator();
            while (it.hasNext()) {
                Waiters w = it.next();
                if (now - w.deadlineNanos >= 0) {
                    expired.addAll(w.futures);
                    it.remove();
                } else if (w.deadlineNanos - earliest < 0 || earliest == Long.MAX_VALUE) {
                    earliest = w.deadlineNanos;
                }
            }
            earliestDeadline = earliest;
        }
        if (!expired.isEmpty()) {
            TimeoutException e = new TimeoutException("not replicated to the in-sync members in time (high watermark "
                    + highWatermark + ")");
            expired.forEach(f -> f.completeExceptionally(e));
        }
    }

    private Member member(String nodeId) {
        return members.computeIfAbsent(nodeId, Member::new);
    }

    private void report(Member m, long offset) {
        if (offset > m.offset) {
            m.offset = offset;
        }
        m.lastContactNanos = System.nanoTime();
        refresh();
    }

    private void refresh() {
        long end = log.endOffset();
        long now = System.nanoTime();
        List<Long> inSync = new ArrayList<>();
        for (Member m : members.values()) {
            boolean fresh = (now - m.lastContactNanos) / 1_000_000 <= settings.maxLagMs() && m.connections.get() > 0;
            boolean close = m.offset >= 0 && end - m.offset <= settings.maxLagRecords();
            boolean was = m.inSync;
            m.inSync = fresh && close;
            if (was != m.inSync) {
                LOG.info("member {} {} the in-sync set (offset {}, leader end {})", m.nodeId,
                        m.inSync ? "joined" : "left", m.offset, end);
            }
            if (m.inSync) {
                inSync.add(m.offset);
            }
        }
        int k = settings.minInsync();
        long replicated;
        if (k == ReplicationSettings.ALL_IN_SYNC) {
            if (inSync.isEmpty() && !leaseFresh.getAsBoolean()) {
                return; // alone and cut off from etcd: this may be a deposed leader whose members moved on
            }
            // every in-sync member; with none in sync (and a fresh lease), the leader's copy is all there is
            replicated = inSync.isEmpty() ? end : java.util.Collections.min(inSync);
        } else {
            if (k == 0 || inSync.size() < k) {
                return;
            }
            inSync.sort(Comparator.reverseOrder());
            replicated = inSync.get(k - 1);
        }
        List<CompletableFuture<Void>> done = new ArrayList<>();
        synchronized (waiters) {
            if (replicated > highWatermark) {
                highWatermark = replicated;
            }
            Map<Long, Waiters> head = waiters.headMap(highWatermark);
            head.values().forEach(w -> done.addAll(w.futures));
            head.clear();
        }
        done.forEach(f -> f.complete(null));
    }

    /** Fails every waiting {@link #awaitReplicated} future and wakes held requests; the connections should be closed by the transport. */
    @Override
    public void close() {
        log.removeAppendListener(onAppended);
        List<CompletableFuture<Void>> failed = new ArrayList<>();
        synchronized (waiters) {
            closed = true;
            waiters.values().forEach(w -> failed.addAll(w.futures));
            waiters.clear();
        }
        IllegalStateException e = new IllegalStateException("leader of epoch " + epoch + " stepped down");
        failed.forEach(f -> f.completeExceptionally(e));
        notifyAppended();
        for (Connection c : connections) {
            c.close();
        }
    }

    /** One member connection. */
    public final class Connection implements AutoCloseable {
        private Member member;
        private LogReader reader;
        /** The records of this connection's latest SYNCACK, refilled for each request. */
        private final RecordBatch batch = new RecordBatch(64 * 1024);
        private boolean open = true;
        /** The most raw record bytes per SYNCACK, as the member asked and the settings allow. */
        private int maxBytes;
        /** The thread of a stream or pull waiting for data, or null: {@link #wake} unparks it once. */
        private final AtomicReference<Thread> waiting = new AtomicReference<>();

        void wake() {
            Thread t = waiting.get();
            if (t != null && waiting.compareAndSet(t, null)) {
                LockSupport.unpark(t);
            }
        }

        /** Holds the pull until the log grows past {@code from}, the leader closes, or {@code deadline}. */
        private void awaitData(long from, long deadline) throws InterruptedException {
            Thread self = Thread.currentThread();
            long now;
            while (log.endOffset() <= from && !closed && (now = System.nanoTime()) < deadline) {
                waiting.set(self);
                if (log.endOffset() > from || closed) { // appended between the check and the registration
                    waiting.set(null);
                    break;
                }
                // no polling: the log announces every append (notifyAppended), the heartbeat bounds the rest
                LockSupport.parkNanos(this, deadline - now);
                waiting.set(null);
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
        }

        /**
         * Answers a SYNCREQ: a truncation order if the member holds records of an older epoch
         * beyond that epoch's end here, else the records from its offset (held open up to the
         * heartbeat time while there are none). Throws {@link FencedException} if the member has
         * seen a newer epoch than ours: this leader is deposed. The SYNCACK's records are this
         * connection's buffer, valid until its next request: encode the SYNCACK before that.
         */
        public SyncAck onSyncReq(SyncReq req) throws InterruptedException {
            if (req.lastEpoch() > epoch) {
                throw new FencedException("member " + req.nodeId() + " follows a newer leader", epoch, req.lastEpoch());
            }
            if (member == null) {
                member = member(req.nodeId());
                member.connections.incrementAndGet();
            } else if (!member.nodeId.equals(req.nodeId())) {
                throw new SyncProtocolException("node id changed on one connection: " + member.nodeId + " -> " + req.nodeId());
            }
            long end = log.endOffset();
            long limit = req.lastEpoch() == epoch ? end : history.endOffsetFor(req.lastEpoch(), end);
            if (req.fromOffset() > limit) {
                LOG.info("member {} (epoch {}) is at {} beyond offset {} where its epoch ends here: truncate",
                        req.nodeId(), req.lastEpoch(), req.fromOffset(), limit);
                return new SyncAck(epoch, end, highWatermark(), limit, RecordBatch.empty());
            }
            report(member, req.fromOffset());
            maxBytes = Math.min(req.maxBytes(), settings.maxBatchBytes());
            return batchFrom(req.fromOffset());
        }

        /**
         * Streaming (a SYNCREQ with {@link SyncReq#stream()} answered without a truncation): the
         * SYNCACK after the last one, held open like a pull until there are records or the
         * heartbeat time passes. The member's SYNCOFFSETs report what it stored meanwhile; the
         * leader never waits for them to send more (TCP's window is the flow control). Same
         * thread rules and buffer reuse as {@link #onSyncReq}.
         */
        public SyncAck next() throws InterruptedException {
            if (reader == null) {
                throw new IllegalStateException("next() before a SYNCREQ was answered with records");
            }
            return batchFrom(reader.position());
        }

        private SyncAck batchFrom(long from) throws InterruptedException {
            awaitData(from, System.nanoTime() + settings.heartbeatMs() * 1_000_000);
            read(from, maxBytes);
            return new SyncAck(epoch, log.endOffset(), highWatermark(), SyncAck.NO_TRUNCATE, batch);
        }

        public void onSyncOffset(SyncOffset o) {
            if (member == null) {
                throw new SyncProtocolException("SYNCOFFSET before SYNCREQ");
            }
            if (o.epoch() > epoch) {
                throw new FencedException("member " + member.nodeId + " follows a newer leader", epoch, o.epoch());
            }
            report(member, o.offset());
        }

        /**
         * Fills {@link #batch} with the stored records from {@code from}: copies, none decoded.
         * Holds the connection's monitor: a step-down closes connections from its own thread, and
         * the log reader must not close under a stream's sender half-way through a read.
         */
        private synchronized void read(long from, int maxBytes) {
            if (!open) {
                throw new IllegalStateException("replication connection closed");
            }
            if (reader == null) {
                reader = log.reader(from);
            } else if (reader.position() != from) {
                reader.seek(from);
            }
            batch.clear();
            reader.readInto(batch, maxBytes);
        }

        @Override
        public synchronized void close() {
            if (!open) {
                return;
            }
            open = false;
            connections.remove(this);
            if (member != null) {
                member.connections.decrementAndGet();
                refresh();
            }
            if (reader != null) {
                try {
                    reader.close();
                } catch (RuntimeException ignored) {
                    // the log may be closed already
                }
            }
        }
    }
}
