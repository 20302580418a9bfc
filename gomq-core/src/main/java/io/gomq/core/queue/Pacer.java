package io.gomq.core.queue;

import io.gomq.core.message.Message;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Slows one publisher while a subscriber queue it feeds is above its high watermark. The
 * transport's pacer turns socket reads off and on; the embedded producer's completes a publish
 * future. Pausing is idempotent: a pacer that is already paused is not registered again.
 *
 * <p>A pacer made with a hold limit also keeps the copies that a congested queue of a moving
 * subscriber refused while the publisher was being paced ({@link #hold}); its publisher offers
 * them again ({@code BrokerEngine.releaseHeld}) before it reads anything more. Design note: a
 * publisher reads ahead (a socket read holds many packets), and with many publishers into one
 * queue their overshoot past the high watermark has no bound but their number; holding the
 * overshoot at the publisher, which reads nothing more until it resumes, keeps the queue within
 * its capacity without dropping anything.
 *
 * <p>Pacing is brief by contract: an implementation resumes itself after the configured stuck
 * time at the latest, even if no queue resumes it (a stuck subscriber never holds a publisher).
 */
public abstract class Pacer {
    private final AtomicBoolean paused = new AtomicBoolean();
    private final HeldCopies held;

    /** A pacer that holds nothing: refused copies are dropped (counted). */
    protected Pacer() {
        this(0);
    }

    /** @param holdLimit the most refused copies this publisher may hold (0: none) */
    protected Pacer(int holdLimit) {
        this.held = holdLimit > 0 ? new HeldCopies(holdLimit) : null;
    }

    /** Returns true if this call paused the publisher (the caller must then register the pacer). */
    public final boolean pause() {
        if (paused.compareAndSet(false, true)) {
            onPause();
            return true;
        }
        return false;
    }

    /** Called by the congested queue's consumer once it drained below the low watermark. */
    public final void resume() {
        if (paused.compareAndSet(true, false)) {
            onResume();
        }
    }

    public final boolean isPaused() {
        return paused.get();
    }

    /**
     * Keeps {@code copy}, refused by {@code queue}, to be offered again. Publisher's thread.
     * Returns false when this pacer holds nothing or is at its limit (the caller drops it).
     */
    public final boolean hold(SubscriberQueue queue, Message copy) {
        return held != null && held.add(queue, copy);
    }

    /** What this pacer holds (null if it holds nothing). Publisher's thread. */
    public final HeldCopies held() {
        return held;
    }

    /**
     * Resumes the pacers registered in {@code paced} so far. Only those: a resumed publisher may
     * register again at once, and resuming it again in the same pass would let it overrun what
     * paced it. Safe with {@code paced}'s own consumer rule (one thread for an MPSC queue).
     */
    public static void resumeRegistered(java.util.Queue<Pacer> paced) {
        for (int n = paced.size(); n > 0; n--) {
            Pacer p = paced.poll();
            if (p == null) {
                return;
            }
            p.resume();
        }
    }

    /** Runs on the publishing thread. */
    protected abstract void onPause();

    /** Runs on the subscriber's thread: hand work to the publisher's own thread if needed. */
    protected abstract void onResume();
}
