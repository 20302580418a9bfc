package io.gomq.remote.contract;

import io.gomq.client.ClosedException;
import io.gomq.client.Consumer;
import io.gomq.client.ConsumerOptions;
import io.gomq.client.Delivery;
import io.gomq.client.GoMqClient;
import io.gomq.client.Message;
import io.gomq.client.MessageStream;
import io.gomq.client.NotAuthorizedException;
import io.gomq.client.Producer;
import io.gomq.client.PublishReceipt;
import io.gomq.client.Qos;
import io.gomq.client.Replay;
import io.gomq.client.ReplayFrom;
import io.gomq.client.StoredMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The API's contract, the same for every {@link GoMqClient}: a subclass gives a client of a
 * running broker with a durable log (in-process, or over the network) and the test runs as is.
 * Each test works under topics of its own, so the tests of one class share the broker.
 */
@Timeout(60)
public abstract class GoMqClientContract {
    private static final Duration WAIT = Duration.ofSeconds(10);

    protected GoMqClient client;
    /** A topic prefix of this test's own. */
    protected String t;

    /** {@return a client of the broker under test; the test closes it} */
    protected abstract GoMqClient newClient();

    /**
     * The most QoS&gt;=1 deliveries a consumer holds unacknowledged (the broker's max-inflight,
     * or the remote client's Receive Maximum).
     *
     * @return the window
     */
    protected abstract int inFlightWindow();

    /**
     * A producer that acts for {@code user} under the broker's topic rules.
     *
     * @param user the user name
     * @return the producer; the test closes it (or it closes with its client)
     */
    protected abstract Producer producerFor(String user);

    /**
     * A consumer that acts for {@code user} under the broker's topic rules.
     *
     * @param user the user name
     * @return the consumer; closed with its client
     */
    protected abstract Consumer consumerFor(String user);

    /** {@return whether {@link Delivery#redelivered()} tells a redelivery (it cannot over the network)} */
    protected abstract boolean tellsRedelivery();

    /** {@return whether a receipt counts the subscriber queues reached (MQTT has no field for it)} */
    protected abstract boolean tellsSubscriberCount();

    @BeforeEach
    void connect(TestInfo test) {
        client = newClient();
        t = "contract/" + test.getTestMethod().orElseThrow().getName() + "/";
    }

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void aPublishedMessageReachesASubscriberWithItsFields() {
        try (Consumer consumer = client.consumer(); Producer producer = client.producer()) {
            MessageStream stream = consumer.subscribe(List.of(t + "+"), Qos.AT_LEAST_ONCE);
            PublishReceipt receipt = producer.publish(Message.builder(t + "a").payload("hello").qos(Qos.AT_LEAST_ONCE)
                    .contentType("text/plain").userProperty("site", "north").build()).join();

            assertNotNull(receipt, "the future completes once the broker acknowledged");
            Delivery d = stream.poll(WAIT);
            assertNotNull(d, "delivered");
            assertEquals(t + "a", d.topic());
            assertEquals("hello", d.payloadAsString());
            assertEquals(Qos.AT_LEAST_ONCE, d.qos());
            assertEquals("text/plain", d.contentType());
            assertTrue(d.userProperties().stream().anyMatch(u -> u.name().equals("site") && u.value().equals("north")));
        }
    }

    @Test
    void theDeliveredQosIsTheLowerOfPublishAndSubscription() {
        try (Consumer consumer = client.consumer(); Producer producer = client.producer()) {
            MessageStream stream = consumer.subscribe(List.of(t + "q"), Qos.AT_MOST_ONCE);
            producer.publish(t + "q", null, "x".getBytes(), Qos.EXACTLY_ONCE, false).join();

            Delivery d = stream.poll(WAIT);
            assertNotNull(d);
            assertEquals(Qos.AT_MOST_ONCE, d.qos());
        }
    }

    @Test
    void aKeyTravelsWithTheMessageToSubscribersAndIntoTheLog() {
        try (Consumer consumer = client.consumer(); Producer producer = client.producer()) {
            MessageStream stream = consumer.subscribe(List.of(t + "k"), Qos.AT_LEAST_ONCE);
            producer.publish(t + "k", "door-1", "open".getBytes(), Qos.AT_LEAST_ONCE, true).join();

            Delivery d = stream.poll(WAIT);
            assertNotNull(d);
            assertEquals("door-1", d.key());
            try (Replay replay = client.replay(t + "k", ReplayFrom.earliest())) {
                StoredMessage stored = replay.poll(WAIT);
                assertNotNull(stored);
                assertEquals("door-1", stored.message().key());
                assertEquals(t + "k", stored.message().topic());
            }
        }
    }

