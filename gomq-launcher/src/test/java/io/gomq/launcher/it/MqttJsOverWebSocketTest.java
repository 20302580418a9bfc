package io.gomq.launcher.it;

import io.gomq.launcher.StandaloneBroker;
import io.gomq.launcher.testing.Await;
import io.gomq.launcher.testing.TestBrokers;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * MQTT.js, the client browsers use, with node: MQTT 3.1.1 and 5 over ws://, MQTT 5 over TCP. Skipped (not failed) where node or
 * npm is missing or MQTT.js cannot be installed (no npm registry and nothing cached): npm
 * installs it once into target/mqttjs from its cache or the registry, later runs reuse it.
 */
@Timeout(120)
class MqttJsOverWebSocketTest {
    private static final String MQTT_JS = "mqtt@5.16.0";
    private static final Path DIR = Path.of("target", "mqttjs");

    @ParameterizedTest(name = "{0} MQTT level {1}")
    @CsvSource({"ws, 4", "ws, 5", "tcp, 5"})
    void mqttJsClientSubscribesAndPublishes(String transport, int level) throws Exception {
        Path script = installMqttJs();
        try (StandaloneBroker broker = TestBrokers.start()) {
            Mqtt5BlockingClient java = Mqtt5Client.builder().identifier("java-" + transport + level)
                    .serverHost("127.0.0.1").serverPort(broker.mqttPort()).buildBlocking();
            java.connect();
            String url = transport.equals("ws") ? "ws://127.0.0.1:" + broker.wsPort() + "/mqtt"
                    : "mqtt://127.0.0.1:" + broker.mqttPort();
            Process node = new ProcessBuilder("node", script.getFileName().toString(), url, String.valueOf(level))
                    .directory(DIR.toFile()).redirectErrorStream(true).start();
            List<String> lines = new CopyOnWriteArrayList<>();
            Thread pump = pump(node.getInputStream(), lines);
            try (Mqtt5BlockingClient.Mqtt5Publishes publishes = java.publishes(MqttGlobalPublishFilter.ALL)) {
                java.subscribeWith().topicFilter("js/out").qos(MqttQos.AT_LEAST_ONCE).send();
                Await.await("MQTT.js to subscribe: " + lines, () -> lines.contains("subscribed") || !node.isAlive());
                java.publishWith().topic("js/in").qos(MqttQos.AT_LEAST_ONCE).payload("from-java".getBytes())
                        .userProperties().add("k", "v").applyUserProperties().send();
                Mqtt5Publish echo = publishes.receive(10, TimeUnit.SECONDS).orElseThrow(() -> new AssertionError("no echo: " + lines));
                assertEquals(level == 5 ? "echo:from-java|v" : "echo:from-java",
                        new String(echo.getPayloadAsBytes(), StandardCharsets.UTF_8), String.valueOf(lines));
                assertEquals(MqttQos.AT_LEAST_ONCE, echo.getQos());
                assertEquals(level == 5 ? "[from=js]" : "[]", echo.getUserProperties().asList().stream()
                        .map(u -> u.getName() + "=" + u.getValue()).toList().toString());
                assertEquals(0, node.waitFor(10, TimeUnit.SECONDS) ? node.exitValue() : -1, "node: " + lines);
            } finally {
                java.disconnect();
                node.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                pump.join(5_000);
            }
        }
    }

    /** Copies the script next to node_modules; installs MQTT.js there unless it is already. */
    private static Path installMqttJs() throws Exception {
        Assumptions.assumeTrue(onPath("node") && onPath("npm"), "node and npm are not installed");
        Files.createDirectories(DIR);
        Path script = DIR.resolve("ws-echo.js");
        try (InputStream in = MqttJsOverWebSocketTest.class.getResourceAsStream("/mqttjs/ws-echo.js")) {
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.exists(DIR.resolve("node_modules/mqtt/package.json"))) {
            // no retries and a short fetch timeout: without the registry this fails fast and the test is skipped
            Process npm = new ProcessBuilder("npm", "install", "--no-save", "--no-audit", "--no-fund", "--prefer-offline",
                    "--fetch-retries=0", "--fetch-timeout=20000", MQTT_JS)
                    .directory(DIR.toFile()).redirectErrorStream(true).redirectOutput(DIR.resolve("npm.log").toFile()).start();
            boolean done = npm.waitFor(90, TimeUnit.SECONDS);
            if (!done) {
                npm.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            Assumptions.assumeTrue(done && npm.exitValue() == 0, "cannot install " + MQTT_JS + ", see " + DIR.resolve("npm.log"));
        }
        return script;
    }

    private static boolean onPath(String command) {
        try {
            Process p = new ProcessBuilder(command, "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Thread pump(InputStream in, List<String> lines) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // node ended
            }
        }, "mqttjs-out");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
