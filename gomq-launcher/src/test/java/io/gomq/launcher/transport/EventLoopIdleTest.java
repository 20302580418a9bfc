package io.gomq.launcher.transport;

import io.gomq.launcher.StandaloneBroker;
import io.gomq.launcher.testing.TestBrokers;
import io.gomq.testing.ThreadCpu;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The event loops poll on for a moment after each piece of work, then sleep: with clients
 * connected and nothing sent, no loop burns CPU, and a sleeping loop still wakes for the next message.
 */
@Timeout(60)
class EventLoopIdleTest {
    private static final Duration WINDOW = Duration.ofSeconds(1);
    private static final int MAX_WINDOWS = 5;

    @Test
    void shouldSleepBetweenMessagesOnceTheSpinWindowHasPassed() throws Exception {
        try (StandaloneBroker b = StandaloneBroker.start(TestBrokers.memoryConfig().ioThreads(2)
                .ioSpinMicros(TransportOptions.IO_SPIN_MICROS));
             Connected sub = connect(b, "idle-sub");
             Connected pub = connect(b, "idle-pub")) {
            BlockingQueue<String> received = new LinkedBlockingQueue<>();
            sub.client.subscribe("idle/t", 0, (topic, m) -> received.add(new String(m.getPayload())));
            pub.client.publish("idle/t", "one".getBytes(), 0, false);
            assertEquals("one", received.poll(10, TimeUnit.SECONDS));

            assertEquals("", ThreadCpu.busyInEveryWindow(t -> t.getName().startsWith("gomq-io"), WINDOW, MAX_WINDOWS),
                    "event loops that used CPU in every idle window of " + WINDOW);

            pub.client.publish("idle/t", "two".getBytes(), 0, false);
            assertEquals("two", received.poll(10, TimeUnit.SECONDS), "a sleeping loop wakes for the next message");
        }
    }

    private static Connected connect(StandaloneBroker b, String id) throws Exception {
        MqttClient c = new MqttClient("tcp://127.0.0.1:" + b.mqttPort(), id, new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setKeepAliveInterval(60);
        c.connect(o);
        return new Connected(c);
    }

    /** Paho's client closes only once disconnected. */
    private record Connected(MqttClient client) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            client.disconnectForcibly(1_000, 1_000);
            client.close();
        }
    }
}
