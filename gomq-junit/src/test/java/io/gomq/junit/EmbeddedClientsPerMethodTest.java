package io.gomq.junit;

import io.gomq.client.Consumer;
import io.gomq.client.Delivery;
import io.gomq.client.MessageStream;
import io.gomq.client.Producer;
import io.gomq.client.PublishReceipt;
import io.gomq.client.Qos;
import io.gomq.client.Replay;
import io.gomq.client.ReplayFrom;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A fresh broker and directory for every test method, with the in-process Producer and Consumer injected. */
@GoMqTest(lifecycle = GoMqTest.Lifecycle.PER_METHOD)
@Timeout(60)
class EmbeddedClientsPerMethodTest {
    private static final Set<Path> EARLIER_DIRS = ConcurrentHashMap.newKeySet();

    @RepeatedTest(3)
    void everyTestStartsWithAnEmptyLogInANewDirectory(GoMqTestBroker broker, Producer producer) throws Exception {
        Path dir = broker.dataDir().orElseThrow();
        for (Path earlier : EARLIER_DIRS) {
            assertFalse(Files.exists(earlier), "the previous test's directory is deleted: " + earlier);
        }
        assertTrue(EARLIER_DIRS.add(dir));
        try (Replay log = broker.embedded().replay("#", ReplayFrom.earliest())) {
            assertNull(log.poll(Duration.ZERO), "a previous test's retained message would be here");
        }

        PublishReceipt receipt = producer.publish("state", null, "on".getBytes(), Qos.AT_LEAST_ONCE, true).get(10, TimeUnit.SECONDS);

        assertTrue(receipt.persisted());
        assertEquals("on", broker.awaitMessage("state", Duration.ofSeconds(10)).payloadAsString());
    }

    @Test
    void theInjectedConsumerReceivesTheInjectedProducersMessages(Producer producer, Consumer consumer) throws Exception {
        MessageStream stream = consumer.subscribe(List.of("orders/+"), Qos.AT_LEAST_ONCE);

        producer.publish("orders/7", "paid").get(10, TimeUnit.SECONDS);

        Delivery d = stream.poll(Duration.ofSeconds(10));
        assertNotNull(d);
        assertEquals("orders/7", d.topic());
        assertEquals("paid", d.payloadAsString());
    }
}
