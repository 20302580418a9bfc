package io.gomq.launcher.it;

import io.gomq.launcher.StandaloneBroker;
import io.gomq.launcher.cli.GomqCtl;
import io.gomq.launcher.config.LauncherConfig;
import io.gomq.launcher.testing.Await;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The standalone broker with its durable log, driven by real clients: gomqctl, Paho, and the real main in a child JVM. */
class StandaloneEndToEndTest {
    @TempDir
    Path dir;

    private LauncherConfig persistentConfig() {
        LauncherConfig c = new LauncherConfig().bind("127.0.0.1").port(0).httpPort(0).wsPort(0);
        c.broker().dataDir(dir.resolve("data"));
        return c;
    }

    private record Ctl(int code, String out, String err) {
    }

    private static Ctl gomqctl(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = GomqCtl.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintWriter(out, true), new PrintWriter(err, true));
        return new Ctl(code, out.toString(), err.toString());
    }

    @Test
    @Timeout(60)
    void shouldPublishSubscribeAndListWithGomqctl() throws Exception {
        try (StandaloneBroker broker = StandaloneBroker.start(persistentConfig())) {
            String connect = "127.0.0.1:" + broker.mqttPort();
            String http = "127.0.0.1:" + broker.httpPort();
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                Future<Ctl> sub = pool.submit(() -> gomqctl("", "--connect", connect, "--topic", "A", "--qos", "1", "sub", "--count", "2"));
                Await.await("subscriber connected", () -> broker.engine().topicTree().subscriptionCount() == 1);
                Ctl pub = gomqctl("", "--connect", connect, "--topic", "A", "--qos", "1", "--retain", "1", "pub", "hello", "world", "everyone");
                assertEquals(0, pub.code(), pub.err());
                Ctl pubLines = gomqctl("second line\n", "--connect", connect, "--topic", "A", "--qos", "1", "pub", "-");
                assertEquals(0, pubLines.code(), pubLines.err());
                Ctl got = sub.get(20, TimeUnit.SECONDS);
                assertEquals(0, got.code(), got.err());
                assertEquals("A\thello world everyone\nA\tsecond line\n", got.out());
            } finally {
                pool.shutdownNow();
            }
            Ctl list = gomqctl("", "--connect", connect, "--http", http, "--topic", "A", "list");
            assertEquals(0, list.code(), list.err());
            assertTrue(list.out().contains("hello world everyone"), list.out());
            Ctl replay = gomqctl("", "--connect", connect, "--http", http, "--topic", "A", "sub", "--from", "earliest", "--count", "1");
            assertEquals("A\thello world everyone\n", replay.out(), replay.err());
            Ctl version = gomqctl("", "version");
            assertEquals(0, version.code());
            assertTrue(version.out().toLowerCase().contains("gomq"), version.out());
        }
        Ctl unreachable = gomqctl("", "--connect", "127.0.0.1:1", "--topic", "A", "pub", "x");
        assertTrue(unreachable.code() != 0 && !unreachable.err().isBlank(), "clear failure when the broker is unreachable");
    }

    @Test
    @Timeout(60)
    void shouldResumePersistentSessionAcrossBrokerRestart() throws Exception {
        try (StandaloneBroker broker = StandaloneBroker.start(persistentConfig())) {
            try (PahoClients sub = PahoClients.connect(broker, "restart-sub", false)) {
                sub.client.subscribe("jobs/#", 1);
            }
            try (PahoClients pub = PahoClients.connect(broker, "restart-pub", true)) {
                for (int i = 0; i < 50; i++) {
                    pub.publish("jobs/" + (i % 3), "job-" + i, 1, false); // returns after the PUBACK
                }
            }
        }
        try (StandaloneBroker broker = StandaloneBroker.start(persistentConfig());
             PahoClients sub = PahoClients.connect(broker, "restart-sub", false)) {
            List<String> got = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                got.add(sub.next().payload());
            }
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                expected.add("job-" + i);
            }
            assertEquals(expected, got);
        }
    }

    @Test
    @Timeout(60)
    void shouldShutDownCleanlyOnSigtermAndKeepRetainedMessages() throws Exception {
        Path data = dir.resolve("sigterm-data");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!a.startsWith("-agentlib") && !a.startsWith("-javaagent") && !a.startsWith("-Xmx")) {
                cmd.add(a);
            }
        }
        cmd.addAll(List.of("-Xmx256m", "-cp", System.getProperty("java.class.path"), "io.gomq.launcher.Main",
                "--bind", "127.0.0.1", "--port", "0", "--http-port", "0", "--ws-port", "0", "--data-dir", data.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<String> output = new CopyOnWriteArrayList<>();
        Pattern ready = Pattern.compile("GoMQ ready in (\\d+) ms: mqtt=127\\.0\\.0\\.1:(\\d+)");
        int port = -1;
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        try {
            for (String line; (line = r.readLine()) != null; ) {
                output.add(line);
                Matcher m = ready.matcher(line);
                if (m.find()) {
                    port = Integer.parseInt(m.group(2));
                    // how fast it starts is a figure for the benchmarks and notes, not a unit test's assertion
                    break;
                }
            }
            assertTrue(port > 0, "no ready line: " + output);
            MqttClient pub = new MqttClient("tcp://127.0.0.1:" + port, "sigterm-pub", new MemoryPersistence());
            pub.connect();
            MqttMessage keep = new MqttMessage("kept".getBytes());
            keep.setRetained(true);
            keep.setQos(1);
            pub.publish("state/door", keep);
            pub.disconnect();
            pub.close();
            p.toHandle().destroy(); // SIGTERM; unlike Process.destroy it leaves our end of stdout open
            Thread drain = new Thread(() -> r.lines().forEach(output::add));
            drain.start();
            assertTrue(p.waitFor(15, TimeUnit.SECONDS), "broker did not stop on SIGTERM");
            drain.join(5_000);
        } finally {
            p.destroyForcibly();
        }
        assertTrue(output.stream().anyMatch(l -> l.contains("GoMQ stopped")), "clean shutdown logged: " + output);
        LauncherConfig again = new LauncherConfig().bind("127.0.0.1").port(0).httpPort(0).wsPort(0);
        again.broker().dataDir(data);
        try (StandaloneBroker broker = StandaloneBroker.start(again)) {
            assertEquals("kept", broker.engine().retained().get("state/door").payloadAsString());
        }
    }
}
