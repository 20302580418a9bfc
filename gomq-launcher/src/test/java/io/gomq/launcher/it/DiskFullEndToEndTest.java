package io.gomq.launcher.it;

import io.gomq.core.testing.SmallFileSystem;
import io.gomq.launcher.StandaloneBroker;
import io.gomq.launcher.config.LauncherConfig;
import io.gomq.testing.ManualClock;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.gomq.launcher.testing.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The issue "Reliability at the edges" over real MQTT: the data directory on a small tmpfs, a
 * persistent QoS 1 session offline, unique 50 KB QoS 1 messages published until the broker stops
 * acknowledging. Every acknowledged message must reach the session live, and after a restart with
 * more space; the broker must start on a full disk and take writes again by itself.
 */
class DiskFullEndToEndTest {
    private static final Logger LOG = LoggerFactory.getLogger(DiskFullEndToEndTest.class);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path tmp;

    private static LauncherConfig config(Path data) {
        LauncherConfig c = new LauncherConfig().bind("127.0.0.1").port(0).httpPort(0).wsPort(0); // 9001 (the WebSocket default) may be taken
        c.broker().dataDir(data).diskFullTimeoutMs(3_000); // disk-reserve-bytes: the automatic default
        return c;
    }

    private static String payload(int i) {
        return "m" + i + ";" + "x".repeat(50 * 1024);
    }

    private static int id(PahoClients.Received r) {
        return Integer.parseInt(r.payload().substring(1, r.payload().indexOf(';')));
    }

    /** Publishes unique 50 KB QoS 1 messages until one is not acknowledged within 2 s; returns how many were. */
    private static int publishUntilRefused(StandaloneBroker broker, String clientId) throws Exception {
        MqttConnectOptions o = PahoClients.options(true);
        try (PahoClients pub = PahoClients.connect("tcp://127.0.0.1:" + broker.mqttPort(), clientId, o)) {
            pub.client.setTimeToWait(2_000);
            int acked = 0;
            while (true) {
                try {
                    pub.publish("load/" + (acked % 8), payload(acked), 1, false);
                } catch (MqttException e) {
                    break; // no PUBACK: the disk is below its reserve
                }
                acked++;
                if (acked > 10_000) {
                    throw new AssertionError("never refused");
                }
            }
            // the refused publish waits (reads paused) until disk-full-timeout-ms, then the connection closes
            await("the waiting publisher's connection closed", Duration.ofSeconds(15), () -> pub.lost.get() != null);
            return acked;
        }
    }

    private static Set<Integer> receive(PahoClients c, int count) throws InterruptedException {
        Set<Integer> ids = new TreeSet<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (ids.size() < count && System.nanoTime() < deadline) {
            PahoClients.Received r = c.poll(500);
            if (r != null) {
                ids.add(id(r));
            }
        }
        return ids;
    }

    private static HttpResponse<String> get(StandaloneBroker b, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + b.httpPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> pub(StandaloneBroker b, String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + b.httpPort() + "/pub"))
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void subscribeAndLeave(StandaloneBroker b, String clientId) throws Exception {
        try (PahoClients c = PahoClients.connect(b, clientId, false)) {
            c.client.subscribe("load/#", 1);
        }
    }

    @Test
    @Timeout(300)
    void shouldDeliverEveryAcknowledgedMessageLiveAndAfterARestartWithMoreSpace() throws Exception {
        try (SmallFileSystem fs = SmallFileSystem.mount(tmp, 48)) {
            Path data = fs.dir().resolve("data");
            int acked;
            Set<Integer> live;
            try (StandaloneBroker broker = StandaloneBroker.start(config(data))) {
                subscribeAndLeave(broker, "live");
                subscribeAndLeave(broker, "late");
                acked = publishUntilRefused(broker, "publisher");
                assertTrue(acked > 100, "acknowledged " + acked);

                String health = get(broker, "/health").body();
                assertTrue(health.contains("\"disk\":\"low\""), health);
                HttpResponse<String> refused = pub(broker, "{\"topic\":\"load/http\",\"body\":\"b\",\"qos\":1,\"retain\":1}");
                assertEquals(507, refused.statusCode(), refused.body());
                String metrics = get(broker, "/metrics").body();
                assertTrue(metrics.contains("gomq_disk_free_bytes"), "free-space gauge");
                assertTrue(metrics.matches("(?s).*gomq_disk_refused_appends_total [1-9].*"), "refusal counter");
                assertTrue(metrics.matches("(?s).*gomq_disk_disconnects_total [1-9].*"), "disconnect counter");

                try (PahoClients clean = PahoClients.connect(broker, "clean", true)) {
                    clean.client.subscribe("q", 0);
                    clean.publish("q", "qos0", 0, false);
                    assertEquals("qos0", clean.next().payload(), "QoS 0 to a clean session needs no disk");
                }
                try (PahoClients c = PahoClients.connect(broker, "live", false)) {
                    live = receive(c, acked);
                }
            }
            fs.resize(96);
            Set<Integer> afterRestart;
            try (StandaloneBroker broker = StandaloneBroker.start(config(data));
                 PahoClients c = PahoClients.connect(broker, "late", false)) {
                afterRestart = receive(c, acked);
            }
            Set<Integer> all = IntStream.range(0, acked).boxed().collect(Collectors.toCollection(TreeSet::new));
            Set<Integer> lost = new TreeSet<>(all);
            lost.removeAll(afterRestart);
            String figures = "DISK-FULL FIGURES (48 MB tmpfs, 50 KB QoS 1): acknowledged=" + acked + " deliveredLive="
                    + live.size() + " deliveredAfterRestart=" + afterRestart.size() + " lost=" + lost.size();
            LOG.info(figures);
            System.out.println(figures);
            assertEquals(all, live, "every acknowledged message delivered live");
            assertEquals(all, afterRestart, "every acknowledged message delivered after the restart");
        }
    }

