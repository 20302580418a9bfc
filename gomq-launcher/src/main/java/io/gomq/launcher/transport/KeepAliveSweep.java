package io.gomq.launcher.transport;

import io.gomq.core.time.BrokerClock;
import io.netty.channel.EventLoop;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Closes connections that stay silent longer than their keep-alive allows (1.5 x the
 * keep-alive, MQTT 3.1.2.10), measured on the broker's {@link BrokerClock}. One sweep per event
 * loop runs every {@link #SWEEP_MILLIS}, and at once when the clock jumps (a test's manual
 * clock): no timer per connection, and a test advances the clock instead of sleeping through a
 * timeout. A connection is closed at most one sweep late.
 *
 * <p>It also keeps the connect timeout: from the accept until its session is attached a connection
 * waits in the wheel under the moment its connect timeout ends. A Netty timer per connection cost
 * a scheduled task, then its removal from the loop's task heap, and a set entry per connect: a
 * few percent of the broker's CPU at thousands of connects per second; a wheel node is linked
 * and unlinked.
 *
 * <p>A sweep looks only at the connections that may be due: each waits in a timing wheel (slots
 * of one sweep period) under the moment its silence would reach the limit, and is filed again
 * under the new moment when it was heard from meanwhile. So each idle connection is looked at
 * about once per keep-alive limit rather than at every sweep, and watching or unwatching one
 * links or unlinks a node, nothing more.
 *
 * <p>Thread rules: {@link #watch} and {@link Watch#cancel()} on the connection's event loop; each
 * loop's connections are touched only on that loop.
 */
final class KeepAliveSweep {
    static final long SWEEP_MILLIS = 250;
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(SWEEP_MILLIS);
    /** Slots of the wheel (a power of two): 128 s; a later moment waits in its slot for a turn or more. */
    private static final int SLOTS = 512;

    private final BrokerClock clock;
    private final ConcurrentHashMap<EventLoop, LoopSweep> loops = new ConcurrentHashMap<>();

    KeepAliveSweep(BrokerClock clock) {
        this.clock = clock;
        clock.onAdvance(this::sweepNow);
    }

    BrokerClock clock() {
        return clock;
    }

    /** Starts watching {@code c}, whose channel is on {@code loop}; cancel the watch when it closes. */
    Watch watch(EventLoop loop, MqttConnection c) {
        LoopSweep s = loops.computeIfAbsent(loop, LoopSweep::new);
        Watch w = new Watch(s, c);
        s.file(w, c.keepAliveDeadline(), clock.nanos());
        return w;
    }

    private void sweepNow() {
        for (LoopSweep s : loops.values()) {
            if (!s.loop.isShuttingDown()) {
                s.loop.execute(s::sweep);
            }
        }
    }

    /** One watched connection: a node of its slot's list. */
    static final class Watch {
        private final LoopSweep sweep;
        private final MqttConnection connection;
        private Watch prev;
        private Watch next;
        /** The slot whose list holds it, or -1 (being swept, or cancelled). */
        private int slot = -1;

        private Watch(LoopSweep sweep, MqttConnection connection) {
            this.sweep = sweep;
            this.connection = connection;
        }

        /** Stops watching (the connection closed). On its event loop. */
        void cancel() {
            sweep.unlink(this);
        }
    }

    private final class LoopSweep {
        final EventLoop loop;
        private final Watch[] slots = new Watch[SLOTS];
        /** The last tick swept: every moment up to its end has been looked at. */
        private long sweptTick;
        private final List<Watch> silent = new ArrayList<>();

        LoopSweep(EventLoop loop) {
            this.loop = loop;
            this.sweptTick = Math.floorDiv(clock.nanos(), TICK_NANOS);
            loop.scheduleAtFixedRate(this::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
        }

        /**
         * Files {@code w} under the tick that holds {@code dueNanos} (at the earliest the next): a sweep
         * within that tick but before the moment files it again, under the next tick. A moment already
         * past (its reads are paused, and its silence restarts when they resume) waits a keep-alive limit.
         */
        void file(Watch w, long dueNanos, long now) {
            long due = dueNanos - now > 0 ? dueNanos : now + w.connection.keepAliveNanos();
            long tick = Math.max(Math.floorDiv(due, TICK_NANOS), sweptTick + 1);
            int slot = (int) (tick & (SLOTS - 1));
            w.slot = slot;
            w.prev = null;
            w.next = slots[slot];
            if (w.next != null) {
                w.next.prev = w;
            }
            slots[slot] = w;
        }

        void unlink(Watch w) {
            if (w.slot < 0) {
                return;
            }
            if (w.prev != null) {
                w.prev.next = w.next;
            } else {
                slots[w.slot] = w.next;
            }
            if (w.next != null) {
                w.next.prev = w.prev;
            }
            w.prev = null;
            w.next = null;
            w.slot = -1;
        }

        void sweep() {
            long now = clock.nanos();
            long nowTick = Math.floorDiv(now, TICK_NANOS);
            if (nowTick <= sweptTick) {
                return; // this tick was swept already
            }
            // a clock jump of more than a turn: every slot once is enough
            long from = Math.max(sweptTick + 1, nowTick - SLOTS + 1);
            sweptTick = nowTick; // from here on, filing goes to later ticks
            for (long t = from; t <= nowTick; t++) {
                int slot = (int) (t & (SLOTS - 1));
                Watch w = slots[slot];
                slots[slot] = null;
                while (w != null) {
                    Watch next = w.next;
                    w.prev = null;
                    w.next = null;
                    w.slot = -1;
                    if (w.connection.silentTooLong(now)) {
                        silent.add(w);
                    } else {
                        file(w, w.connection.keepAliveDeadline(), now);
                    }
                    w = next;
                }
            }
            for (Watch w : silent) { // closing cancels the watch: not while walking a slot
                w.connection.closeSilent(now);
            }
            silent.clear();
        }
    }
}
