package io.gomq.junit;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicLong;

/** The clients injected in one test (or class), closed newest first when it ends. */
final class OpenedClients {
    private static final AtomicLong IDS = new AtomicLong();

    private final Deque<Opened> opened = new ArrayDeque<>();

    private record Opened(GoMqClientFactory factory, Object client) {
    }

    synchronized Object open(GoMqClientFactory factory, Class<?> type, GoMqTestBroker broker) {
        String clientId = "gomq-junit-" + IDS.incrementAndGet();
        Object client;
        try {
            client = factory.open(type, broker, clientId);
        } catch (Exception e) {
            throw new IllegalStateException("cannot connect a " + type.getSimpleName() + " to " + broker + ": " + e, e);
        }
        opened.push(new Opened(factory, client));
        return client;
    }

    /** Closes every client, even when one fails; the first failure is thrown, the rest suppressed. */
    synchronized void close() {
        RuntimeException failure = null;
        Opened o;
        while ((o = opened.poll()) != null) {
            try {
                o.factory().close(o.client());
            } catch (Exception e) {
                RuntimeException r = new IllegalStateException("cannot close " + o.client() + ": " + e, e);
                if (failure == null) {
                    failure = r;
                } else {
                    failure.addSuppressed(r);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