    @Test
    void replayStartsAtTheEarliestAnOffsetOrATimeThenFollowsNewAppends() {
        try (Producer producer = client.producer()) {
            producer.publish(t + "a", null, "1".getBytes(), Qos.AT_LEAST_ONCE, true).join(); // retained: stored in the log
            producer.publish(t + "b", null, "2".getBytes(), Qos.AT_LEAST_ONCE, true).join();
            List<StoredMessage> firstTwo = read(t + "+", ReplayFrom.earliest(), 2);
            assertEquals(List.of("1", "2"), firstTwo.stream().map(m -> m.message().payloadAsString()).toList());
            long secondAt = firstTwo.get(1).message().timestampMillis();
            await().atMost(Duration.ofSeconds(5)).until(() -> System.currentTimeMillis() > secondAt); // a later stamp for the third
            Instant beforeThird = Instant.ofEpochMilli(System.currentTimeMillis());
            producer.publish(t + "c", null, "3".getBytes(), Qos.AT_LEAST_ONCE, true).join();

            assertEquals("2", read(t + "+", ReplayFrom.offset(firstTwo.get(1).offset()), 1).get(0).message().payloadAsString());
            assertEquals("3", read(t + "+", ReplayFrom.timestamp(beforeThird), 1).get(0).message().payloadAsString());
            try (Replay tail = client.replay(t + "+", ReplayFrom.latest())) {
                assertNull(tail.poll(Duration.ofMillis(200)), "latest: nothing old");
                producer.publish(t + "d", null, "4".getBytes(), Qos.AT_LEAST_ONCE, true).join();
                StoredMessage appended = tail.poll(WAIT);
                assertNotNull(appended, "tailing: a new append arrives");
                assertEquals("4", appended.message().payloadAsString());
            }
        }
    }

    @Test
    void aPersistentSessionKeepsWhatWasPublishedWhileItsConsumerWasAway() {
        String id = "contract-durable-" + getClass().getSimpleName();
        try (Consumer first = client.consumer(ConsumerOptions.defaults().clientId(id).cleanSession(false))) {
            first.subscribe(List.of(t + "d"), Qos.AT_LEAST_ONCE).poll(Duration.ZERO);
        }
        try (Producer producer = client.producer()) {
            producer.publish(t + "d", null, "while away".getBytes(), Qos.AT_LEAST_ONCE, false).join();
        }
        try (Consumer again = client.consumer(ConsumerOptions.defaults().clientId(id).cleanSession(false))) {
            Delivery d = again.poll(WAIT);
            assertNotNull(d, "the resumed session delivers without a new subscribe");
            assertEquals("while away", d.payloadAsString());
        }
        client.consumer(ConsumerOptions.defaults().clientId(id)).close(); // a clean session ends the stored one
    }

    @Test
    void aConsumerThatDoesNotAcknowledgeGetsNoMoreThanItsWindowThenEverythingOnceItDoes() {
        int total = inFlightWindow() * 3;
        ConsumerOptions manual = ConsumerOptions.defaults().clientId("contract-window-" + getClass().getSimpleName())
                .cleanSession(false).autoAck(false);
        List<CompletableFuture<PublishReceipt>> sent = new ArrayList<>();
        try (Consumer consumer = client.consumer(manual); Producer producer = client.producer()) {
            MessageStream stream = consumer.subscribe(List.of(t + "w"), Qos.AT_LEAST_ONCE);
            for (int i = 0; i < total; i++) {
                sent.add(producer.publish(t + "w", null, Integer.toString(i).getBytes(), Qos.AT_LEAST_ONCE, false));
            }
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
            List<Delivery> held = new ArrayList<>();
            for (Delivery d; (d = stream.poll(Duration.ofMillis(500))) != null; ) {
                held.add(d);
            }
            assertTrue(!held.isEmpty() && held.size() <= inFlightWindow(),
                    "unacknowledged deliveries stay within the window: " + held.size() + " of " + total);

            List<String> all = new ArrayList<>();
            held.forEach(d -> { all.add(d.payloadAsString()); d.ack(); });
            while (all.size() < total) {
                Delivery d = stream.poll(WAIT);
                assertNotNull(d, "after acknowledging, the rest comes: " + all.size() + " of " + total);
                all.add(d.payloadAsString());
                d.ack();
            }
            assertEquals(total, all.stream().distinct().count(), "each once");
        }
        client.consumer(ConsumerOptions.defaults().clientId(manual.clientId())).close();
    }

    @Test
    void aHandlerGetsTheMessagesOneAtATime() {
        List<String> got = new CopyOnWriteArrayList<>();
        try (Consumer consumer = client.consumer(); Producer producer = client.producer()) {
            consumer.subscribe(List.of(t + "h"), Qos.AT_LEAST_ONCE, d -> got.add(d.payloadAsString()));
            for (int i = 0; i < 20; i++) {
                producer.publish(t + "h", null, Integer.toString(i).getBytes(), Qos.AT_LEAST_ONCE, false).join();
            }
            await().atMost(WAIT).until(() -> got.size() == 20);
            assertEquals(20, got.stream().distinct().count());
        }
    }