    @Test
    @Timeout(300)
    void shouldStartOnAFullDiskAndTakeWritesAgainWhenSpaceReturns() throws Exception {
        try (SmallFileSystem fs = SmallFileSystem.mount(tmp, 16)) {
            Path data = fs.dir().resolve("data");
            try (StandaloneBroker broker = StandaloneBroker.start(config(data))) {
                subscribeAndLeave(broker, "away");
                publishUntilRefused(broker, "publisher");
            }
            fs.fillTo(0);
            LauncherConfig patient = config(data);
            patient.broker().diskFullTimeoutMs(120_000);
            try (StandaloneBroker broker = StandaloneBroker.start(patient);
                 PahoClients waiting = PahoClients.connect(broker, "waiting", true)) {
                assertEquals(0, fs.freeBytes(), "starting on a full disk wrote nothing");
                waiting.client.setTimeToWait(120_000);
                java.util.concurrent.CompletableFuture<Void> acked = java.util.concurrent.CompletableFuture.runAsync(() -> {
                    try {
                        waiting.publish("load/2", "m7777;held", 1, false); // returns once acknowledged
                    } catch (MqttException e) {
                        throw new java.util.concurrent.CompletionException(e);
                    }
                });
                await("the publish waits for disk space", Duration.ofSeconds(10), () -> {
                    try {
                        return get(broker, "/metrics").body().matches("(?s).*gomq_disk_waits_total [1-9].*");
                    } catch (Exception e) {
                        return false;
                    }
                });
                assertTrue(get(broker, "/health").body().contains("\"disk\":\"low\""));
                assertEquals(507, pub(broker, "{\"topic\":\"load/x\",\"body\":\"b\",\"qos\":1,\"retain\":1}").statusCode());
                HttpResponse<String> stored = get(broker, "/messages?topic=load/0&from=0&limit=2");
                assertEquals(200, stored.statusCode(), "reads work on a full disk");
                assertTrue(stored.body().contains("m0;"), stored.body());

                fs.freeBallast();
                fs.resize(64);
                await("disk ok again", Duration.ofSeconds(20), () -> {
                    try {
                        return get(broker, "/health").body().contains("\"disk\":\"ok\"");
                    } catch (Exception e) {
                        return false;
                    }
                });
                acked.get(30, java.util.concurrent.TimeUnit.SECONDS); // the held publish ran again and got its PUBACK
                assertEquals(null, waiting.lost.get(), "the waiting publisher was paced, not disconnected");
                assertTrue(get(broker, "/messages?topic=load/2&from=0&limit=1000").body().contains("m7777;held"));
                HttpResponse<String> ok = pub(broker, "{\"topic\":\"load/x\",\"body\":\"b\",\"qos\":1,\"retain\":1}");
                assertEquals(200, ok.statusCode(), ok.body());
                try (PahoClients p = PahoClients.connect(broker, "again", true)) {
                    p.publish("load/1", payload(-1).replace("m-1;", "m9999;"), 1, false); // returns once acknowledged
                }
            }
        }
    }

    @Test
    @Timeout(120)
    void shouldTellAnMqtt5PublisherQuotaExceededWhenTheDiskStaysFull() throws Exception {
        try (SmallFileSystem fs = SmallFileSystem.mount(tmp, 16)) {
            LauncherConfig c = config(fs.dir().resolve("data"));
            ManualClock clock = new ManualClock(); // the disk wait's timeout runs on it: the test advances it
            c.broker().diskFullTimeoutMs(60_000).clock(clock);
            try (StandaloneBroker broker = StandaloneBroker.start(c)) {
                subscribeAndLeave(broker, "away");
                fs.fillTo(0);
                await("disk low", Duration.ofSeconds(10), () -> {
                    try {
                        return get(broker, "/health").body().contains("\"disk\":\"low\"");
                    } catch (Exception e) {
                        return false;
                    }
                });
                java.util.concurrent.CompletableFuture<Throwable> cause = new java.util.concurrent.CompletableFuture<>();
                com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient v5 = com.hivemq.client.mqtt.mqtt5.Mqtt5Client.builder()
                        .identifier("v5").serverHost("127.0.0.1").serverPort(broker.mqttPort())
                        .addDisconnectedListener(ctx -> cause.complete(ctx.getCause())).buildBlocking();
                v5.connect();
                var ack = v5.toAsync().publishWith().topic("load/v5").qos(com.hivemq.client.mqtt.datatypes.MqttQos.AT_LEAST_ONCE)
                        .payload("m1;".getBytes(StandardCharsets.UTF_8)).send();
                await("the publish waits for disk space", Duration.ofSeconds(20),
                        () -> broker.transportMetrics().diskFullWaits.sum() == 1);
                clock.advance(Duration.ofSeconds(60)); // real time never reaches the timeout here: only this ends the wait
                Throwable why = cause.get(20, java.util.concurrent.TimeUnit.SECONDS);
                assertTrue(why instanceof com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException, String.valueOf(why));
                assertEquals(com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode.QUOTA_EXCEEDED,
                        ((com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException) why).getMqttMessage().getReasonCode());
                assertTrue(ack.isCompletedExceptionally() || !ack.isDone() || ack.join().getError().isPresent(),
                        "the publish was never acknowledged");
            }
        }
    }
}
