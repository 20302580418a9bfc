package io.gomq.launcher.transport;

import io.gomq.core.time.BrokerClock;
import io.netty.channel.EventLoop;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Closes connections that stay silent longer than their keep-alive allows (1.5 x the
 * keep-alive, MQTT 3.1.2.10), measured on the broker's {@link BrokerClock}. One sweep per event
 * loop runs every {@link #SWEEP_MILLIS} over that loop's connections, and at once when the clock
 * jumps (a test's manual clock): no timer per connection, and a test advances the clock instead
 * of sleeping through a timeout. A connection is closed at most one sweep late.
 *
 * <p>Thread rules: {@link #watch} and {@link #unwatch} on the connection's event loop; each
 * loop's connections are touched only on that loop.
 */
final class KeepAliveSweep {
    static final long SWEEP_MILLIS = 250;

    private final BrokerClock clock;
    private final ConcurrentHashMap<EventLoop, LoopSweep> loops = new ConcurrentHashMap<>();

    KeepAliveSweep(BrokerClock clock) {
        this.clock = clock;
        clock.onAdvance(this::sweepNow);
    }

    BrokerClock clock() {
        return clock;
    }

    /** Starts watching {@code c}, whose channel is on {@code loop}. */
    void watch(EventLoop loop, MqttConnection c) {
        loops.computeIfAbsent(loop, LoopSweep::new).connections.add(c);
    }

    void unwatch(EventLoop loop, MqttConnection c) {
        LoopSweep s = loops.get(loop);
        if (s != null) {
            s.connections.remove(c);
        }
    }

    private void sweepNow() {
        for (LoopSweep s : loops.values()) {
            if (!s.loop.isShuttingDown()) {
                s.loop.execute(s::sweep);
            }
        }
    }

    private final class LoopSweep {
        final EventLoop loop;
        final Set<MqttConnection> connections = new LinkedHashSet<>();
        private final List<MqttConnection> silent = new ArrayList<>();

        LoopSweep(EventLoop loop) {
            this.loop = loop;
            loop.scheduleAtFixedRate(this::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
        }

        void sweep() {
            long now = clock.nanos();
            for (MqttConnection c : connections) {
                if (c.silentTooLong(now)) {
                    silent.add(c);
                }
            }
            for (MqttConnection c : silent) { // closing may unwatch: not while iterating
                c.closeSilent(now);
            }
            silent.clear();
        }
    }
}
