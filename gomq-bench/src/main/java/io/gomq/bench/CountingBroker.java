package io.gomq.bench;

import io.gomq.core.config.BrokerConfig;
import io.gomq.core.message.Qos;
import io.gomq.embedded.Consumer;
import io.gomq.embedded.GoMqBroker;
import io.gomq.embedded.Producer;

import java.util.List;

/**
 * The embedded side of the broker benchmarks: a broker with one dispatcher thread, one consumer
 * whose handler counts what it receives on {@code topic} (QoS 0), and one producer.
 */
public final class CountingBroker implements AutoCloseable {
    public final DeliveryCounter counter = new DeliveryCounter();
    public final GoMqBroker broker;
    public final Consumer consumer;
    public final Producer producer;

    public CountingBroker(BrokerConfig config, String topic) {
        broker = GoMqBroker.start(config.dispatcherThreads(1));
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
