package io.gomq.launcher.transport;

import io.gomq.core.engine.BrokerEngine;
import io.gomq.launcher.auth.Authenticator;
import io.gomq.launcher.limits.AddressLimits;
import io.gomq.launcher.limits.ClientLimits;

import java.security.SecureRandom;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * What every connection of one server shares. Thread-safe. {@code acceptingClients}: false on a
 * cluster node that is not the leader (CONNECT gets CONNACK 3); {@code authorization}: the topic
 * rules; {@code connectLimiter}: the per-address limits; {@code publishRate}: PUBLISH packets per
 * second per connection, 0 = no limit; {@code keepAlive}: closes connections silent past their
 * keep-alive, on the engine's clock; {@code timers}: the connections' one-shot timers, on that clock.
 */
record TransportContext(BrokerEngine engine, Authenticator authenticator, Executor authExecutor,
                        TransportMetrics metrics, TransportOptions options, int maxPacketBytes, ClientIds clientIds,
                        BooleanSupplier acceptingClients, Authorization authorization, ConnectLimiter connectLimiter,
                        int publishRate, KeepAliveSweep keepAlive, ClockTimers timers) {

    /** Without topic rules, with the default client limits. */
    TransportContext(BrokerEngine engine, Authenticator authenticator, Executor authExecutor, TransportMetrics metrics,
                     TransportOptions options, int maxPacketBytes, ClientIds clientIds, BooleanSupplier acceptingClients) {
        this(engine, authenticator, authExecutor, metrics, options, maxPacketBytes, clientIds, acceptingClients,
                new ClientLimits(), new ClockTimers(engine.config().clock()));
    }

    private TransportContext(BrokerEngine engine, Authenticator authenticator, Executor authExecutor,
                             TransportMetrics metrics, TransportOptions options, int maxPacketBytes, ClientIds clientIds,
                             BooleanSupplier acceptingClients, ClientLimits limits, ClockTimers timers) {
        this(engine, authenticator, authExecutor, metrics, options, maxPacketBytes, clientIds, acceptingClients,
                Authorization.NONE, new ConnectLimiter(new AddressLimits(limits, timers.clock()::nanos), metrics,
                        options.connectTimeoutMs(), timers), ClientLimits.PUBLISH_RATE,
                new KeepAliveSweep(timers.clock()), timers);
    }

    /** Client ids for CONNECTs with an empty one and clean session 1 (MQTT-3.1.3-6). */
    static final class ClientIds {
        private final String prefix = "gomq-" + Long.toHexString(new SecureRandom().nextLong() & 0xFFFFFFFFL) + "-";
        private final AtomicLong next = new AtomicLong();

        String next() {
            return prefix + next.incrementAndGet();
        }
    }
}
