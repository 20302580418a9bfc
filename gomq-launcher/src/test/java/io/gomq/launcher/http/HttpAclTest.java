package io.gomq.launcher.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.gomq.core.config.BrokerConfig;
import io.gomq.core.engine.BrokerEngine;
import io.gomq.embedded.internal.EmbeddedBroker;
import io.gomq.launcher.NodeStatus;
import io.gomq.launcher.auth.AclRules;
import io.gomq.launcher.auth.PasswordHasher;
import io.gomq.launcher.auth.ReloadableAcl;
import io.gomq.launcher.auth.UsersFile;
import io.gomq.launcher.auth.UsersFileAuthenticator;
import io.gomq.launcher.config.LauncherConfig;
import io.gomq.launcher.metrics.BrokerMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.gomq.launcher.http.HttpApiServerTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The HTTP API held to the ACL for the authenticated user, over a real socket, with a persistent log. */
@Timeout(30)
class HttpAclTest {
    @TempDir
    Path dir;

    private EmbeddedBroker broker;
    private HttpApiServer server;
    private int port;

    @BeforeEach
    void start() {
        broker = EmbeddedBroker.start(BrokerConfig.defaults().dataDir(dir.resolve("data")), BrokerEngine::open);
        PasswordHasher hasher = new PasswordHasher(1_000);
        UsersFile users = UsersFile.parse("users", List.of("alice:" + hasher.hash("a".toCharArray()),
                "bob:" + hasher.hash("b".toCharArray())));
        ReloadableAcl acl = new ReloadableAcl(AclRules.parse("acl", List.of(
                "pattern readwrite users/%u/#",
                "user bob",
                "topic read users/alice/public")));
        server = new HttpApiServer(broker.engine(), new LauncherConfig(), new BrokerMetrics(broker.engine()),
                () -> NodeStatus.standalone("n", 1883, 0, -1), new UsersFileAuthenticator(users, false), acl);
        port = server.start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        server.close();
        broker.close();
    }

    private static String pub(String topic) {
        return "{\"topic\":\"" + topic + "\",\"body\":\"x\",\"retain\":1}";
    }

    @Test
    void publishIsHeldToTheWriteRules() {
        ApiClient alice = new ApiClient(port).basic("alice", "a");
        assertEquals(200, alice.post("/pub", pub("users/alice/public")).statusCode());
        assertEquals(200, alice.post("/pub", pub("users/alice/private")).statusCode());
        assertError(alice.post("/pub", pub("users/bob/x")), 403, "not authorized to publish to users/bob/x");
        assertError(alice.post("/pub", pub("$SYS/x")), 403, "not authorized");
        assertEquals(2, broker.engine().retained().size(), "the refused ones were not stored");
    }

    @Test
    void messagesAndTopicsShowOnlyWhatTheUserMayRead() {
        ApiClient alice = new ApiClient(port).basic("alice", "a");
        ApiClient bob = new ApiClient(port).basic("bob", "b");
        alice.post("/pub", pub("users/alice/public"));
        alice.post("/pub", pub("users/alice/private"));
        bob.post("/pub", pub("users/bob/x"));

        assertEquals(1, ApiClient.json(bob.get("/messages/users/alice/public")).get("messages").size());
        assertError(bob.get("/messages/users/alice/private"), 403, "not authorized to read users/alice/private");
        assertError(bob.get("/messages?topic=users/alice/private"), 403, "not authorized");

        assertEquals(List.of("users/alice/public", "users/bob/x"), topics(bob));
        assertEquals(List.of("users/alice/private", "users/alice/public"), topics(alice));
    }

    @Test
    void aFilterPageHoldsOnlyTheMatchingTopicsTheUserMayRead() {
        ApiClient alice = new ApiClient(port).basic("alice", "a");
        ApiClient bob = new ApiClient(port).basic("bob", "b");
        alice.post("/pub", pub("users/alice/public"));
        alice.post("/pub", pub("users/alice/private"));
        bob.post("/pub", pub("users/bob/x"));

        assertEquals(List.of("users/alice/public", "users/alice/private"), filtered(alice, "users/alice/%23", "earliest"));
        assertEquals(List.of("users/alice/public"), filtered(bob, "users/alice/%23", "0"), "bob reads only the public one");
        assertEquals(List.of("users/alice/private"), filtered(alice, "users/alice/%2B", "1"), "from an offset");
        JsonNode latest = ApiClient.json(alice.get("/messages?filter=users/%23&from=latest"));
        assertEquals(0, latest.get("messages").size(), "latest: only what comes");
        assertEquals(3, latest.get("next").asLong(), "the log's end, to ask again from");
        assertError(alice.get("/messages?filter=users/%23&from=yesterday"), 400, "from must be earliest, latest, an offset or an ISO-8601 time");
        assertError(alice.get("/messages?filter=a/%23/b"), 400, "invalid filter");
    }

    private static List<String> filtered(ApiClient api, String filter, String from) {
        List<String> names = new ArrayList<>();
        for (JsonNode m : ApiClient.json(api.get("/messages?filter=" + filter + "&from=" + from)).get("messages")) {
            names.add(m.get("topic").asText());
        }
        return names;
    }

    private static List<String> topics(ApiClient api) {
        List<String> names = new ArrayList<>();
        for (JsonNode t : ApiClient.json(api.get("/topics")).get("topics")) {
            names.add(t.get("topic").asText());
        }
        return names;
    }
}
