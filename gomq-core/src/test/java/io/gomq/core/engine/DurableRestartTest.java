package io.gomq.core.engine;

import io.gomq.core.config.BrokerConfig;
import io.gomq.core.message.Message;
import io.gomq.core.message.Qos;
import io.gomq.core.session.RecordingOutput;
import io.gomq.core.session.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A persistent session's exchanges across an engine restart on the same data dir. */
class DurableRestartTest {
    @TempDir
    Path dir;

    private BrokerConfig config() {
        return BrokerConfig.defaults().dataDir(dir).maxInflight(8);
    }

    private static List<String> bodies(List<RecordingOutput.Sent> sent) {
        return sent.stream().map(s -> s.message().payloadAsString()).toList();
    }

    @Test
    @Timeout(30)
    void shouldNotSendAgainFromTheLogWhatWasInFlightAtRestartAndThenAcknowledged() {
        try (BrokerEngine engine = BrokerEngine.open(config())) {
            RecordingOutput out = new RecordingOutput();
            Session s = engine.connect("p", false, null, out).session();
            engine.subscribe(s, List.of("t"), List.of(Qos.AT_LEAST_ONCE));
            Publishing.stored(engine, Message.builder("t").payload("m0").qos(Qos.AT_LEAST_ONCE).build());
            s.drain(100);
            assertTrue(s.onPubAck(out.publishes().get(0).packetId())); // m0 done: the journaled read position passes it
            for (int i = 1; i < 3; i++) {
                Publishing.stored(engine, Message.builder("t").payload("m" + i).qos(Qos.AT_LEAST_ONCE).build());
            }
            s.drain(100); // m1, m2 sent after the last completion: in flight at the "crash"
            assertEquals(List.of("m0", "m1", "m2"), bodies(out.publishes()));
        }
        try (BrokerEngine engine = BrokerEngine.open(config())) {
            RecordingOutput out = new RecordingOutput();
            Session s = engine.connect("p", false, null, out).session();
            List<RecordingOutput.Sent> resent = List.copyOf(out.publishes());
            assertEquals(List.of("m1", "m2"), bodies(resent), "the in-flight messages are re-sent first");
            assertTrue(resent.stream().allMatch(RecordingOutput.Sent::dup));
            for (RecordingOutput.Sent r : resent) {
                assertTrue(s.onPubAck(r.packetId()));
            }
            s.drain(100); // the log catch-up runs now: it must not send m1/m2 again
            Publishing.stored(engine, Message.builder("t").payload("m3").qos(Qos.AT_LEAST_ONCE).build());
            s.drain(100);
            s.drain(100);
            assertEquals(List.of("m1", "m2", "m3"), bodies(out.publishes()));
        }
    }
}
