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
import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An incoming QoS 2 message across a broker restart (the crash loop found an acknowledged one
 * lost: its release was journaled before its append, and a kill -9 in between left the PUBREL
 * after the restart nothing to publish). Now the message is published first and released after;
 * the repeated PUBREL after a restart publishes a restored message once, whether or not the
 * crash came after its append.
 */
@Timeout(60)
class InboundQos2RestartTest {
    @TempDir
    Path dir;

    private static Message qos2(String body) {
        return Message.builder("q2/t").payload(body).qos(Qos.EXACTLY_ONCE).build();
    }

    @Test
    void aRestoredMessageIsPublishedOnceOnTheRepeatedPubRelWhetherOrNotItWasAppendedBeforeTheCrash() {
        BrokerConfig config = BrokerConfig.defaults().dataDir(dir);
        Message appended = qos2("appended before the crash");
        Message pending = qos2("not appended before the crash");
        try (BrokerEngine engine = BrokerEngine.open(config)) {
            RecordingOutput subOut = new RecordingOutput();
            Session sub = engine.connect("sub", false, null, subOut).session();
            engine.subscribe(sub, List.of("q2/#"), List.of(Qos.EXACTLY_ONCE));
            engine.disconnect(sub, subOut, true); // offline: what is published waits for it in the log

            Session pub = engine.connect("pub", false, null, new RecordingOutput()).session();
            pub.inbound().receive(7, appended); // PUBLISH, journaled before PUBREC
            pub.inbound().receive(8, pending);
            Publishing.stored(engine, appended); // PUBREL 7 began: published, then the broker died before the release
        }
        try (BrokerEngine engine = BrokerEngine.open(config)) {
            RecordingOutput pubOut = new RecordingOutput();
            Session pub = engine.connect("pub", false, null, pubOut).session();
            assertTrue(pub.inbound().restored(7) && pub.inbound().restored(8), "both exchanges restored");
            engine.releaseInbound(pub, 7, null, Runnable::run).join(); // the client repeats its PUBRELs
            engine.releaseInbound(pub, 8, null, Runnable::run).join();
            engine.releaseInbound(pub, 8, null, Runnable::run).join(); // once more: released already, nothing happens
            assertNull(pub.inbound().pending(7));
            assertNull(pub.inbound().pending(8));

            RecordingOutput subOut = new RecordingOutput();
            Session sub = engine.connect("sub", false, null, subOut).session();
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                sub.drain(100);
                return subOut.publishes().size() >= 2;
            });
            sub.drain(100);
            List<String> got = subOut.publishes().stream().map(s -> s.message().payloadAsString()).toList();
            assertEquals(List.of("appended before the crash", "not appended before the crash"), got);
        }
        try (BrokerEngine engine = BrokerEngine.open(config)) {
            Session pub = engine.connect("pub", false, null, new RecordingOutput()).session();
            assertEquals(0, pub.inbound().size(), "the releases were journaled");
        }
    }
}
