package io.gomq.launcher.it;

import io.gomq.launcher.StandaloneBroker;
import io.gomq.launcher.testing.Await;
import io.gomq.launcher.testing.TestBrokers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Eclipse Mosquitto command-line clients ({@code mosquitto_pub}, {@code mosquitto_sub} from the
 * mosquitto-clients package) speaking MQTT 5 to the broker. Skipped where they are not installed.
 */
@Timeout(60)
class MosquittoClientsTest {
    @BeforeAll
    static void clientsInstalled() {
        assumeTrue(onPath("mosquitto_pub") && onPath("mosquitto_sub"), "mosquitto-clients is not installed");
    }

    @Test
    void userPropertyFromMosquittoPubReachesMosquittoSub() throws Exception {
        try (StandaloneBroker broker = TestBrokers.start()) {
            String port = Integer.toString(broker.mqttPort());
            Process sub = start("mosquitto_sub", "-V", "mqttv5", "-h", "127.0.0.1", "-p", port, "-i", "mosq-sub",
                    "-t", "cli/t", "-q", "1", "-C", "1", "-W", "30", "-F", "%t %p %P");
            try (BufferedReader out = reader(sub)) {
                // its output is block-buffered in a pipe: the broker tells when the subscription is in place
                Await.await("mosquitto_sub subscribed", () -> broker.engine().topicTree().subscriptionCount() == 1);
                Process pub = start("mosquitto_pub", "-V", "mqttv5", "-h", "127.0.0.1", "-p", port, "-i", "mosq-pub",
                        "-t", "cli/t", "-m", "hi", "-q", "1", "-D", "publish", "user-property", "a", "b");
                assertEquals(0, exitCode(pub), "mosquitto_pub: " + output(pub));
                assertEquals("cli/t hi a:b", lineStartingWith(out, "cli/")); // topic, payload, user property name:value
                assertEquals(0, exitCode(sub));
            } finally {
                sub.destroyForcibly();
            }
        }
    }

    @Test
    void retainedQos2MessageKeepsItsPropertiesForALaterMosquittoSub() throws Exception {
        try (StandaloneBroker broker = TestBrokers.start()) {
            retainedMessageRoundTrip(Integer.toString(broker.mqttPort()));
        }
    }

    private static void retainedMessageRoundTrip(String port) throws Exception {
        Process pub = start("mosquitto_pub", "-V", "mqttv5", "-h", "127.0.0.1", "-p", port, "-i", "mosq-pub2",
                "-t", "cli/kept", "-m", "kept", "-q", "2", "-r",
                "-D", "publish", "content-type", "text/plain", "-D", "publish", "message-expiry-interval", "600");
        assertEquals(0, exitCode(pub), "mosquitto_pub: " + output(pub)); // it exits after PUBCOMP
        Process sub = start("mosquitto_sub", "-V", "mqttv5", "-h", "127.0.0.1", "-p", port, "-i", "mosq-sub2",
                "-t", "cli/#", "-C", "1", "-W", "30", "-D", "subscribe", "subscription-identifier", "7",
                "-F", "%j");
        try (BufferedReader out = reader(sub)) {
            String json = lineStartingWith(out, "{");
            assertTrue(json.contains("\"topic\":\"cli/kept\"") && json.contains("\"retain\":1")
                    && json.contains("\"payload\":\"kept\""), json);
            assertTrue(json.contains("\"content-type\":\"text/plain\"") && json.contains("\"subscription-identifier\":7"),
                    json);
            assertTrue(json.matches(".*\"message-expiry-interval\":(59\\d|600)[,}].*"), json);
            assertEquals(0, exitCode(sub));
        } finally {
            sub.destroyForcibly();
        }
    }

    private static Process start(String... command) throws IOException {
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    private static BufferedReader reader(Process p) {
        return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    }

    private static int exitCode(Process p) throws InterruptedException {
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(p.info().command().orElse("process") + " did not exit within 20 s");
        }
        return p.exitValue();
    }

    private static String output(Process p) {
        try (BufferedReader r = reader(p)) {
            return String.join("\n", r.lines().toList());
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** Reads lines until one starts with {@code prefix}; fails at end of output, with what was read. */
    private static String lineStartingWith(BufferedReader out, String prefix) throws IOException {
        List<String> seen = new ArrayList<>();
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith(prefix)) {
                return line;
            }
            seen.add(line);
        }
        fail("no line starting with '" + prefix + "' in " + seen);
        return null;
    }

    private static boolean onPath(String binary) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (new File(dir, binary).canExecute()) {
                return true;
            }
        }
        return false;
    }
}
