package io.gomq.bench;

import io.gomq.client.Consumer;
import io.gomq.client.Qos;
import io.gomq.core.config.BrokerConfig;
import io.gomq.core.engine.BrokerEngine;
import io.gomq.embedded.internal.EmbeddedBroker;
import io.gomq.embedded.internal.EmbeddedProducer;

import java.util.List;

/**
 * The embedded side of the broker benchmarks: a broker with one dispatcher thread, one consumer
 * whose handler counts what it receives on {@code topic} (QoS 0), and one producer. It uses the
 * in-process implementation directly (the broker's internals, not the public API): benchmarks
 * publish pre-built engine messages ({@link EmbeddedProducer#publishCore}).
 */
public final class CountingBroker implements AutoCloseable {
    public final DeliveryCounter counter = new DeliveryCounter();
    public final EmbeddedBroker broker;
    public final Consumer consumer;
    public final EmbeddedProducer producer;

    public CountingBroker(BrokerConfig config, String topic) {
        broker = EmbeddedBroker.start(config.dispatcherThreads(1), BrokerEngine::open);
        consumer = broker.consumer();
        consumer.subscribe(List.of(topic), Qos.AT_MOST_ONCE, d -> counter.increment());
        producer = broker.producer();
    }

    @Override
    public void close() {
        producer.close();
        consumer.close();
        broker.close();
    }
}
