package io.gomq.launcher.transport;

import io.gomq.core.engine.BrokerEngine;
import io.gomq.launcher.auth.Authenticator;

import java.security.SecureRandom;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * What every connection of one server shares. Thread-safe. {@code acceptingClients}: false on a
 * cluster node that is not the leader (CONNECT gets CONNACK 3); {@code authorization}: the topic rules.
 */
record TransportContext(BrokerEngine engine, Authenticator authenticator, Executor authExecutor,
                        TransportMetrics metrics, TransportOptions options, int maxPacketBytes, ClientIds clientIds,
                        BooleanSupplier acceptingClients, Authorization authorization) {

    /** Without topic rules. */
    TransportContext(BrokerEngine engine, Authenticator authenticator, Executor authExecutor, TransportMetrics metrics,
                     TransportOptions options, int maxPacketBytes, ClientIds clientIds, BooleanSupplier acceptingClients) {
        this(engine, authenticator, authExecutor, metrics, options, maxPacketBytes, clientIds, acceptingClients,
                Authorization.NONE);
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
