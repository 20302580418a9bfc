package io.gomq.launcher.transport;

import io.gomq.core.queue.Pacer;
import io.netty.channel.EventLoop;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Paces one publishing connection: a congested subscriber queue pauses it, the connection stops
 * reading its socket so TCP slows the publisher, and what it had read already waits: the bytes
 * not yet decoded stay in {@link MqttFrameDecoder} ({@link #holdsReads()}), the copies a full
 * queue refused in this pacer ({@link Pacer#hold}, at most {@link #HELD_COPIES}).
 *
 * <p>{@link #onPause()} runs on the publisher's own event loop (the engine routes on the
 * publishing thread) or on the log's writer thread (it delivers persisted messages to persistent
 * sessions), which hands over to the loop; {@link #onResume()} on any thread, so it hands over to that loop, always
 * as a task: the held packets are decoded there and must never run inside another handler's
 * call. A pause never outlasts the stuck-subscriber time: a fallback resumes it, so a stuck
 * subscriber never holds a publisher for longer.
 */
final class ConnectionPacer extends Pacer {
    /** Copies of the one message being routed when paced: one per congested target queue. */
    static final int HELD_COPIES = 1024;

    private final EventLoop loop;
    private final Runnable readStateChanged;
    private final Runnable resumeTask = this::resumeOnLoop;
    private final Runnable pauseTask = this::pauseOnLoop;
    private final Runnable resumed;
    private final long stuckMs;
    /** Which pause a fallback belongs to; event loop only. */
    private long generation;
    /** From a pause until its resume has run on the loop: decode nothing more; event loop only. */
    private boolean holding;

    /**
     * @param readStateChanged turns socket reads on or off as {@link #holdsReads()} says
     * @param resumed          on the loop once resumed: offers the held copies, decodes the held bytes, reads on
     */
    ConnectionPacer(EventLoop loop, long stuckMs, Runnable readStateChanged, Runnable resumed) {
        super(HELD_COPIES);
        this.loop = loop;
        this.stuckMs = stuckMs;
        this.readStateChanged = readStateChanged;
        this.resumed = resumed;
    }

    /** Whether the connection must hold its input (paused, or resumed but not yet on the loop). Event loop. */
    boolean holdsReads() {
        return holding;
    }

    @Override
    protected void onPause() {
        if (!loop.inEventLoop()) {
            // the log's writer paces a publisher whose persisted message met a congested queue
            try {
                loop.execute(pauseTask);
            } catch (RejectedExecutionException e) {
                // shutting down: the connection is closing anyway
            }
            return;
        }
        pauseOnLoop();
    }

    private void pauseOnLoop() {
        if (!isPaused()) {
            return; // resumed before this ran on the loop: nothing to hold
        }
        holding = true;
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
        try {
            loop.execute(resumeTask);
        } catch (RejectedExecutionException e) {
            // shutting down: the connection is closing anyway
        }
    }

    private void resumeOnLoop() {
        if (isPaused() || !holding) {
            return; // paused again before this ran (its own resume comes), or resumed already
        }
        holding = false;
        resumed.run();
    }
}
