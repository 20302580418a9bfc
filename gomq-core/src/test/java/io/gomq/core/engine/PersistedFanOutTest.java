package io.gomq.core.engine;

import io.gomq.core.config.BrokerConfig;
import io.gomq.core.config.Durability;
import io.gomq.core.delivery.PublishResult;
import io.gomq.core.message.Message;
import io.gomq.core.message.Qos;
import io.gomq.core.session.RecordingOutput;
import io.gomq.core.session.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A message that must be durable, through the log's writer: the publish returns before it is
 * stored; a clean subscriber's copy is queued at once (no offset), a persistent subscriber gets
 * it from the writer once stored, with its offset, and every publisher's messages in order.
 */
@Timeout(60)
class PersistedFanOutTest {
    @TempDir
    Path dir;

    @Test
    void cleanSubscribersGetTheirCopyAtOncePersistentOnesOnceStoredInOffsetOrder() {
        try (BrokerEngine engine = BrokerEngine.open(BrokerConfig.defaults().dataDir(dir).durability(Durability.FSYNC))) {
            RecordingOutput cleanOut = new RecordingOutput();
            Session clean = engine.connect("clean", true, null, cleanOut).session();
            engine.subscribe(clean, List.of("t/#"), List.of(Qos.AT_LEAST_ONCE));
            RecordingOutput durableOut = new RecordingOutput();
            Session durable = engine.connect("durable", false, null, durableOut).session();
            engine.subscribe(durable, List.of("t/#"), List.of(Qos.AT_LEAST_ONCE));

            List<PublishResult> results = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                PublishResult r = engine.publishWithResult(
                        Message.builder("t/" + (i % 2)).payload("m" + i).qos(Qos.AT_LEAST_ONCE).build(), null);
                assertTrue(r.persisted() && r.pending() != null, "handed to the log's writer");
                assertEquals(2, r.subscribers());
                results.add(r);
            }
            assertEquals(40, clean.queue().size(), "the clean copies are queued on the publisher's thread");
            for (PublishResult r : results) {
                r.pending().join();
            }
            for (int i = 0; i < 40; i++) {
                assertEquals(i, results.get(i).offset(), "offsets in publish order");
            }
            clean.drain(100);
            durable.drain(100);
            List<RecordingOutput.Sent> toClean = cleanOut.publishes();
            List<RecordingOutput.Sent> toDurable = durableOut.publishes();
            assertEquals(40, toClean.size());
            assertEquals(40, toDurable.size());
            for (int i = 0; i < 40; i++) {
                assertEquals("m" + i, toClean.get(i).message().payloadAsString());
                assertFalse(toClean.get(i).message().persisted(), "a clean session's copy needs no offset");
                assertEquals("m" + i, toDurable.get(i).message().payloadAsString());
                assertEquals(i, toDurable.get(i).message().offset(), "the persistent session's copy carries its offset");
            }
            assertEquals(40, engine.log().endOffset());
        }
    }

    @Test
    void theAcknowledgementWaitsForTheWriterAndFailsWhenTheLogRefuses() {
        try (BrokerEngine engine = BrokerEngine.open(BrokerConfig.defaults().dataDir(dir))) {
            Session durable = engine.connect("durable", false, null, new RecordingOutput()).session();
            engine.subscribe(durable, List.of("t"), List.of(Qos.AT_LEAST_ONCE));
            PublishResult r = engine.publishWithResult(Message.builder("t").payload("x").qos(Qos.AT_LEAST_ONCE).build(), null);
            engine.acknowledgement(r).join();
            assertTrue(r.pending().isDone());
            assertEquals(0, r.offset());

            engine.log().replicaMode(true); // a deposed leader: the log refuses at once, nothing is queued or delivered
            org.junit.jupiter.api.Assertions.assertThrows(io.gomq.core.log.LogException.class, () -> engine.publishWithResult(
                    Message.builder("t").payload("y").qos(Qos.AT_LEAST_ONCE).build(), null));
            assertEquals(1, engine.log().endOffset());
        }
    }
}
