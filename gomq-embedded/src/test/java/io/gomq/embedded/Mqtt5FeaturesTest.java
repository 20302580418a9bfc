package io.gomq.embedded;

import io.gomq.client.Consumer;
import io.gomq.client.ConsumerOptions;
import io.gomq.client.Delivery;
import io.gomq.client.Message;
import io.gomq.client.MessageStream;
import io.gomq.client.Qos;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** What MQTT 5 adds, through the embedded API: message properties, shared subscriptions, session expiry. */
@Timeout(30)
class Mqtt5FeaturesTest {
    @Test
    void propertiesSetOnPublishArriveWithTheDelivery() throws Exception {
        try (GoMqBroker broker = GoMqBroker.start(EmbeddedConfig.builder().persistent(false).build());
             Consumer consumer = broker.consumer()) {
            MessageStream stream = consumer.subscribe(List.of("rpc/#"), Qos.AT_LEAST_ONCE);
            broker.producer().publish(Message.builder("rpc/add").payload("[1,2]").qos(Qos.AT_LEAST_ONCE)
                    .contentType("application/json").responseTopic("rpc/replies/7").correlationData(new byte[] {7})
                    .userProperty("trace", "abc").userProperty("trace", "def").messageExpiry(Duration.ofMinutes(5))
                    .build()).join();
            Delivery d = stream.poll(Duration.ofSeconds(5));
            assertNotNull(d);
            assertEquals("application/json", d.contentType());
            assertEquals("rpc/replies/7", d.responseTopic());
            assertArrayEquals(new byte[] {7}, d.correlationData());
            assertEquals("[trace=abc, trace=def]", d.userProperties().toString());
            assertEquals(300, d.message().messageExpirySeconds());
        }
    }

    @Test
    void sharedConsumersSplitTheMessagesOfAGroup() {
        try (GoMqBroker broker = GoMqBroker.start(EmbeddedConfig.builder().persistent(false).build());
             Consumer a = broker.consumer();
             Consumer b = broker.consumer()) {
            ConcurrentLinkedQueue<String> gotA = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<String> gotB = new ConcurrentLinkedQueue<>();
            a.subscribeShared("workers", List.of("jobs/+"), Qos.AT_LEAST_ONCE, d -> gotA.add(d.payloadAsString()));
            b.subscribeShared("workers", List.of("jobs/+"), Qos.AT_LEAST_ONCE, d -> gotB.add(d.payloadAsString()));
            for (int i = 0; i < 100; i++) {
                broker.producer().publish("jobs/" + (i % 3), "j" + i).join();
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> gotA.size() + gotB.size() == 100);
            assertEquals(100, java.util.stream.Stream.concat(gotA.stream(), gotB.stream()).distinct().count());
        }
    }

    @Test
    void aConsumerSessionWithAnExpiryIsKeptThatLongAfterClose() {
        try (GoMqBroker broker = GoMqBroker.start(EmbeddedConfig.builder().persistent(false).build())) {
            Consumer c = broker.consumer(ConsumerOptions.defaults().clientId("exp").sessionExpiry(Duration.ofSeconds(1)));
            c.subscribe(List.of("t"), Qos.AT_LEAST_ONCE);
            c.close();
            assertNotNull(broker.internal().engine().sessions().get("exp"), "kept after close");
            await().atMost(Duration.ofSeconds(5)).until(() -> broker.internal().engine().sessions().get("exp") == null);
            assertNull(broker.internal().engine().sessions().get("exp"));
        }
    }
}
