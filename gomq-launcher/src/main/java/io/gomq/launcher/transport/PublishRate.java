package io.gomq.launcher.transport;

import io.netty.channel.EventLoop;


/**
 * The optional publish rate of one connection (publish-rate, PUBLISH packets per second): a token
 * bucket holding one second's worth. A publisher that runs out is paced, not refused: the
 * connection stops reading and decoding until the bucket has a token again, so TCP slows the
 * client down and nothing it sent is lost. Time is the broker's clock ({@link ClockTimers}). Event
 * loop only.
 */
final class PublishRate {
    private final double perSecond;
    private final EventLoop loop;
    private final ClockTimers timers;
    private final Runnable resumed;
    private double tokens;
    private long refilledAt;
    private boolean holding;

    /** @param resumed on the loop when the pause ends: decode what was held, read on */
    PublishRate(int perSecond, EventLoop loop, ClockTimers timers, Runnable resumed) {
        this.perSecond = perSecond;
        this.tokens = perSecond;
        this.loop = loop;
        this.timers = timers;
        this.resumed = resumed;
        this.refilledAt = timers.clock().nanos();
    }

    /** Whether reads and decoding wait for the bucket. */
    boolean holding() {
        return holding;
    }

    /** One PUBLISH was handled; returns true when that emptied the bucket and the connection now pauses. */
    boolean onPublish() {
        if (perSecond <= 0) {
            return false;
        }
        long now = timers.clock().nanos();
        tokens = Math.min(perSecond, tokens + (now - refilledAt) * perSecond / 1e9) - 1;
        refilledAt = now;
        if (tokens >= 0 || holding) {
            return false;
        }
        holding = true;
        long waitNanos = (long) (-tokens / perSecond * 1e9);
        timers.schedule(loop, Math.max(1, waitNanos), () -> {
            holding = false;
            resumed.run();
        });
        return true;
    }
}
