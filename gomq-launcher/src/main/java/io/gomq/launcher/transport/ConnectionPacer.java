package io.gomq.launcher.transport;

import io.gomq.core.queue.Pacer;
import io.netty.channel.EventLoop;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Paces one publishing connection (ARCHITECTURE decision 4): a congested subscriber queue
 * pauses it, and the connection stops reading its socket so TCP slows the publisher.
 *
 * <p>{@link #onPause()} runs on the publisher's own event loop (the engine routes on the
 * publishing thread); {@link #onResume()} on any thread, so it hands over to that loop. A
 * pause never outlasts the stuck-subscriber time: a fallback resumes it, so a stuck
 * subscriber never holds a publisher for longer.
 */
final class ConnectionPacer extends Pacer {
    private final EventLoop loop;
    private final Runnable readStateChanged;
    private final long stuckMs;
    /** Which pause a fallback belongs to; event loop only. */
    private long generation;

    ConnectionPacer(EventLoop loop, long stuckMs, Runnable readStateChanged) {
        this.loop = loop;
        this.stuckMs = stuckMs;
        this.readStateChanged = readStateChanged;
    }

    @Override
    protected void onPause() {
        long pause = ++generation;
        readStateChanged.run();
        loop.schedule(() -> {
            if (generation == pause) {
                resume();
            }
        }, stuckMs, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void onResume() {
        if (loop.inEventLoop()) {
            readStateChanged.run();
        } else {
            try {
                loop.execute(readStateChanged);
            } catch (RejectedExecutionException e) {
                // shutting down: the connection is closing anyway
            }
        }
    }
}
