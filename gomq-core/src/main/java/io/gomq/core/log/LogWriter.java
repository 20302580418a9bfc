package io.gomq.core.log;

import io.gomq.core.concurrent.WriterIdle;
import io.gomq.core.queue.Pacer;
import org.jctools.queues.MessagePassingQueue;
import org.jctools.queues.MpscArrayQueue;
import org.jctools.queues.MpscUnboundedXaddArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The log's single writer ("gomq-log-writer"): publishers hand it records through a bounded MPSC
 * queue ({@link #offer}); it appends them in batches, takes the log's write lock once per batch,
 * forces the head once per batch under FSYNC (group commit), moves the durable end, and only
 * then runs each record's {@link LogAppend#onStored} in offset order and completes it.
 *
 * <p>Design note: before, every publishing event loop took the write lock itself and held it
 * across the write, the roll, the fsync and the fan-out, so under FSYNC each message paid its own
 * force and the event loops queued on the lock. One owner thread batches by itself: whatever
 * arrives during one force goes into the next, so the forces per second stay bounded by the
 * disk while the messages per force grow with the load.
 *
 * <p>Policy: above {@link #HIGH_WATERMARK} queued records the publisher is paced (its pacer
 * resumes once the writer has drained below {@link #LOW_WATERMARK}); a publisher without a pacer
 * (a will, HTTP) that finds the queue full waits for room, briefly: nothing is dropped.
 * Closing lets the writer finish everything queued (a timeout bounds the wait); a record offered
 * after that is refused.
 *
 * <p>Thread rules: {@link #offer} from any thread but the writer's own; the rest runs on the
 * writer thread; {@link #close} from any thread.
 */
final class LogWriter implements AutoCloseable {
    static final int CAPACITY = 4096;
    static final int HIGH_WATERMARK = 2048;
    static final int LOW_WATERMARK = 512;
    static final int MAX_BATCH = 1024;
    private static final long CLOSE_TIMEOUT_MS = 10_000;
    private static final long ROOM_WAIT_NANOS = TimeUnit.MICROSECONDS.toNanos(50);
    private static final Logger LOG = LoggerFactory.getLogger(LogWriter.class);

    private final ChronicleMessageLog log;
    private final GroupCommit commit;
    private final MpscArrayQueue<LogAppend> queue;
    private final MpscUnboundedXaddArrayQueue<Pacer> paced = new MpscUnboundedXaddArrayQueue<>(16);
    private final int highWatermark;
    private final int lowWatermark;
    private final LogAppend[] batch = new LogAppend[MAX_BATCH];
    private final long[] offsets = new long[MAX_BATCH];
    private final RuntimeException[] refusals = new RuntimeException[MAX_BATCH];
    private final MessagePassingQueue.Consumer<LogAppend> toBatch = this::addToBatch;
    private final WriterIdle idle;
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong records = new AtomicLong();
    private final AtomicLong roomWaits = new AtomicLong();
    private final AtomicLong pauses = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final Thread thread;
    private int batched;
    private volatile boolean accepting = true;
    /** The writer thread has ended: whoever offers after that refuses what it finds (under this lock). */
    private boolean finished;

    LogWriter(ChronicleMessageLog log, GroupCommit commit) {
        this(log, commit, CAPACITY, HIGH_WATERMARK, LOW_WATERMARK);
    }

    /** Tests: a small queue. */
    LogWriter(ChronicleMessageLog log, GroupCommit commit, int capacity, int highWatermark, int lowWatermark) {
        this.log = log;
        this.commit = commit;
        this.queue = new MpscArrayQueue<>(capacity);
        this.highWatermark = highWatermark;
        this.lowWatermark = lowWatermark;
        this.idle = new WriterIdle(() -> !queue.isEmpty() || !accepting);
        this.thread = new Thread(this::run, "gomq-log-writer");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /**
     * Queues {@code append}; paces {@code pacer} (may be null) when the queue is above its high
     * watermark. Returns at once unless the queue is full and the caller has no pacer that
     * stopped it in time: it then waits for room.
     *
     * @throws LogException when the log is closing (nothing queued)
     */
    void offer(LogAppend append, Pacer pacer) {
        if (!accepting) {
            throw closed();
        }
        if (!queue.offer(append)) {
            waitForRoom(append);
        }
        if (pacer != null && queue.size() >= highWatermark && pacer.pause()) {
            pauses.incrementAndGet();
            paced.offer(pacer);
        }
        idle.wake();
        if (!accepting) {
            refuseLeftovers(); // closed meanwhile: the writer may have ended before this offer
        }
    }

    private void waitForRoom(LogAppend append) {
        if (Thread.currentThread() == thread) {
            throw new IllegalStateException("the log writer cannot wait for its own queue");
        }
        roomWaits.incrementAndGet();
        while (!queue.offer(append)) {
            if (!accepting) {
                throw closed();
            }
            idle.wake();
            LockSupport.parkNanos(ROOM_WAIT_NANOS);
        }
    }

    private void run() {
        try {
            while (accepting || !queue.isEmpty()) {
                idle.idle(doWork());
            }
        } catch (Throwable t) {
            LOG.error("the log writer stopped", t);
        } finally {
            refuseLeftovers();
        }
    }

    /** One batch: what the queue holds (up to {@link #MAX_BATCH}), written, forced once, then acknowledged in order. */
    int doWork() {
        batched = 0;
        int n = queue.drain(toBatch, MAX_BATCH);
        if (n > 0) {
            long last = write(n);
            RuntimeException forceFailure = null;
            if (last >= 0) {
                try {
                    // FSYNC: one force for the whole batch; then the replication streams start on
                    // this batch while its completions run
                    commit.awaitDurable(last);
                } catch (RuntimeException e) {
                    forceFailure = e;
                }
            }
            batches.incrementAndGet(); // before the completions: whoever sees one done sees its batch counted
            records.addAndGet(n);
            complete(n, forceFailure);
        }
        if (!paced.isEmpty() && queue.size() <= lowWatermark) {
            Pacer.resumeRegistered(paced);
        }
        return n;
    }

    private void addToBatch(LogAppend a) {
        batch[batched++] = a;
    }

    /** Under the write lock: the batch's records; returns the last offset written, -1 if none. */
    private long write(int n) {
        long last = -1;
        ReentrantLock lock = log.writeLock();
        lock.lock();
        try {
            for (int i = 0; i < n; i++) {
                try {
                    offsets[i] = log.writeForWriter(batch[i].message());
                    last = offsets[i];
                } catch (RuntimeException e) {
                    refusals[i] = e; // disk full, replica, closed: this one is not stored, the next may be
                }
            }
        } finally {
            if (last >= 0) {
                commit.acknowledgeWritten();
            }
            lock.unlock();
        }
        return last;
    }

    private void complete(int n, RuntimeException forceFailure) {
        for (int i = 0; i < n; i++) {
            LogAppend a = batch[i];
            RuntimeException why = refusals[i] != null ? refusals[i] : forceFailure;
            batch[i] = null;
            refusals[i] = null;
            try {
                if (why != null) {
                    a.refused(why);
                } else {
                    a.stored(offsets[i]);
                }
            } catch (RuntimeException e) {
                errors.incrementAndGet(); // one caller's failure must not stop the others' acknowledgements
                LOG.error("acting on stored record {} failed", offsets[i], e);
            }
        }
    }

    /** Once the writer has ended: refuses whatever is still queued. Any thread. */
    private synchronized void refuseLeftovers() {
        if (Thread.currentThread() == thread) {
            finished = true;
        }
        if (!finished) {
            return; // the writer still runs: it takes what is queued
        }
        LogAppend a;
        while ((a = queue.poll()) != null) {
            a.refused(closed());
        }
        Pacer.resumeRegistered(paced);
    }

    private LogException closed() {
        return new LogException("the log is closed");
    }

    /** Stops taking records, lets the writer finish the queued ones (up to a timeout) and ends it. */
    @Override
    public void close() {
        accepting = false;
        idle.wake();
        if (Thread.currentThread() == thread || !thread.isAlive()) {
            return;
        }
        try {
            thread.join(CLOSE_TIMEOUT_MS);
            if (thread.isAlive()) {
                LOG.warn("the log writer did not finish within {} ms; {} records still queued", CLOSE_TIMEOUT_MS, queue.size());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Batches written so far. */
    long batches() { return batches.get(); }
    /** Records taken so far (stored or refused). */
    long records() { return records.get(); }
    /** Offers that found the queue full and waited. */
    long roomWaits() { return roomWaits.get(); }
    /** Publishers paced at the high watermark. */
    long pauses() { return pauses.get(); }
    /** Failures of {@link LogAppend#onStored} (logged). */
    long errors() { return errors.get(); }
    int queued() { return queue.size(); }
}
