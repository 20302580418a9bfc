package io.gomq.launcher.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.gomq.client.Consumer;
import io.gomq.client.Delivery;
import io.gomq.client.MessageStream;
import io.gomq.client.Qos;
import io.gomq.core.config.BrokerConfig;
import io.gomq.core.engine.BrokerEngine;
import io.gomq.core.message.Message;
import io.gomq.embedded.internal.EmbeddedBroker;
import io.gomq.launcher.NodeStatus;
import io.gomq.launcher.config.LauncherConfig;
import io.gomq.launcher.metrics.BrokerMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every route against a memory-only broker, through a real server on 127.0.0.1. */
@Timeout(30)
class HttpApiServerTest {
    private static final int MAX_PAYLOAD = 1024;

    private EmbeddedBroker broker;
    private HttpApiServer server;
    private ApiClient api;
    private int port;
    private final AtomicReference<NodeStatus> status = new AtomicReference<>();

    @BeforeEach
    void start() {
        broker = EmbeddedBroker.start(BrokerConfig.defaults().persistent(false).maxPayloadBytes(MAX_PAYLOAD), BrokerEngine::open);
        status.set(NodeStatus.standalone("node-1", 9100, 0, -1));
        server = new HttpApiServer(broker.engine(), new LauncherConfig(), new BrokerMetrics(broker.engine()), status::get);
        port = server.start("127.0.0.1", 0);
        api = new ApiClient(port);
    }

    @AfterEach
    void stop() {
        server.close();
        broker.close();
    }

    @Test
    void startReturnsTheBoundPortAndRefusesASecondStart() {
        assertTrue(port > 0);
        assertThrows(IllegalStateException.class, () -> server.start("127.0.0.1", 0));
    }

    @Test
    void startOnAPortInUseFailsWithTheAddress() {
        try (HttpApiServer second = new HttpApiServer(broker.engine(), new LauncherConfig(),
                new BrokerMetrics(broker.engine()), status::get)) {
            RuntimeException e = assertThrows(RuntimeException.class, () -> second.start("127.0.0.1", port));
            assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
        }
    }

    @Test
    void versionIsJsonWithNameAndVersion() {
        HttpResponse<String> r = api.get("/version");
        assertEquals(200, r.statusCode());
        assertTrue(ApiClient.contentType(r).startsWith("application/json"), ApiClient.contentType(r));
        JsonNode n = ApiClient.json(r);
        assertEquals("gomq", n.get("name").asText());
        assertFalse(n.get("version").asText().isBlank());
    }

    @Test
    void versionIsPlainTextWhenOnlyTextIsAccepted() {
        HttpResponse<String> r = api.get("/version", "text/plain");
        assertEquals(200, r.statusCode());
        assertTrue(ApiClient.contentType(r).startsWith("text/plain"));
        assertEquals(ApiClient.json(api.get("/version")).get("version").asText(), r.body().trim());
    }

    @Test
    void publishReachesAnInProcessConsumer() {
        Consumer consumer = broker.consumer();
        MessageStream stream = consumer.subscribe(List.of("sensors/+"), Qos.AT_LEAST_ONCE);
        HttpResponse<String> r = api.post("/pub",
                "{\"topic\":\"sensors/t1\",\"body\":\"helloWorld\",\"qos\":1,\"retain\":0,\"key\":\"k1\"}");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(1, ApiClient.json(r).get("subscribers").asInt());
        assertFalse(ApiClient.json(r).has("offset"), r.body());
        Delivery d = stream.poll(Duration.ofSeconds(5));
        assertNotNull(d);
        assertEquals("sensors/t1", d.topic());
        assertEquals("helloWorld", d.payloadAsString());
        assertEquals("k1", d.key());
        assertEquals(Qos.AT_LEAST_ONCE, d.qos());
        d.ack();
        consumer.close();
    }

    @Test
    void publishWithoutSubscribersReportsZero() {
        HttpResponse<String> r = api.post("/pub", "{\"topic\":\"nobody\",\"body\":\"x\"}");
        assertEquals(200, r.statusCode());
        assertEquals(0, ApiClient.json(r).get("subscribers").asInt());
    }

