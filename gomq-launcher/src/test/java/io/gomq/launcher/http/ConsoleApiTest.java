package io.gomq.launcher.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.gomq.core.message.Message;
import io.gomq.core.message.Qos;
import io.gomq.launcher.StandaloneBroker;
import io.gomq.launcher.auth.PasswordHasher;
import io.gomq.launcher.testing.Await;
import io.gomq.launcher.testing.TestBrokers;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The web console's routes (page, files, /sessions, /log, /stats, /tail) against a real broker on 127.0.0.1. */
@Timeout(60)
class ConsoleApiTest {
    @TempDir
    Path dir;

    private StandaloneBroker broker;
    private final List<AutoCloseable> closeLast = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closeLast) {
            c.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    private ApiClient start() {
        broker = TestBrokers.start();
        return new ApiClient(broker.httpPort());
    }

    @Test
    void thePageAndItsFilesAreServedWithContentTypesAndCaching() throws Exception {
        ApiClient api = start();
        HttpResponse<String> page = api.get("/");
        assertEquals(200, page.statusCode());
        assertTrue(ApiClient.contentType(page).startsWith("text/html"), ApiClient.contentType(page));
        assertEquals("no-cache", page.headers().firstValue("cache-control").orElse(null));
        Matcher lib = Pattern.compile("/console/lib/uplot-[0-9.]+/uPlot\\.iife\\.min\\.js").matcher(page.body());
        assertTrue(lib.find(), page.body());

        HttpResponse<String> uplot = api.get(lib.group());
        assertEquals(200, uplot.statusCode());
        assertTrue(ApiClient.contentType(uplot).startsWith("text/javascript"));
        assertTrue(uplot.headers().firstValue("cache-control").orElse("").contains("immutable"));
        assertTrue(uplot.body().contains("uPlot"));

        HttpResponse<String> js = api.get("/console/console.js");
        assertEquals(200, js.statusCode());
        String etag = js.headers().firstValue("etag").orElseThrow();
        HttpResponse<String> again = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + broker.httpPort() + "/console/console.js"))
                .header("If-None-Match", etag).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(304, again.statusCode());
        assertEquals("", again.body());
        assertTrue(ApiClient.contentType(api.get("/console/console.css")).startsWith("text/css"));
        assertEquals(404, api.get("/console/../pom.xml").statusCode());
    }

    @Test
    void sessionsSayWhoIsConnectedSinceWhenWithTheirQueues() throws Exception {
        ApiClient api = start();
        long before = System.currentTimeMillis();
        MqttClient paho = new MqttClient(TestBrokers.tcpUri(broker), "who-1", new MemoryPersistence());
        closeLast.add(paho::close);
        paho.connect();
        closeLast.add(0, paho::disconnect);
        paho.subscribe("x/#", 1);

        JsonNode v = ApiClient.json(api.get("/sessions"));
        assertEquals(1, v.get("total").asInt());
        assertEquals(1, v.get("online").asInt());
        JsonNode s = v.get("sessions").get(0);
        assertEquals("who-1", s.get("clientId").asText());
        assertTrue(s.get("online").asBoolean());
        assertTrue(s.get("remoteAddress").asText().contains("127.0.0.1"), s.toString());
        assertTrue(s.get("protocol").asText().startsWith("mqtt"), s.toString());
        assertTrue(s.get("connectedAt").asLong() >= before - 1000, s.toString());
        assertEquals(1, s.get("subscriptions").asInt());
        assertEquals(0, s.get("queued").asInt());
        assertEquals(0, s.get("inFlight").asInt());
    }

    @Test
    void statsCountPublishesAndLogSaysMemoryOnly() {
        ApiClient api = start();
        assertFalse(ApiClient.json(api.get("/log")).get("persistent").asBoolean());
        long in = ApiClient.json(api.get("/stats")).get("messagesIn").asLong();
        assertEquals(200, api.post("/pub", "{\"topic\":\"s/1\",\"body\":\"x\",\"retain\":1}").statusCode());
        JsonNode stats = ApiClient.json(api.get("/stats"));
        assertEquals(in + 1, stats.get("messagesIn").asLong());
        assertEquals(1, stats.get("retained").asLong());
        assertEquals(ProcessHandle.current().pid(), stats.get("pid").asLong()); // the embedding JVM's
        JsonNode topic = ApiClient.json(api.get("/topics")).get("topics").get(0);
        assertEquals("s/1", topic.get("topic").asText());
        assertTrue(topic.get("retained").asBoolean());
    }

    @Test
    void ratesCountEveryPublishedMessagePerTopicOnceAsked() {
        ApiClient api = start();
        JsonNode first = ApiClient.json(api.get("/rates"));
        assertEquals(0, first.get("topics").size());
        Await.await("the counting subscription", () -> broker.engine().topicTree().subscriptionCount() == 1);
        for (int i = 0; i < 3; i++) {
            assertEquals(200, api.post("/pub", "{\"topic\":\"r/a\",\"body\":\"x\"}").statusCode());
        }
        api.post("/pub", "{\"topic\":\"r/b\",\"body\":\"x\"}");
        Await.await("3 messages of r/a and 1 of r/b counted", () -> {
            JsonNode v = ApiClient.json(api.get("/rates"));
            return v.get("since").asLong() == first.get("since").asLong()
                    && v.get("topics").toString().equals("[{\"topic\":\"r/a\",\"messages\":3},{\"topic\":\"r/b\",\"messages\":1}]");
        });
    }

    @Test
    void theDurableLogReportsSegmentsSizeAndCompression() {
        broker = TestBrokers.start(c -> c.broker().persistent(true).dataDir(dir.resolve("data")));
        ApiClient api = new ApiClient(broker.httpPort());
        // only retained messages (and QoS 1/2 for persistent sessions) are stored
        assertEquals(200, api.post("/pub", "{\"topic\":\"s/1\",\"body\":\"x\",\"retain\":1}").statusCode());
        JsonNode log = ApiClient.json(api.get("/log"));
        assertTrue(log.get("persistent").asBoolean());
        assertTrue(log.get("segments").asInt() >= 1, log.toString());
        assertTrue(log.get("records").asLong() >= 1, log.toString());
        assertTrue(log.get("endOffset").asLong() >= 1, log.toString());
        assertEquals(1, log.get("retained").asInt(), log.toString());
        assertTrue(log.get("compressionRatio").asDouble() >= 1.0, log.toString());
        assertTrue(log.has("disk"), log.toString());
    }

    @Test
    void aTailStreamsMatchingMessagesAsServerSentEventsAndEndsItsSessionWhenTheViewerLeaves() throws Exception {
        ApiClient api = start();
        Socket viewer = openTail("a/%23", 0);
        BufferedReader in = new BufferedReader(new InputStreamReader(viewer.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("HTTP/1.1 200 OK", in.readLine());
        List<String> headers = new ArrayList<>();
        for (String line; !(line = in.readLine()).isEmpty(); ) {
            headers.add(line.toLowerCase());
        }
        assertTrue(headers.contains("content-type: text/event-stream; charset=utf-8"), headers.toString());
        Await.await("the tail's subscription", () -> broker.engine().topicTree().subscriptionCount() == 1);

        api.post("/pub", "{\"topic\":\"other\",\"body\":\"not for the tail\"}");
        api.post("/pub", "{\"topic\":\"a/b\",\"body\":\"hello tail\",\"qos\":1}");
        String data = null;
        for (String line; (line = in.readLine()) != null; ) {
            assertFalse(line.contains("not for the tail"), line);
            if (line.startsWith("data: {")) {
                data = line;
                break;
            }
        }
        JsonNode event = new com.fasterxml.jackson.databind.ObjectMapper().readTree(data.substring(data.indexOf('{')));
        assertEquals("a/b", event.get("topic").asText());
        assertEquals("hello tail", event.get("body").asText());
        assertEquals(0, event.get("qos").asInt(), "a tail is a QoS 0 subscriber");
        assertEquals(1, ApiClient.json(api.get("/stats")).get("tailViewers").asInt());

        viewer.close();
        Await.await("the tail's session to end", () -> broker.engine().sessions().size() == 0
                && broker.engine().topicTree().subscriptionCount() == 0);
        Await.await("the viewer to be forgotten", () -> ApiClient.json(api.get("/stats")).get("tailViewers").asInt() == 0);
    }

    @Test
    void aViewerThatDoesNotReadLosesMessagesCountedAndIsToldOnceItReadsAgain() throws Exception {
        ApiClient api = start();
        Socket viewer = openTail("%23", 4096);
        closeLast.add(viewer);
        Await.await("the tail's subscription", () -> broker.engine().topicTree().subscriptionCount() == 1);
        byte[] payload = "x".repeat(2000).getBytes(StandardCharsets.UTF_8);
        // ~10 MB of events: more than the socket buffers and the viewer's write buffer hold
        for (int i = 0; i < 5_000; i++) {
            broker.engine().publish(Message.of("load/" + (i % 10), payload, Qos.AT_MOST_ONCE, false), null);
        }
        Await.await("drops counted for the stalled viewer",
                () -> ApiClient.json(api.get("/stats")).get("tailDropped").asLong() > 0);
        assertTrue(broker.metrics().scrape().contains("gomq_console_tail_dropped_total"));

        // the viewer reads again: the next delivery tells it how many it missed
        AtomicBoolean told = new AtomicBoolean();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(viewer.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.equals("event: dropped")) {
                        told.set(true);
                        return;
                    }
                }
            } catch (IOException closed) {
                // the test ended
            }
        }, "tail-reader");
        reader.setDaemon(true);
        reader.start();
        Await.await("an 'event: dropped' for the viewer", Duration.ofSeconds(30), () -> {
            broker.engine().publish(Message.of("load/more", new byte[] {'y'}, Qos.AT_MOST_ONCE, false), null);
            return told.get();
        });
    }

    @Test
    void aTailRefusesSharedInternalAndInvalidFilters() {
        ApiClient api = start();
        assertEquals(400, api.get("/tail").statusCode());
        assertEquals(400, api.get("/tail?filter=%24share%2Fg%2Fa").statusCode());
        assertEquals(400, api.get("/tail?filter=%24gomq%2F%23").statusCode());
        assertEquals(400, api.get("/tail?filter=a%2F%23%2Fb").statusCode());
        assertEquals(0, broker.engine().sessions().size());
    }

    @Test
    void withUsersThePageRatesAndTailNeedCredentialsTheClientListsTheAdminRoleAndStaticFilesNothing() throws IOException {
        Path users = dir.resolve("users");
        Files.write(users, List.of("alice:" + new PasswordHasher(1_000).hash("secret".toCharArray()),
                "root:" + new PasswordHasher(1_000).hash("toor".toCharArray()) + ":admin"));
        broker = TestBrokers.start(c -> c.usersFile(users).allowAnonymous(false));
        ApiClient anonymous = new ApiClient(broker.httpPort());
        for (String path : List.of("/", "/sessions", "/rates", "/tail?filter=%23")) {
            HttpResponse<String> r = anonymous.get(path);
            assertEquals(401, r.statusCode(), path);
            assertTrue(r.headers().firstValue("www-authenticate").orElse("").startsWith("Basic"), path);
        }
        assertEquals(200, anonymous.get("/console/console.js").statusCode());
        ApiClient alice = new ApiClient(broker.httpPort()).basic("alice", "secret");
        assertEquals(200, alice.get("/").statusCode());
        assertEquals(200, alice.get("/rates").statusCode());
        for (String adminOnly : List.of("/sessions", "/stats", "/log")) {
            assertEquals(403, alice.get(adminOnly).statusCode(), adminOnly);
        }
        ApiClient root = new ApiClient(broker.httpPort()).basic("root", "toor");
        assertEquals(200, root.get("/sessions").statusCode());
        assertEquals(200, root.get("/stats").statusCode());
    }

    @Test
    void withTopicRulesATailDeliversOnlyWhatItsViewerMayRead() throws Exception {
        Path users = dir.resolve("users");
        Files.write(users, List.of("alice:" + new PasswordHasher(1_000).hash("secret".toCharArray())));
        Path acl = dir.resolve("acl");
        Files.write(acl, List.of("user alice", "topic read public/#"));
        broker = TestBrokers.start(c -> c.usersFile(users).allowAnonymous(false).aclFile(acl));
        Socket viewer = openTail("%23", 0, "alice:secret");
        closeLast.add(viewer);
        BufferedReader in = new BufferedReader(new InputStreamReader(viewer.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("HTTP/1.1 200 OK", in.readLine());
        Await.await("the tail's subscription", () -> broker.engine().topicTree().subscriptionCount() == 1);
        broker.engine().publish(Message.of("secret/x", "hidden".getBytes(StandardCharsets.UTF_8), Qos.AT_MOST_ONCE, false), null);
        broker.engine().publish(Message.of("public/x", "shown".getBytes(StandardCharsets.UTF_8), Qos.AT_MOST_ONCE, false), null);
        for (String line; (line = in.readLine()) != null; ) {
            assertFalse(line.contains("hidden"), line);
            if (line.startsWith("data: {")) {
                assertTrue(line.contains("\"topic\":\"public/x\""), line); // the first message it may read, in order
                return;
            }
        }
        throw new AssertionError("the tail ended without a message");
    }

    /** A raw connection that asks for a tail; {@code receiveBuffer} > 0 makes its socket buffer small. */
    private Socket openTail(String encodedFilter, int receiveBuffer) throws IOException {
        return openTail(encodedFilter, receiveBuffer, null);
    }

    /** @param userColonPassword Basic credentials, or null */
    private Socket openTail(String encodedFilter, int receiveBuffer, String userColonPassword) throws IOException {
        Socket s = new Socket();
        if (receiveBuffer > 0) {
            s.setReceiveBufferSize(receiveBuffer);
        }
        s.connect(new java.net.InetSocketAddress("127.0.0.1", broker.httpPort()), 5_000);
        s.setSoTimeout(10_000);
        OutputStream out = s.getOutputStream();
        String credentials = userColonPassword == null ? "" : "Authorization: Basic "
                + java.util.Base64.getEncoder().encodeToString(userColonPassword.getBytes(StandardCharsets.UTF_8)) + "\r\n";
        out.write(("GET /tail?filter=" + encodedFilter + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                + credentials + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return s;
    }
}
