package io.gomq.launcher.transport;

import io.gomq.core.codec.MqttPacket;
import io.gomq.core.log.DiskSpace;
import io.netty.channel.EventLoop;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * The packets of one connection that wait for disk space: the packet the log refused
 * ({@link io.gomq.core.log.DiskFullException}; nothing of it was stored, so it is not
 * acknowledged) and, in order, every packet read after it. While it holds any, the connection
 * does not read its socket, so TCP paces the publisher. Every {@link #RETRY_MS} it looks at the
 * free space (a volatile read; the log's maintenance thread measures it) and, once the disk is
 * back above its reserve, runs the held packets again; still refused after
 * {@code disk-full-timeout-ms}, the connection closes (the client re-sends its unacknowledged
 * publishes when it reconnects). The retries and the timeout run on the broker's clock
 * ({@link ClockTimers}): a test advances it instead of waiting.
 *
 * <p>Thread rules: the channel's event loop only.
 */
final class DiskWait {
    static final long RETRY_MS = 100;
    /** Packets decoded from bytes already read when reads stopped; more means a misbehaving client. */
    static final int MAX_HELD = 1024;

    /** The connection's side. */
    interface Owner {
        /** Runs one packet as if just read; false when the log refused it again (it is held again). */
        boolean handle(MqttPacket packet);

        /** Whether the connection still runs. */
        boolean isOpen();

        /** Reads go off or on: see {@link #holding()}. */
        void readsChanged();

        /** Gives up: closes the connection for lack of disk space, {@code held} packets unanswered. */
        void closeForDiskSpace(long waitedMs, int held);
    }

    private final ArrayDeque<MqttPacket> held = new ArrayDeque<>(1); // empty but on a full disk
    private final EventLoop loop;
    private final ClockTimers timers;
    private final DiskSpace space;
    private final long timeoutMs;
    private final Owner owner;
    private boolean waiting;
    private long sinceNanos;
    private ClockTimers.Timer retry;

    /** @param space null for a broker without a log (nothing is ever refused) */
    DiskWait(EventLoop loop, ClockTimers timers, DiskSpace space, long timeoutMs, Owner owner) {
        this.loop = loop;
        this.timers = timers;
        this.space = space;
        this.timeoutMs = timeoutMs;
        this.owner = owner;
    }

    /** Whether packets wait: the connection must not read its socket. */
    boolean holding() {
        return !held.isEmpty();
    }

    /** A packet read while others wait: after them. False when too many wait (the caller closes). */
    boolean hold(MqttPacket packet) {
        if (held.size() >= MAX_HELD) {
            return false;
        }
        held.addLast(packet);
        return true;
    }

    /** The log refused {@code packet}: it waits first, before anything read after it. Returns true if this started a wait. */
    boolean refused(MqttPacket packet) {
        held.addFirst(packet);
        if (waiting) {
            return false;
        }
        waiting = true;
        sinceNanos = timers.clock().nanos();
        owner.readsChanged();
        retry = timers.schedule(loop, RETRY_MS, TimeUnit.MILLISECONDS, this::retry);
        return true;
    }

    /** The connection closed: nothing runs any more. */
    void clear() {
        held.clear();
        if (retry != null) {
            retry.cancel();
        }
    }

    private void retry() {
        if (!owner.isOpen() || held.isEmpty()) {
            return;
        }
        if (space == null || !space.isLow()) {
            while (!held.isEmpty()) {
                if (!owner.handle(held.pollFirst())) {
                    break; // refused again: back at the head, still waiting
                }
            }
            if (held.isEmpty()) {
                waiting = false;
                owner.readsChanged();
                return;
            }
        }
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(timers.clock().nanos() - sinceNanos);
        if (waitedMs >= timeoutMs) {
            int n = held.size();
            clear();
            owner.closeForDiskSpace(waitedMs, n);
            return;
        }
        retry = timers.schedule(loop, RETRY_MS, TimeUnit.MILLISECONDS, this::retry);
    }
}
