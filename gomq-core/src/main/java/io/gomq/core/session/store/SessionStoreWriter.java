package io.gomq.core.session.store;

import io.gomq.core.concurrent.WriterIdle;
import io.gomq.core.log.LogException;
import io.gomq.core.queue.Pacer;
import org.jctools.queues.MpscUnboundedXaddArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * The session store's single writer ("gomq-sessions-writer"): sessions hand it their WAL frames
 * through an MPSC queue ({@link #offer}) and never touch the file. It writes what the queue
 * holds in one batch, forces once per batch under FSYNC (group commit), then moves
 * {@link #written()} and completes the waiters of {@link #whenWritten}; between batches it
 * switches to a new snapshot when the WAL has grown past its limit.
 *
 * <p>Tickets: {@link #offer} returns the number of frames queued so far, its own included (the
 * queue's producer index after the offer); a frame is on disk once {@link #written()} reached
 * its ticket, since the writer takes frames in queue order and counts them.
 *
 * <p>Policy: above {@link #HIGH_WATERMARK} queued frames the connection that adds more is paced
 * ({@link #pace}) until the writer is below {@link #LOW_WATERMARK}; an offer itself is never
 * refused and never waits, so an event loop never blocks here. The queue is bounded by that
 * pacing: beyond the high watermark it holds only what paced connections had read already and
 * what in-flight windows allow (a delivery journals a frame only inside its window). A write
 * that fails (no disk space) is tried again, frames in their order, until it succeeds or the
 * store closes: nothing is skipped, and what waits for it waits.
 *
 * <p>Design note: before, every session's thread (an event loop) wrote its own frame under the
 * file's monitor and, under FSYNC, forced the file before its packets left: file I/O, and a
 * monitor held across it, on the network threads. Now only this thread does file I/O.
 *
 * <p>Thread rules: {@link #offer}, {@link #whenWritten}, {@link #pace} from any thread; the
 * rest on the writer thread; {@link #close} from any thread but the writer's.
 */
final class SessionStoreWriter implements AutoCloseable {
    static final int HIGH_WATERMARK = 4096;
    static final int LOW_WATERMARK = 1024;
    static final int MAX_BATCH_BYTES = 256 * 1024;
    private static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long CLOSE_TIMEOUT_MS = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(SessionStoreWriter.class);
    private static final CompletableFuture<Void> WRITTEN = CompletableFuture.completedFuture(null);

    /** Someone waiting until the frames up to {@code ticket} are written (and forced under FSYNC). */
    private record Waiter(long ticket, CompletableFuture<Void> done) {
    }

    private final SessionFiles files;
    private final long walCompactBytes;
    private final Supplier<Collection<SessionState>> states;
    private final MpscUnboundedXaddArrayQueue<byte[]> queue = new MpscUnboundedXaddArrayQueue<>(1024);
    private final MpscUnboundedXaddArrayQueue<Waiter> arriving = new MpscUnboundedXaddArrayQueue<>(64);
    /** Paced connections; polled by the writer and by a producer that finds it caught up (rare: not MPSC). */
    private final ConcurrentLinkedQueue<Pacer> paced = new ConcurrentLinkedQueue<>();
    /** Writer thread only: waiters by ticket. */
    private final PriorityQueue<Waiter> waiting = new PriorityQueue<>((a, b) -> Long.compare(a.ticket, b.ticket));
    private final WalBatch batch;
    private final WriterIdle idle;
    private final Thread thread;
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong pauses = new AtomicLong();
    /** Frames written (under FSYNC: forced) so far, in queue order. */
    private volatile long written;
    private volatile boolean accepting = true;
    private volatile boolean finished;

    /**
     * @param walCompactBytes the WAL's length past which the whole state becomes a new snapshot
     * @param states          every session's state, frozen: the snapshot (read on the writer thread)
     */
    SessionStoreWriter(SessionFiles files, long walCompactBytes, Supplier<Collection<SessionState>> states) {
        this.files = files;
        this.walCompactBytes = walCompactBytes;
        this.states = states;
        // a quarter of the WAL's size at most: a switch to a new snapshot comes between batches
        this.batch = new WalBatch((int) Math.min(MAX_BATCH_BYTES, Math.max(4096, walCompactBytes / 4)));
        this.idle = new WriterIdle(() -> !queue.isEmpty() || !arriving.isEmpty() || !accepting);
        this.thread = new Thread(this::run, "gomq-sessions-writer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * Queues one frame; returns its ticket. Never waits.
     *
     * @throws LogException when the store is closing (nothing queued)
     */
    long offer(byte[] frame) {
        if (!accepting) {
            throw new LogException("session store is closed");
        }
        queue.offer(frame);
        long ticket = queue.currentProducerIndex();
        idle.wake();
        return ticket;
    }

    /** Frames queued so far: the ticket that covers every one of them. */
    long queued() {
        return queue.currentProducerIndex();
    }

    /** Frames written so far (under FSYNC: forced). */
    long written() {
        return written;
    }

    /**
     * Completes (on the writer thread, or at once) when every frame up to {@code ticket} is
     * written, and forced under FSYNC; fails when the store closes before.
     */
    CompletableFuture<Void> whenWritten(long ticket) {
        if (written >= ticket) {
            return WRITTEN; // the common case, on every flush: no allocation
        }
        CompletableFuture<Void> f = new CompletableFuture<>();
        arriving.offer(new Waiter(ticket, f));
        idle.wake();
        if (finished) {
            failWaiters(); // the writer ended before it could see this one
        }
        return f;
    }

    /** Paces {@code pacer}'s connection while the writer is behind by more than the high watermark. */
    void pace(Pacer pacer) {
        if (queue.size() >= HIGH_WATERMARK && pacer.pause()) {
            pauses.incrementAndGet();
            paced.offer(pacer);
            if (queue.size() <= LOW_WATERMARK) {
                Pacer.resumeRegistered(paced); // the writer caught up meanwhile: it may not look again
            }
        }
    }

    private void run() {
        try {
            while (accepting || !queue.isEmpty()) {
                idle.idle(doWork());
            }
            files.close();
        } catch (Throwable t) {
            LOG.error("the session store's writer stopped", t);
        } finally {
            finished = true;
            failWaiters();
            Pacer.resumeRegistered(paced);
        }
    }

    /** One batch: frames taken in order, written, forced once, then waiters completed. */
    private int doWork() {
        int n = batch.fill(queue);
        if (n > 0) {
            writeRetrying();
            written += n;
            batches.incrementAndGet();
        }
        Waiter w;
        while ((w = arriving.poll()) != null) {
            waiting.add(w);
        }
        long done = written;
        while ((w = waiting.peek()) != null && w.ticket <= done) {
            waiting.poll().done.complete(null);
        }
        if (!paced.isEmpty() && queue.size() <= LOW_WATERMARK) {
            Pacer.resumeRegistered(paced);
        }
        if (n > 0 && files.snapshotDue(walCompactBytes)) {
            snapshotOrContinue();
        }
        return n;
    }

    /** Writes the batch and forces it (FSYNC); on failure waits and tries again, unless the store is closing. */
    private void writeRetrying() {
        boolean reported = false;
        while (true) {
            try {
                files.write(batch.bytes(), batch.length());
                files.sync();
                batch.clear();
                if (reported) {
                    LOG.info("the session WAL is written again");
                }
                return;
            } catch (LogException e) {
                if (!reported) {
                    LOG.warn("cannot write the session WAL ({}); trying again every {} ms", e.getCause() == null
                            ? e.getMessage() : e.getCause().toString(), TimeUnit.NANOSECONDS.toMillis(RETRY_NANOS));
                    reported = true;
                }
                if (!accepting) {
                    throw e; // closing: what waits fails
                }
                LockSupport.parkNanos(RETRY_NANOS);
            }
        }
    }

    /** A WAL compaction that fails for lack of space keeps the current WAL (it grows until space returns). */
    private void snapshotOrContinue() {
        try {
            files.snapshot(states.get());
        } catch (LogException e) {
            LOG.warn("session snapshot failed ({}); the session WAL continues", e.getCause() == null ? e : e.getCause());
        }
    }

    private synchronized void failWaiters() {
        Waiter w;
        while ((w = arriving.poll()) != null) {
            waiting.add(w);
        }
        LogException closed = new LogException("session store is closed");
        while ((w = waiting.poll()) != null) {
            if (w.ticket <= written) {
                w.done.complete(null);
            } else {
                w.done.completeExceptionally(closed);
            }
        }
    }

    /** Stops taking frames, lets the writer write the queued ones (up to a timeout), closes the files. */
    @Override
    public void close() {
        accepting = false;
        idle.wake();
        try {
            thread.join(CLOSE_TIMEOUT_MS);
            if (thread.isAlive()) {
                LOG.warn("the session store's writer did not finish within {} ms; {} frames still queued",
                        CLOSE_TIMEOUT_MS, queue.size());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Batches written so far. */
    long batches() { return batches.get(); }
    /** Connections paced at the high watermark so far. */
    long pauses() { return pauses.get(); }
    /** Whether the writer thread is the caller. */
    boolean isWriterThread() { return Thread.currentThread() == thread; }
}
