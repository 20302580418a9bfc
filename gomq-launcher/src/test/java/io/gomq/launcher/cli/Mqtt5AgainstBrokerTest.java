package io.gomq.launcher.cli;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.gomq.launcher.StandaloneBroker;
import io.gomq.launcher.config.LauncherConfig;
import io.gomq.launcher.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * gomqctl's MQTT 5 options through the real broker, checked with HiveMQ's MQTT 5 client on the
 * other side (they pass against Mosquitto 2.0 too).
 */
@Timeout(60)
class Mqtt5AgainstBrokerTest {
    @TempDir
    Path dir;

    private StandaloneBroker broker;
    private Map<String, String> env;
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final List<Mqtt5BlockingClient> clients = new ArrayList<>();

    @BeforeEach
    void start() {
        LauncherConfig config = new LauncherConfig().bind("127.0.0.1").port(0).httpPort(0).wsPort(0);
        config.broker().dataDir(dir.resolve("data"));
        broker = StandaloneBroker.start(config);
        env = Map.of("GOMQ_CONNECT", "127.0.0.1:" + broker.mqttPort(), "GOMQ_HTTP", "127.0.0.1:" + broker.httpPort());
    }

    @AfterEach
    void stop() {
        pool.shutdownNow();
        clients.forEach(c -> c.disconnect());
        broker.close();
    }

    private CtlRun run(String... args) {
        return CtlRun.of(env, args);
    }

    private Mqtt5BlockingClient client(String id) {
        Mqtt5BlockingClient c = Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1")
                .serverPort(broker.mqttPort()).buildBlocking();
        c.connect();
        clients.add(c);
        return c;
    }

    @Test
    void pubSendsItsPropertiesToAnMqtt5Subscriber() throws Exception {
        Mqtt5BlockingClient sub = client("v5-sub");
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = sub.publishes(MqttGlobalPublishFilter.ALL)) {
            sub.subscribeWith().topicFilter("A").qos(MqttQos.AT_LEAST_ONCE).send();
            CtlRun pub = run("--protocol", "5", "--topic", "A", "--qos", "1", "pub", "--user-property", "src=door",
                    "--user-property", "src=2", "--expiry", "600", "--response-topic", "r/1", "--content-type", "text/plain",
                    "hello", "v5");
            assertEquals(0, pub.code(), pub.err());
            Optional<Mqtt5Publish> got = publishes.receive(10, TimeUnit.SECONDS);
            assertTrue(got.isPresent(), "delivered");
            Mqtt5Publish p = got.get();
            assertEquals("hello v5", new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8));
            assertEquals(List.of("src=door", "src=2"), p.getUserProperties().asList().stream()
                    .map(u -> u.getName() + "=" + u.getValue()).toList());
            assertTrue(p.getMessageExpiryInterval().isPresent() && p.getMessageExpiryInterval().getAsLong() <= 600);
            assertEquals("r/1", p.getResponseTopic().orElseThrow().toString());
            assertEquals("text/plain", p.getContentType().orElseThrow().toString());
        }
    }

    @Test
    void subVerbosePrintsTheMessagesProperties() throws Exception {
        Future<CtlRun> sub = pool.submit(() -> run("--protocol", "5", "--topic", "A", "sub", "-v", "--count", "1"));
        Await.await("gomqctl subscribed", () -> broker.engine().topicTree().subscriptionCount() == 1);
        client("v5-pub").publishWith().topic("A").payload("hi".getBytes(StandardCharsets.UTF_8))
                .qos(MqttQos.AT_LEAST_ONCE).contentType("text/plain").responseTopic("r/1")
                .userProperties().add("k", "v").add("k", "w").applyUserProperties().send();
        CtlRun r = sub.get(20, TimeUnit.SECONDS);
        assertEquals(0, r.code(), r.err());
        assertEquals("A\thi\tcontent-type=text/plain\tresponse-topic=r/1\tuser-property=k=v\tuser-property=k=w\n", r.out());
    }

    @Test
    void sharedSubscribersOverBothProtocolsTakeTurns() throws Exception {
        Future<CtlRun> v311 = pool.submit(() -> run("--topic", "jobs", "--qos", "1", "sub", "--share", "g", "--count", "2"));
        Future<CtlRun> v5 = pool.submit(() -> run("--protocol", "5", "--topic", "jobs", "--qos", "1", "sub", "--share", "g",
                "--count", "2"));
        // Publish until both members have taken two; messages sent before they subscribed reach nobody.
        for (int i = 0; i < 200 && !(v311.isDone() && v5.isDone()); i++) {
            assertEquals(0, run("--topic", "jobs", "--qos", "1", "pub", "job-" + i).code());
        }
        CtlRun a = v311.get(20, TimeUnit.SECONDS);
        CtlRun b = v5.get(20, TimeUnit.SECONDS);
        assertEquals(0, a.code(), a.err());
        assertEquals(0, b.code(), b.err());
        Set<String> lines = new HashSet<>(List.of((a.out() + b.out()).split("\n")));
        assertEquals(4, lines.size(), "each job went to one member only: " + a.out() + " / " + b.out());
    }
}
