package io.gomq.embedded.readme;

// tag::embedding[]
import io.gomq.client.Consumer;
import io.gomq.client.Delivery;
import io.gomq.client.MessageStream;
import io.gomq.client.Producer;
import io.gomq.client.Qos;
import io.gomq.embedded.EmbeddedConfig;
import io.gomq.embedded.GoMqBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
// end::embedding[]
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's "Embedding it" snippets, run. The text between the tag comments is what the README
 * shows (ReadmeSnippetsTest in gomq-junit compares them); this package sees only the public API.
 */
class ReadmeEmbeddingTest {

    @Test
    @Timeout(30)
    void embedding(@TempDir Path dataDir) {
        String received;
        // tag::embedding[]
        // dataDir: where the broker keeps its log, for example Path.of("data")
        try (GoMqBroker broker = GoMqBroker.start(EmbeddedConfig.builder().dataDir(dataDir).build());
             Consumer consumer = broker.consumer();
             Producer producer = broker.producer()) {
            // GoMQ: for m := range client.NewConsumer(opt).Subscribe([]string{"A"}, 0) { fmt.Println(m.Topic, m.Data.Body) }
            MessageStream messages = consumer.subscribe(List.of("A"), Qos.AT_LEAST_ONCE);
            // GoMQ: producer.Publish(common.MessageUnit{Topic: "A", Data: common.Message{MsgKey: "key", Body: "hello world"}}, 0, 1)
            producer.publish("A", "key", "hello world".getBytes(StandardCharsets.UTF_8), Qos.AT_LEAST_ONCE, false).join();
            Delivery m = messages.poll(Duration.ofSeconds(5));           // null if nothing came in time
            System.out.println(m.topic() + " " + m.payloadAsString());   // A hello world
        // end::embedding[]
            received = m.topic() + " " + m.key() + " " + m.payloadAsString();
        // tag::embedding[]
        }
        // end::embedding[]
        assertEquals("A key hello world", received);
    }

    @Test
    @Timeout(60)
    void startAndCloseAsync(@TempDir Path dataDir) {
        // tag::async[]
        CompletableFuture<GoMqBroker> orders = GoMqBroker.startAsync(EmbeddedConfig.builder().dataDir(dataDir.resolve("orders")).build());
        CompletableFuture<GoMqBroker> audit = GoMqBroker.startAsync(EmbeddedConfig.builder().dataDir(dataDir.resolve("audit")).build());
        CompletableFuture.allOf(orders, audit).join();     // both start at the same time; a failure rethrows here
        // ... orders.join().producer(), audit.join().consumer() ...
        CompletableFuture.allOf(orders.join().closeAsync(), audit.join().closeAsync()).join();
        // end::async[]
        assertTrue(orders.join().isClosed() && audit.join().isClosed());
    }
}