    @Test
    void closedPartsSayTheyAreClosed() {
        Consumer consumer = client.consumer();
        consumer.subscribe(List.of(t + "x"), Qos.AT_MOST_ONCE);
        Producer producer = client.producer();

        consumer.close();
        producer.close();

        assertTrue(consumer.isClosed());
        assertNull(consumer.poll(Duration.ofMillis(10)));
        assertThrows(ClosedException.class, () -> consumer.subscribe(List.of(t + "x"), Qos.AT_MOST_ONCE));
        CompletionException late = assertThrows(CompletionException.class, () -> producer.publish(t + "x", "late").join());
        assertInstanceOf(ClosedException.class, late.getCause());
        Consumer ownedByTheClient = client.consumer();
        client.close();
        assertTrue(ownedByTheClient.isClosed(), "closing the client closes what it made");
        assertThrows(ClosedException.class, () -> client.producer());
    }

    @Test
    void anInvalidTopicFailsThePublish() {
        try (Producer producer = client.producer()) {
            assertThrows(Exception.class, () -> producer.publish(t + "#", "wildcards are for filters").join());
        }
    }

    @Test
    void aPublishOrSubscribeTheRulesRefuseFailsWithNotAuthorized() {
        try (Producer guest = producerFor(ContractBroker.GUEST)) {
            CompletionException refused = assertThrows(CompletionException.class,
                    () -> guest.publish("guarded/" + t + "x", null, "no".getBytes(), Qos.AT_LEAST_ONCE, false).join());
            assertInstanceOf(NotAuthorizedException.class, refused.getCause(), "the same type in-process and remote");
        }
        Consumer guest = consumerFor(ContractBroker.GUEST);
        assertThrows(NotAuthorizedException.class, () -> guest.subscribe(List.of("guarded/#"), Qos.AT_LEAST_ONCE));
        guest.close();
    }

    @Test
    void theReceiptOfAStoredMessageTellsItsOffset() {
        try (Consumer consumer = client.consumer(); Producer producer = client.producer()) {
            consumer.subscribe(List.of(t + "o"), Qos.AT_LEAST_ONCE);
            PublishReceipt stored = producer.publish(t + "o", null, "kept".getBytes(), Qos.AT_LEAST_ONCE, true).join(); // retained: logged
            PublishReceipt notStored = producer.publish(t + "n", null, "gone".getBytes(), Qos.AT_LEAST_ONCE, false).join();

            assertTrue(stored.persisted(), "a QoS 1 receipt tells the offset in-process and, from its PUBACK, over the network");
            assertEquals(PublishReceipt.NOT_PERSISTED, notStored.offset(), "no persistent session wanted it: not logged");
            assertEquals(tellsSubscriberCount() ? 1 : PublishReceipt.UNKNOWN, stored.subscribers(),
                    "MQTT has no field for the subscriber count: a remote receipt says UNKNOWN");
            try (Replay replay = client.replay(t + "o", ReplayFrom.offset(stored.offset()))) {
                StoredMessage m = replay.poll(WAIT);
                assertNotNull(m);
                assertEquals(stored.offset(), m.offset(), "the offset names the record");
                assertEquals("kept", m.message().payloadAsString());
            }
        }
    }

    @Test
    void anUnacknowledgedDeliveryComesAgainToTheResumedSession() {
        ConsumerOptions manual = ConsumerOptions.defaults().clientId("contract-again-" + getClass().getSimpleName())
                .cleanSession(false).autoAck(false);
        try (Producer producer = client.producer()) {
            try (Consumer first = client.consumer(manual)) {
                MessageStream stream = first.subscribe(List.of(t + "r"), Qos.AT_LEAST_ONCE);
                producer.publish(t + "r", null, "once more".getBytes(), Qos.AT_LEAST_ONCE, false).join();
                Delivery d = stream.poll(WAIT);
                assertNotNull(d);
                assertFalse(d.redelivered(), "a first delivery");
                assertNull(d.subscriptionIds(), "subscribe sets no Subscription Identifier: none, in-process or remote");
            } // closed without acknowledging
            try (Consumer again = client.consumer(manual)) {
                Delivery d = again.poll(WAIT);
                assertNotNull(d, "the unacknowledged message comes again");
                assertEquals("once more", d.payloadAsString());
                assertEquals(tellsRedelivery(), d.redelivered(),
                        "in-process it says so; over the network it cannot (the HiveMQ client hides the DUP flag)");
                d.ack();
            }
        }
        client.consumer(ConsumerOptions.defaults().clientId(manual.clientId())).close();
    }

    private List<StoredMessage> read(String filter, ReplayFrom from, int n) {
        try (Replay replay = client.replay(filter, from)) {
            List<StoredMessage> out = new ArrayList<>();
            while (out.size() < n) {
                StoredMessage m = replay.poll(WAIT);
                assertNotNull(m, "replay from " + from + ": " + out.size() + " of " + n);
                out.add(m);
            }
            return out;
        }
    }
}
