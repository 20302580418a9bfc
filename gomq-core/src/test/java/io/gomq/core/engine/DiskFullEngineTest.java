package io.gomq.core.engine;

import io.gomq.core.config.BrokerConfig;
import io.gomq.core.log.DiskFullException;
import io.gomq.core.message.Message;
import io.gomq.core.message.Qos;
import io.gomq.core.session.RecordingOutput;
import io.gomq.core.session.Session;
import io.gomq.core.testing.SmallFileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine on a small tmpfs that fills up: a QoS 1 publish for an offline persistent session
 * is refused once the disk is below its reserve, while QoS 0 to clean sessions and the delivery
 * of what is stored go on; the engine opens on a full disk and takes publishes again by itself.
 */
class DiskFullEngineTest {
    @TempDir
    Path tmp;

    private static BrokerConfig config(Path data) {
        return BrokerConfig.defaults().dataDir(data).diskReserveBytes(3L << 20).maxInflight(16)
                .compactionIntervalMs(3_600_000);
    }

    private static Message message(int i) {
        byte[] b = new byte[50 * 1024];
        Arrays.fill(b, (byte) 'x');
        byte[] id = (i + ";").getBytes(StandardCharsets.UTF_8);
        System.arraycopy(id, 0, b, 0, id.length);
        return Message.builder("t").payload(b).qos(Qos.AT_LEAST_ONCE).build();
    }

    private static int id(Message m) {
        String s = new String(m.payloadBytes(), 0, 12, StandardCharsets.UTF_8);
        return Integer.parseInt(s.substring(0, s.indexOf(';')));
    }

    /** Drains and acknowledges until {@code count} distinct messages arrived; returns their ids in order. */
    private static List<Integer> receive(Session s, RecordingOutput out, int count) {
        List<Integer> ids = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            s.drain(64);
            for (RecordingOutput.Sent p : out.publishes().subList(ids.size(), out.publishes().size())) {
                ids.add(id(p.message()));
                s.onPubAck(p.packetId());
            }
            return ids.size() >= count;
        });
        return ids;
    }

    @Test
    @Timeout(120)
    void shouldRefuseWhatNeedsTheDiskKeepServingTheRestAndResumeByItself() throws Exception {
        try (SmallFileSystem fs = SmallFileSystem.mount(tmp, 16)) {
            Path data = fs.dir().resolve("data");
            int acked = 0;
            try (BrokerEngine engine = BrokerEngine.open(config(data))) {
                RecordingOutput away = new RecordingOutput();
                Session sub = engine.connect("sub", false, null, away).session();
                engine.subscribe(sub, List.of("t"), List.of(Qos.AT_LEAST_ONCE));
                engine.disconnect(sub, away, true);
                while (true) {
                    try {
                        Publishing.stored(engine, message(acked));
                        acked++;
                    } catch (DiskFullException e) {
                        break;
                    }
                }
                assertTrue(acked > 50, "acknowledged " + acked);
                assertTrue(engine.diskSpace().isLow());

                RecordingOutput cleanOut = new RecordingOutput();
                Session clean = engine.connect("clean", true, null, cleanOut).session();
                engine.subscribe(clean, List.of("q"), List.of(Qos.AT_MOST_ONCE));
                Publishing.stored(engine, Message.builder("q").payload("qos0").qos(Qos.AT_MOST_ONCE).build());
                clean.drain(10);
                assertEquals("qos0", cleanOut.publishes().get(0).message().payloadAsString(), "QoS 0 needs no disk");

                RecordingOutput back = new RecordingOutput();
                Session again = engine.connect("sub", false, null, back).session();
                List<Integer> live = receive(again, back, acked);
                assertEquals(acked, live.size(), "every acknowledged message delivered while the disk is low");
                assertEquals(java.util.stream.IntStream.range(0, acked).boxed().toList(), live);
                engine.disconnect(again, back, true);
            }
            fs.fillTo(0);
            try (BrokerEngine engine = BrokerEngine.open(config(data))) {
                assertTrue(engine.diskSpace().isLow(), "opened on a full disk");
                assertEquals(0, fs.freeBytes(), "opening wrote nothing");
                int next = acked;
                assertThrows(DiskFullException.class, () -> Publishing.stored(engine, message(next)));
                fs.freeBallast();
                fs.resize(48);
                await().atMost(Duration.ofSeconds(20)).until(() -> !engine.diskSpace().isLow());
                assertEquals(acked, Publishing.stored(engine, message(acked)).offset());
            }
        }
    }
}
