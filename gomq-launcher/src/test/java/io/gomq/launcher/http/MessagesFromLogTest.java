package io.gomq.launcher.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.gomq.core.config.BrokerConfig;
import io.gomq.core.config.Durability;
import io.gomq.core.engine.BrokerEngine;
import io.gomq.core.log.MessageLog;
import io.gomq.core.message.Message;
import io.gomq.core.retained.MemoryRetainedStore;
import io.gomq.launcher.NodeStatus;
import io.gomq.launcher.config.LauncherConfig;
import io.gomq.launcher.metrics.BrokerMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static io.gomq.launcher.http.HttpApiServerTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GET /messages and /topics over a real Chronicle log (appended to directly: see the class comment of MessagesHandler). */
@Timeout(60)
class MessagesFromLogTest {
    @TempDir
    Path dir;

    private MessageLog log;
    private BrokerEngine engine;
    private HttpApiServer server;
    private ApiClient api;

    @BeforeEach
    void start() {
        BrokerConfig config = BrokerConfig.defaults().dataDir(dir).durability(Durability.WRITE)
                .compactionIntervalMs(3_600_000).retentionMs(0);
        log = MessageLog.open(config);
        engine = new BrokerEngine(config, new MemoryRetainedStore(), log);
        server = new HttpApiServer(engine, new LauncherConfig(), new BrokerMetrics(engine),
                () -> NodeStatus.standalone("n", 1883, 0, -1));
        api = new ApiClient(server.start("127.0.0.1", 0));
    }

    @AfterEach
    void stop() {
        server.close();
        engine.close();
        log.close();
    }

