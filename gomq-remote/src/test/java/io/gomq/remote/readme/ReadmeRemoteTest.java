package io.gomq.remote.readme;

// tag::remote[]
import io.gomq.client.Consumer;
import io.gomq.client.Delivery;
import io.gomq.client.GoMqClient;
import io.gomq.client.MessageStream;
import io.gomq.client.Qos;
import io.gomq.client.Replay;
import io.gomq.client.ReplayFrom;
import io.gomq.client.StoredMessage;
import io.gomq.remote.RemoteClient;
import io.gomq.remote.RemoteClientConfig;
import java.net.URI;
import java.time.Duration;
import java.util.List;
// end::remote[]
import io.gomq.launcher.StandaloneBroker;
import io.gomq.launcher.config.LauncherConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The README's remote client snippet, run against a standalone broker on free ports. */
class ReadmeRemoteTest {

    @Test
    @Timeout(60)
    void remote(@TempDir Path dataDir) {
        LauncherConfig c = new LauncherConfig().bind("127.0.0.1").port(0).httpPort(0).wsPort(0);
        c.broker().dataDir(dataDir);
        try (StandaloneBroker broker = StandaloneBroker.start(c)) {
            String mqtt = "tcp://127.0.0.1:" + broker.mqttPort();
            URI http = URI.create("http://127.0.0.1:" + broker.httpPort() + "/");
            String got;
            // tag::remote[]
            // mqtt: the broker's MQTT address, "tcp://HOST:PORT" (a cluster: every node's, in any order); http: its HTTP API, for replay
            try (GoMqClient client = RemoteClient.connect(RemoteClientConfig.builder().servers(mqtt).http(http).build());
                 Consumer consumer = client.consumer()) {
                MessageStream messages = consumer.subscribe(List.of("A"), Qos.AT_LEAST_ONCE);
                client.producer().publish("A", "key", "hello world".getBytes(), Qos.AT_LEAST_ONCE, true).join(); // PUBACK came
                Delivery m = messages.poll(Duration.ofSeconds(5));
                System.out.println(m.topic() + " " + m.key() + " " + m.payloadAsString());    // A key hello world
                try (Replay log = client.replay("A", ReplayFrom.earliest())) {                // the log, then what comes
                    StoredMessage first = log.poll(Duration.ofSeconds(5));
                    System.out.println(first.offset() + " " + first.message().payloadAsString()); // 0 hello world
                // end::remote[]
                    got = m.key() + " " + first.offset() + " " + first.message().payloadAsString();
                // tag::remote[]
                }
            }
            // end::remote[]
            assertEquals("key 0 hello world", got);
        }
    }
}
