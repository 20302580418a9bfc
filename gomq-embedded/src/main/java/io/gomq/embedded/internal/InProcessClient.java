package io.gomq.embedded.internal;

import io.gomq.client.Consumer;
import io.gomq.client.ConsumerOptions;
import io.gomq.client.GoMqClient;
import io.gomq.client.Producer;
import io.gomq.client.Replay;
import io.gomq.client.ReplayFrom;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** {@link GoMqClient} of an in-process broker: closing it closes what it made, not the broker. */
final class InProcessClient implements GoMqClient {
    private final EmbeddedBroker broker;
    private final Set<AutoCloseable> made = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    InProcessClient(EmbeddedBroker broker) {
        this.broker = broker;
    }

    @Override
    public Producer producer() {
        return track(broker.producer());
    }

    @Override
    public Consumer consumer(ConsumerOptions options) {
        made.removeIf(c -> c instanceof Consumer consumer && consumer.isClosed()); // bounded by the consumers open
        return track(broker.consumer(options));
    }

    @Override
    public Replay replay(String filter, ReplayFrom from) {
        return track(broker.replay(filter, from));
    }

    private <T extends AutoCloseable> T track(T part) {
        made.add(part);
        if (closed) {
            made.remove(part);
            closeQuietly(part);
            throw new io.gomq.client.ClosedException("client is closed");
        }
        return part;
    }

    @Override
    public void close() {
        closed = true;
        List<AutoCloseable> parts = new ArrayList<>(made);
        made.clear();
        for (AutoCloseable part : parts) {
            closeQuietly(part);
        }
    }

    private static void closeQuietly(AutoCloseable part) {
        try {
            part.close();
        } catch (Exception e) {
            org.slf4j.LoggerFactory.getLogger(InProcessClient.class).warn("closing {} failed", part, e);
        }
    }
}
