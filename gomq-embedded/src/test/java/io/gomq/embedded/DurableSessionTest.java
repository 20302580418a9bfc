package io.gomq.embedded;

import io.gomq.client.Consumer;
import io.gomq.client.ConsumerOptions;
import io.gomq.client.Delivery;
import io.gomq.client.Producer;
import io.gomq.client.PublishReceipt;
import io.gomq.client.Qos;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Persistent sessions and retained messages on the durable log, across broker restarts. */
class DurableSessionTest {
    @TempDir
    Path dataDir;

    private EmbeddedConfig config() {
        return EmbeddedConfig.builder().dataDir(dataDir).build();
    }

    private static ConsumerOptions durable(String id) {
        return ConsumerOptions.defaults().clientId(id).cleanSession(false);
    }

    private static List<String> drain(Consumer c, int expected) {
        List<String> got = new ArrayList<>();
        while (got.size() < expected) {
            Delivery d = c.poll(Duration.ofSeconds(10));
            if (d == null) {
                break;
            }
            got.add(d.payloadAsString());
        }
        return got;
    }

    private static List<String> numbered(String prefix, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(prefix + i);
        }
        return out;
    }

    @Test
    @Timeout(60)
    void shouldDeliverEveryQos1MessageAfterBrokerRestart() {
        try (GoMqBroker broker = GoMqBroker.start(config())) {
            broker.consumer(durable("s1")).subscribe(List.of("orders/#"), Qos.AT_LEAST_ONCE).close();
            Producer p = broker.producer();
            for (int i = 0; i < 500; i++) {
                PublishReceipt r = p.publish("orders/" + (i % 7), null, ("m" + i).getBytes(), Qos.AT_LEAST_ONCE, false).join();
                assertTrue(r.persisted(), "a QoS 1 message for a persistent session is in the log before its ack");
            }
        }
        try (GoMqBroker broker = GoMqBroker.start(config());
             Consumer again = broker.consumer(durable("s1"))) {
            assertEquals(numbered("m", 500), drain(again, 500));
            assertNull(again.poll(Duration.ofMillis(200)));
        }
    }

    @Test
    @Timeout(60)
    void shouldServeOverflowFromTheLogWhenQueueIsFull() {
        try (GoMqBroker broker = GoMqBroker.start(config().toBuilder().maxQueuedMessages(16).build())) {
            broker.consumer(durable("slow")).subscribe(List.of("t"), Qos.AT_LEAST_ONCE).close();
            Producer p = broker.producer();
            for (int i = 0; i < 2_000; i++) {
                p.publish("t", null, ("m" + i).getBytes(), Qos.AT_LEAST_ONCE, false).join();
            }
            assertEquals(0, broker.internal().engine().metrics().droppedQos1.sum(), "nothing persisted counts as dropped");
            try (Consumer back = broker.consumer(durable("slow"))) {
                assertEquals(numbered("m", 2_000), drain(back, 2_000));
                for (int i = 2_000; i < 2_100; i++) {
                    p.publish("t", null, ("m" + i).getBytes(), Qos.AT_LEAST_ONCE, false).join();
                }
                List<String> live = drain(back, 100);
                assertEquals(numbered("m", 2_100).subList(2_000, 2_100), live, "then live again, in order, no duplicates");
            }
        }
    }

    @Test
    @Timeout(60)
    void shouldRedeliverUnacknowledgedMessageAfterRestart() {
        ConsumerOptions manual = durable("worker").autoAck(false);
        try (GoMqBroker broker = GoMqBroker.start(config())) {
            Consumer c = broker.consumer(manual);
            c.subscribe(List.of("jobs"), Qos.EXACTLY_ONCE);
            broker.producer().publish("jobs", null, "job-1".getBytes(), Qos.EXACTLY_ONCE, false).join();
            broker.producer().publish("jobs", null, "job-2".getBytes(), Qos.EXACTLY_ONCE, false).join();
            Delivery first = c.poll(Duration.ofSeconds(5));
            Delivery second = c.poll(Duration.ofSeconds(5));
            assertEquals("job-1", first.payloadAsString());
            second.ack(); // job-2 done, job-1 not
            assertNull(c.poll(Duration.ofMillis(100))); // lets the consumer thread process the ack
            c.close();
        }
        try (GoMqBroker broker = GoMqBroker.start(config());
             Consumer c = broker.consumer(manual)) {
            Delivery d = c.poll(Duration.ofSeconds(5));
            assertEquals("job-1", d.payloadAsString());
            assertTrue(d.redelivered());
            d.ack();
            assertNull(c.poll(Duration.ofMillis(300)), "job-2 was completed before the restart: never again");
        }
    }

    @Test
    @Timeout(60)
    void shouldCompleteRestoredQos2ExchangeAndDeliverRestoredInflightToAHandler() throws Exception {
        // Build a session whose QoS 2 message m1 is past PUBREC (PUBREL stage) and whose m2 is sent
        // but unacknowledged when the broker stops, through the engine as a network client would.
        try (GoMqBroker broker = GoMqBroker.start(config())) {
            var engine = broker.internal().engine();
            io.gomq.core.session.SessionOutput wire = new io.gomq.core.session.SessionOutput() {
                @Override public void publish(io.gomq.core.message.Message m, int packetId, boolean dup) { }
                @Override public void pubRel(int packetId) { }
                @Override public void wakeup() { }
                @Override public java.util.concurrent.CompletableFuture<Void> takenOver() {
                    return java.util.concurrent.CompletableFuture.completedFuture(null);
                }
            };
            var session = engine.connect("mixed", false, null, wire).session();
            engine.subscribe(session, List.of("q"), List.of(io.gomq.core.message.Qos.EXACTLY_ONCE));
            broker.producer().publish("q", null, "m1".getBytes(), Qos.EXACTLY_ONCE, false).join();
            broker.producer().publish("q", null, "m2".getBytes(), Qos.EXACTLY_ONCE, false).join();
            session.drain(10);
            assertEquals(2, session.inflight().size());
            assertTrue(session.onPubRec(session.inflight().idAt(0))); // m1: PUBREL stage
        }
        try (GoMqBroker broker = GoMqBroker.start(config());
             Consumer c = broker.consumer(durable("mixed"))) { // attaching re-sends PUBREL for m1 and m2 with DUP
            List<String> got = new java.util.concurrent.CopyOnWriteArrayList<>();
            c.subscribe(List.of("q"), Qos.EXACTLY_ONCE, d -> got.add(d.payloadAsString() + (d.redelivered() ? "(dup)" : "")));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> got.size() == 1
                    && broker.internal().engine().sessions().get("mixed").inflight().size() == 0);
            assertEquals(List.of("m2(dup)"), got, "m1 was already received; m2 comes again, once");
        }
    }

    @Test
    @Timeout(60)
    void shouldKeepRetainedMessagesAcrossRestart() {
        try (GoMqBroker broker = GoMqBroker.start(config())) {
            Producer p = broker.producer();
            p.publish("sensors/1", null, "21.5".getBytes(), Qos.AT_MOST_ONCE, true).join();
            p.publish("sensors/2", null, "19.0".getBytes(), Qos.AT_MOST_ONCE, true).join();
            p.publish("sensors/2", null, new byte[0], Qos.AT_MOST_ONCE, true).join(); // delete
            p.publish("sensors/1", null, "22.0".getBytes(), Qos.AT_MOST_ONCE, true).join(); // replace
        }
        try (GoMqBroker broker = GoMqBroker.start(config());
             Consumer c = broker.consumer()) {
            c.subscribe(List.of("sensors/+"), Qos.AT_LEAST_ONCE);
            Delivery d = c.poll(Duration.ofSeconds(5));
            assertEquals("sensors/1", d.topic());
            assertEquals("22.0", d.payloadAsString());
            assertTrue(d.retained());
            assertNull(c.poll(Duration.ofMillis(200)));
        }
    }

    @Test
    @Timeout(60)
    void shouldForgetPersistentSessionWhenItReconnectsClean() {
        try (GoMqBroker broker = GoMqBroker.start(config())) {
            broker.consumer(durable("gone")).subscribe(List.of("x"), Qos.AT_LEAST_ONCE).close();
            broker.consumer(ConsumerOptions.defaults().clientId("gone").cleanSession(true)).close();
            broker.producer().publish("x", null, "lost".getBytes(), Qos.AT_LEAST_ONCE, false).join();
        }
        try (GoMqBroker broker = GoMqBroker.start(config())) {
            assertNull(broker.internal().engine().sessions().get("gone"), "a clean connect ended the stored session");
            assertFalse(broker.internal().engine().log().endOffset() < 0);
        }
    }
}