    @Test
    void badPublishesAre400sAndPublishNothing() {
        Consumer consumer = broker.consumer();
        MessageStream stream = consumer.subscribe(List.of("#"), Qos.AT_MOST_ONCE);
        assertError(api.post("/pub", "{not json"), 400, "bad JSON");
        assertError(api.post("/pub", "{\"body\":\"x\"}"), 400, "missing topic");
        assertError(api.post("/pub", "{\"topic\":\"a/+\",\"body\":\"x\",\"retain\":1}"), 400, "invalid topic");
        assertError(api.post("/pub", "{\"topic\":\"a\",\"body\":\"x\",\"qos\":3,\"retain\":1}"), 400, "qos");
        assertError(api.post("/pub", "{\"topic\":\"a\",\"body\":\"x\",\"retain\":5}"), 400, "retain");
        assertError(api.post("/pub", ""), 400, "empty body");
        assertEquals(200, api.post("/pub", "{\"topic\":\"marker\",\"body\":\"m\"}").statusCode());
        assertEquals("marker", stream.poll(Duration.ofSeconds(10)).topic(), "the first message is the good one after them");
        assertEquals(0, broker.engine().retained().size());
        consumer.close();
    }

    @Test
    void payloadOverMaxPayloadBytesIs413() {
        String body = "x".repeat(MAX_PAYLOAD + 1);
        assertError(api.post("/pub", "{\"topic\":\"a\",\"body\":\"" + body + "\",\"retain\":1}"), 413, "max-payload-bytes");
        assertEquals(0, broker.engine().retained().size());
    }

    @Test
    void requestBodyOverTheLimitIs413BeforeItIsRead() {
        String body = "x".repeat(MAX_PAYLOAD + HttpApiServer.BODY_OVERHEAD_BYTES + 1);
        assertError(api.post("/pub", "{\"topic\":\"a\",\"body\":\"" + body + "\"}"), 413, "exceeds");
        assertEquals(200, api.get("/version").statusCode()); // a fresh connection still works
    }

    @Test
    void publishOnAClosedBrokerIs503() {
        broker.close();
        assertError(api.post("/pub", "{\"topic\":\"a\",\"body\":\"x\"}"), 503, "closed");
    }

    @Test
    void publishOnAMemberIs503NamingTheLeader() {
        status.set(new NodeStatus("member", "node-2", 9100, port, -1, "10.0.0.1:9100", 3, List.of()));
        HttpResponse<String> r = api.post("/pub", "{\"topic\":\"a\",\"body\":\"x\"}");
        assertEquals(503, r.statusCode());
        assertEquals("not the leader", ApiClient.json(r).get("error").asText());
        assertEquals("10.0.0.1:9100", ApiClient.json(r).get("leader").asText());
    }

    @Test
    void retainedPublishIsReadBackFromMessagesWithoutALog() {
        assertEquals(200, api.post("/pub", "{\"topic\":\"a/b\",\"body\":\"kept\",\"qos\":1,\"retain\":true}").statusCode());
        for (String path : List.of("/messages?topic=a%2Fb", "/messages/a/b", "/messages/a%2Fb")) {
            HttpResponse<String> r = api.get(path);
            assertEquals(200, r.statusCode(), path + ": " + r.body());
            JsonNode page = ApiClient.json(r);
            assertEquals("a/b", page.get("topic").asText());
            assertEquals(1, page.get("messages").size(), r.body());
            JsonNode m = page.get("messages").get(0);
            assertEquals(-1, m.get("offset").asLong());
            assertEquals("kept", m.get("body").asText());
            assertEquals("a/b", m.get("key").asText());
            assertEquals(1, m.get("qos").asInt());
            assertTrue(m.get("retain").asBoolean());
            assertTrue(m.get("timestamp").asLong() > 0);
            assertFalse(m.has("bodyBase64"));
            assertEquals(0, page.get("next").asLong());
        }
        JsonNode empty = ApiClient.json(api.get("/messages?topic=other&from=5"));
        assertEquals(0, empty.get("messages").size());
        assertEquals(5, empty.get("next").asLong());
    }