    /** Appends {@code n} messages to {@code topic}, interleaved with another topic; returns their offsets. */
    private List<Long> append(String topic, int n) {
        List<Long> offsets = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            offsets.add(log.append(Message.builder(topic).key("k" + i).payload("m" + i).qos(1).timestampMillis(1_700_000_000_000L + i).build()));
            log.append(Message.builder("noise").payload("n" + i).build());
        }
        return offsets;
    }

    @Test
    void showsTheMqtt5PropertiesStoredWithAMessage() throws Exception {
        log.append(Message.builder("v5").payload("{}").qos(1).contentType("application/json").responseTopic("r/1")
                .userProperty("a", "1").userProperty("a", "2").messageExpiry(java.time.Duration.ofSeconds(90)).build());
        log.append(Message.builder("v5").payload("plain").qos(1).build());
        JsonNode page = ApiClient.json(api.get("/messages?topic=v5&from=0"));
        JsonNode first = page.get("messages").get(0);
        assertEquals("application/json", first.get("contentType").asText());
        assertEquals("r/1", first.get("responseTopic").asText());
        assertEquals(90, first.get("messageExpirySeconds").asLong());
        assertEquals("[[\"a\",\"1\"],[\"a\",\"2\"]]", first.get("userProperties").toString());
        JsonNode second = page.get("messages").get(1);
        assertFalse(second.has("contentType") || second.has("userProperties"), "absent when not set: " + second);
    }

    @Test
    void pagesThroughATopicWithFromAndLimit() {
        List<Long> offsets = append("a/b", 25);
        List<String> bodies = new ArrayList<>();
        long from = 0;
        int pages = 0;
        while (true) {
            HttpResponse<String> r = api.get("/messages?topic=a/b&from=" + from + "&limit=10");
            assertEquals(200, r.statusCode(), r.body());
            JsonNode page = ApiClient.json(r);
            assertEquals("a/b", page.get("topic").asText());
            if (page.get("messages").isEmpty()) {
                assertEquals(from, page.get("next").asLong());
                break;
            }
            pages++;
            long last = -1;
            for (JsonNode m : page.get("messages")) {
                assertTrue(m.get("offset").asLong() >= from);
                bodies.add(m.get("body").asText());
                last = m.get("offset").asLong();
            }
            assertEquals(last + 1, page.get("next").asLong());
            from = page.get("next").asLong();
        }
        assertEquals(3, pages);
        assertEquals(25, bodies.size());
        assertEquals("m0", bodies.get(0));
        assertEquals("m24", bodies.get(24));
        assertEquals(offsets.get(24) + 1, from);
    }

    @Test
    void messageFieldsComeFromTheStoredRecord() {
        long offset = append("x", 1).get(0);
        JsonNode m = ApiClient.json(api.get("/messages/x")).get("messages").get(0);
        assertEquals(offset, m.get("offset").asLong());
        assertEquals("k0", m.get("key").asText());
        assertEquals("m0", m.get("body").asText());
        assertEquals(1, m.get("qos").asInt());
        assertFalse(m.get("retain").asBoolean());
        assertEquals(1_700_000_000_000L, m.get("timestamp").asLong());
    }

    @Test
    void defaultsAreLogStartAndAHundredAndLimitIsCappedAtAThousand() {
        append("many", 1_050);
        JsonNode first = ApiClient.json(api.get("/messages?topic=many"));
        assertEquals(MessagesHandler.DEFAULT_LIMIT, first.get("messages").size());
        assertEquals("m0", first.get("messages").get(0).get("body").asText());
        JsonNode capped = ApiClient.json(api.get("/messages?topic=many&limit=5000"));
        assertEquals(MessagesHandler.MAX_LIMIT, capped.get("messages").size());
    }

    @Test
    void topicWithSlashesInThePathIsDecoded() {
        append("site/1/temp", 2);
        for (String path : List.of("/messages/site/1/temp", "/messages/site%2F1%2Ftemp", "/messages?topic=site%2F1%2Ftemp")) {
            assertEquals(2, ApiClient.json(api.get(path)).get("messages").size(), path);
        }
        assertEquals(0, ApiClient.json(api.get("/messages/site/1")).get("messages").size());
    }

    @Test
    void binaryPayloadAlsoComesAsBase64() {
        byte[] bytes = {(byte) 0xff, 0, (byte) 0xc3};
        log.append(Message.builder("bin").payload(bytes).build());
        JsonNode m = ApiClient.json(api.get("/messages/bin")).get("messages").get(0);
        assertEquals(Base64.getEncoder().encodeToString(bytes), m.get("bodyBase64").asText());
        assertTrue(m.has("body"));
    }

    @Test
    void unknownTopicIsAnEmptyPageAtFrom() {
        append("a", 1);
        JsonNode page = ApiClient.json(api.get("/messages?topic=none&from=7"));
        assertEquals(0, page.get("messages").size());
        assertEquals(7, page.get("next").asLong());
    }

    @Test
    void topicsComeFromTheLogIndexWithCounts() {
        append("t/a", 3);
        JsonNode n = ApiClient.json(api.get("/topics"));
        assertEquals("log", n.get("source").asText());
        JsonNode topics = n.get("topics");
        assertEquals(2, topics.size(), n.toString());
        assertEquals("noise", topics.get(0).get("topic").asText());
        assertEquals(3, topics.get(0).get("count").asLong());
        assertEquals("t/a", topics.get(1).get("topic").asText());
        assertEquals(3, topics.get(1).get("count").asLong());
    }

    @Test
    void brokersOwnRecordsAreNeitherListedNorReadable() {
        log.append(io.gomq.core.message.Message.builder("$gomq/sessions/c1").payload("state").retain(true).build());
        log.append(io.gomq.core.message.Message.builder("visible").payload("x").build());
        JsonNode topics = ApiClient.json(api.get("/topics")).get("topics");
        assertEquals(1, topics.size(), topics.toString());
        assertEquals("visible", topics.get(0).get("topic").asText());
        assertError(api.get("/messages?topic=%24gomq%2Fsessions%2Fc1"), 400, "the broker's own");
        assertError(api.get("/messages/%24gomq/sessions/c1"), 400, "the broker's own");
    }

    @Test
    void messagesOnAClosedBrokerIs503() {
        engine.close();
        assertError(api.get("/messages/a"), 503, "closed");
    }
}
