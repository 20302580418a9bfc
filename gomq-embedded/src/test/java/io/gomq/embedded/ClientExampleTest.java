package io.gomq.embedded;

import io.gomq.client.Consumer;
import io.gomq.client.Delivery;
import io.gomq.client.Message;
import io.gomq.client.MessageStream;
import io.gomq.client.Producer;
import io.gomq.client.Qos;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** GoMQ's Go client example (GOMQ.md), in Java. */
class ClientExampleTest {

    @Test
    @Timeout(20)
    void shouldReceiveWhatTheProducerPublishedLikeGoMqsExample() {
        try (GoMqBroker broker = GoMqBroker.start(EmbeddedConfig.builder().persistent(false).build());
             Consumer consumer = broker.consumer();
             MessageStream stream = consumer.subscribe(List.of("A"), Qos.AT_MOST_ONCE)) {
            Producer producer = broker.producer();
            for (int id = 0; id < 3; id++) {
                // producer.Publish(common.MessageUnit{Topic: "A", QoS: 0, Data: {Id, MsgKey: "key", Body: "hello world"}}, 0, 1)
                producer.publish("A", "key", ("hello world " + id).getBytes(), Qos.AT_MOST_ONCE, false).join();
            }
            List<String> got = new ArrayList<>();
            // for m := range consumer.Subscribe([]string{"A"}, 0) { fmt.Println(m.Topic, m.Data.Body) }
            for (Delivery m : stream) {
                got.add(m.topic() + " " + m.key() + " " + m.payloadAsString());
                if (got.size() == 3) {
                    break;
                }
            }
            assertEquals(List.of("A key hello world 0", "A key hello world 1", "A key hello world 2"), got);
            assertEquals(null, stream.poll(Duration.ofMillis(50)), "nothing more");
        }
    }

    @Test
    @Timeout(20)
    void shouldDefaultKeyToTopic() {
        try (GoMqBroker broker = GoMqBroker.start(EmbeddedConfig.builder().persistent(false).build());
             Consumer consumer = broker.consumer()) {
            MessageStream s = consumer.subscribe(List.of("k/#"), Qos.AT_LEAST_ONCE);
            broker.producer().publish(Message.builder("k/1").payload("x").qos(Qos.AT_LEAST_ONCE).build()).join();
            Delivery d = s.poll(Duration.ofSeconds(5));
            assertEquals("k/1", d.key());
            assertEquals(Qos.AT_LEAST_ONCE, d.qos());
        }
    }
}