    @Test
    void messagesRejectsMissingOrInvalidTopicAndBadOffsets() {
        assertError(api.get("/messages"), 400, "missing topic");
        assertError(api.get("/messages/"), 400, "missing topic");
        assertError(api.get("/messages?topic=a/%23"), 400, "invalid topic");
        assertError(api.get("/messages?topic=a&from=x"), 400, "from");
        assertError(api.get("/messages?topic=a&from=-1"), 400, "from");
        assertError(api.get("/messages?topic=a&limit=0"), 400, "limit");
        assertError(api.get("/messages?topic=a&limit=ten"), 400, "limit");
    }

    @Test
    void malformedPercentEncodingIs400() throws IOException {
        String reply = raw("GET /messages/a%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertTrue(reply.startsWith("HTTP/1.1 400"), reply);
        assertTrue(reply.contains("percent-encoding"), reply);
        String query = raw("GET /messages?topic=a%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertTrue(query.startsWith("HTTP/1.1 400"), query);
    }

    @Test
    void healthReportsRolePortsAndSessions() {
        Consumer c = broker.consumer();
        c.subscribe(List.of("x"), Qos.AT_MOST_ONCE);
        HttpResponse<String> r = api.get("/health");
        assertEquals(200, r.statusCode());
        JsonNode n = ApiClient.json(r);
        assertEquals("ok", n.get("status").asText());
        assertEquals("standalone", n.get("role").asText());
        assertEquals("node-1", n.get("nodeId").asText());
        assertEquals(9100, n.get("ports").get("mqtt").asInt());
        assertTrue(n.get("ports").get("tls").isNull());
        assertEquals(1, n.get("sessions").asInt());
        assertEquals(1, n.get("connections").asInt());
        c.close();
    }

    @Test
    void healthIs503ClosingOnceTheEngineIsClosed() {
        broker.close();
        HttpResponse<String> r = api.get("/health");
        assertEquals(503, r.statusCode());
        assertEquals("closing", ApiClient.json(r).get("status").asText());
    }

    @Test
    void metricsArePrometheusText() {
        HttpResponse<String> r = api.get("/metrics");
        assertEquals(200, r.statusCode());
        assertTrue(ApiClient.contentType(r).startsWith("text/plain; version=0.0.4"), ApiClient.contentType(r));
    }

    @Test
    void metricsShowWhatTheRegistryHolds() {
        BrokerMetrics metrics = new BrokerMetrics(broker.engine());
        metrics.registry().counter("gomq_http_test_marker").increment();
        try (HttpApiServer s = new HttpApiServer(broker.engine(), new LauncherConfig(), metrics, status::get)) {
            HttpResponse<String> r = new ApiClient(s.start("127.0.0.1", 0)).get("/metrics");
            assertTrue(r.body().contains("gomq_http_test_marker"), r.body());
        }
    }

    @Test
    void topicsWithoutALogAreTheRetainedTopics() {
        broker.engine().retained().put(Message.builder("b").payload("1").retain(true).build());
        broker.engine().retained().put(Message.builder("a/x").payload("2").retain(true).build());
        JsonNode n = ApiClient.json(api.get("/topics"));
        assertEquals("retained", n.get("source").asText());
        assertEquals(2, n.get("topics").size());
        assertEquals("a/x", n.get("topics").get(0).get("topic").asText());
        assertEquals(1, n.get("topics").get(0).get("count").asLong());
        assertEquals("b", n.get("topics").get(1).get("topic").asText());
    }

    @Test
    void clusterShowsTheNodeStatus() {
        JsonNode standalone = ApiClient.json(api.get("/cluster"));
        assertEquals("standalone", standalone.get("role").asText());
        assertTrue(standalone.get("leader").isNull());
        assertEquals(0, standalone.get("members").size());

        status.set(new NodeStatus("leader", "n1", 9100, port, -1, "n1:9100", 7,
                List.of(new NodeStatus.Member("n2", "n2:9100", 40, 2, true))));
        JsonNode leader = ApiClient.json(api.get("/cluster"));
        assertEquals("leader", leader.get("role").asText());
        assertEquals(7, leader.get("epoch").asLong());
        JsonNode member = leader.get("members").get(0);
        assertEquals("n2", member.get("nodeId").asText());
        assertEquals(40, member.get("offset").asLong());
        assertEquals(2, member.get("lag").asLong());
        assertTrue(member.get("inSync").asBoolean());
    }

    @Test
    void unknownRouteIs404AndWrongMethodIs405WithAllow() {
        assertError(api.get("/nope"), 404, "no such route");
        HttpResponse<String> r = api.get("/pub");
        assertError(r, 405, "POST");
        assertEquals("POST", r.headers().firstValue("allow").orElse(""));
        assertEquals("GET", api.method("DELETE", "/health").headers().firstValue("allow").orElse(""));
    }

    @Test
    void pipelinedRequestsOnOneConnectionAreAnsweredInOrder() throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            String pub = "{\"topic\":\"p\",\"body\":\"1\",\"retain\":1}";
            // a blocking route (worker thread) first, then inline ones: replies must keep this order
            out.write(("GET /messages?topic=p HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "POST /pub HTTP/1.1\r\nHost: x\r\nContent-Length: " + pub.length() + "\r\n\r\n" + pub
                    + "GET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String all = readAll(s.getInputStream());
            int first = all.indexOf("\"messages\"");
            int second = all.indexOf("\"subscribers\"");
            int third = all.indexOf("no such route");
            assertTrue(first >= 0 && first < second && second < third, all);
            assertEquals(3, all.split("HTTP/1.1 ", -1).length - 1, all);
        }
    }

    @Test
    void malformedRequestIs400AndClosesTheConnection() throws IOException {
        // no Connection: close: the server must close by itself
        String reply = raw("GET /version HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n");
        assertTrue(reply.startsWith("HTTP/1.1 400"), reply);
        assertTrue(reply.contains("{\"error\":"), reply);
    }

    /** Sends {@code request} as is and reads until the server closes the connection. */
    private String raw(String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            return readAll(s.getInputStream());
        }
    }

    @Test
    void concurrentRequestsAreAllAnswered() throws Exception {
        Consumer consumer = broker.consumer();
        MessageStream stream = consumer.subscribe(List.of("load/#"), Qos.AT_MOST_ONCE);
        int clients = 8;
        int each = 25;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Callable<Integer>> tasks = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int id = c;
                tasks.add(() -> {
                    ApiClient own = new ApiClient(port);
                    int ok = 0;
                    for (int i = 0; i < each; i++) {
                        ok += own.post("/pub", "{\"topic\":\"load/" + id + "\",\"body\":\"" + i + "\"}").statusCode() == 200 ? 1 : 0;
                        ok += own.get(i % 2 == 0 ? "/health" : "/messages/load/" + id).statusCode() == 200 ? 1 : 0;
                    }
                    return ok;
                });
            }
            int ok = 0;
            for (Future<Integer> f : pool.invokeAll(tasks)) {
                ok += f.get();
            }
            assertEquals(clients * each * 2, ok);
        } finally {
            pool.shutdownNow();
        }
        int received = 0;
        while (stream.poll(Duration.ofMillis(500)) != null) {
            received++;
        }
        assertEquals(clients * each, received);
        consumer.close();
    }

    @Test
    void closeIsIdempotentAndStopsListening() {
        server.close();
        server.close();
        assertThrows(RuntimeException.class, () -> api.get("/version"));
    }

    static void assertError(HttpResponse<String> r, int status, String fragment) {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(ApiClient.contentType(r).startsWith("application/json"), ApiClient.contentType(r));
        String error = ApiClient.json(r).get("error").asText();
        assertTrue(error.contains(fragment), "expected '" + fragment + "' in: " + error);
        assertFalse(r.body().contains("Exception"), r.body());
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        in.transferTo(b);
        return b.toString(StandardCharsets.UTF_8);
    }
}
