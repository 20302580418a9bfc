package io.gomq.core.queue;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Slows one publisher while a subscriber queue it feeds is above its high watermark
 * (ARCHITECTURE decision 4). The transport's pacer turns socket reads off and on; the
 * embedded producer's completes a publish future. Pausing is idempotent: a pacer that is
 * already paused is not registered again.
 *
 * <p>Pacing is brief by contract: an implementation resumes itself after the configured stuck
 * time at the latest, even if no queue resumes it (a stuck subscriber never holds a publisher).
 */
public abstract class Pacer {
    private final AtomicBoolean paused = new AtomicBoolean();

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

    /** Runs on the publishing thread. */
    protected abstract void onPause();

    /** Runs on the subscriber's thread: hand work to the publisher's own thread if needed. */
    protected abstract void onResume();
}
