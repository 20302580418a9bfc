package io.gomq.embedded;

import io.gomq.client.Consumer;
import io.gomq.client.ConsumerOptions;
import io.gomq.client.Delivery;
import io.gomq.client.Producer;
import io.gomq.client.Qos;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Child-JVM main for {@link KillRecoveryTest}: a broker under QoS 1 and QoS 2 load that the test
 * kills with SIGKILL. Prints {@code ACK1 m<i>} / {@code ACK2 n<i>} once a publish is
 * acknowledged, and {@code GOT2 n<i>} once the QoS 2 consumer has taken (and so completed) a
 * delivery. Flushes every line: what the parent reads was claimed before the kill.
 */
public final class CrashingBroker {
    private CrashingBroker() {
    }

    public static void main(String[] args) {
        Path dataDir = Path.of(args[0]);
        GoMqBroker broker = GoMqBroker.start(EmbeddedConfig.builder().dataDir(dataDir).maxQueuedMessages(512).build());
        ConsumerOptions q1 = ConsumerOptions.defaults().clientId("q1sub").cleanSession(false);
        broker.consumer(q1).subscribe(List.of("load/q1"), Qos.AT_LEAST_ONCE).close(); // offline: the log keeps its messages
        Consumer q2 = broker.consumer(ConsumerOptions.defaults().clientId("q2sub").cleanSession(false));
        q2.subscribe(List.of("load/q2"), Qos.EXACTLY_ONCE);
        Thread reader = new Thread(() -> {
            while (true) {
                Delivery d = q2.poll(Duration.ofSeconds(1)); // auto-ack: completed (and journaled) before it returns
                if (d != null) {
                    line("GOT2 " + d.payloadAsString());
                }
            }
        }, "q2-reader");
        reader.setDaemon(true);
        reader.start();
        Producer producer = broker.producer();
        for (int i = 0; ; i++) {
            producer.publish("load/q1", null, ("m" + i).getBytes(), Qos.AT_LEAST_ONCE, false).join();
            line("ACK1 m" + i);
            producer.publish("load/q2", null, ("n" + i).getBytes(), Qos.EXACTLY_ONCE, false).join();
            line("ACK2 n" + i);
        }
    }

    private static synchronized void line(String s) {
        System.out.println(s);
        System.out.flush();
    }
}
