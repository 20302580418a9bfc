package io.gomq.launcher.http;

import io.gomq.core.config.BrokerConfig;
import io.gomq.core.engine.BrokerEngine;
import io.gomq.embedded.internal.EmbeddedBroker;
import io.gomq.launcher.NodeStatus;
import io.gomq.launcher.auth.PasswordHasher;
import io.gomq.launcher.auth.UsersFileException;
import io.gomq.launcher.config.LauncherConfig;
import io.gomq.launcher.metrics.BrokerMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.gomq.launcher.http.HttpApiServerTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Basic auth when the launcher has a users file: /pub, /messages and /topics need it, /metrics and /cluster an admin. */
@Timeout(30)
class HttpAuthTest {
    private static final String PUB = "{\"topic\":\"a\",\"body\":\"x\",\"retain\":1}";

    @TempDir
    Path dir;

    private EmbeddedBroker broker;
    private Path users;
    private HttpApiServer server;
    private int port;

    @BeforeEach
    void start() throws IOException {
        broker = EmbeddedBroker.start(BrokerConfig.defaults().persistent(false), BrokerEngine::open);
        users = dir.resolve("users");
        Files.write(users, List.of("alice:" + new PasswordHasher(1_000).hash("secret".toCharArray())));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        broker.close();
    }

    private ApiClient serve(boolean allowAnonymous) {
        server = new HttpApiServer(broker.engine(), new LauncherConfig().usersFile(users).allowAnonymous(allowAnonymous),
                new BrokerMetrics(broker.engine()), () -> NodeStatus.standalone("n", 1883, 0, -1));
        port = server.start("127.0.0.1", 0);
        return new ApiClient(port);
    }

    @Test
    void publishWithoutCredentialsIs401WithAChallenge() {
        ApiClient api = serve(false);
        HttpResponse<String> r = api.post("/pub", PUB);
        assertError(r, 401, "authentication required");
        assertTrue(r.headers().firstValue("www-authenticate").orElse("").startsWith("Basic realm="));
        assertEquals(0, broker.engine().retained().size());
    }

    @Test
    void wrongPasswordOrUnknownUserIs401() {
        assertError(serve(false).basic("alice", "wrong").post("/pub", PUB), 401, "bad user name or password");
        assertError(new ApiClient(port).basic("mallory", "secret").post("/pub", PUB), 401, "bad user name or password");
        assertEquals(0, broker.engine().retained().size());
    }

    @Test
    void rightCredentialsPublishAndReadMessages() {
        ApiClient alice = serve(false).basic("alice", "secret");
        assertEquals(200, alice.post("/pub", PUB).statusCode());
        assertEquals(200, alice.post("/pub", PUB).statusCode()); // second time from the cache
        assertEquals(1, ApiClient.json(alice.get("/messages/a")).get("messages").size());
    }

    @Test
    void messagesAndTopicsNeedCredentialsHealthAndVersionStayOpen() {
        ApiClient anonymous = serve(false);
        assertError(anonymous.get("/messages/a"), 401, "authentication required");
        assertError(anonymous.get("/topics"), 401, "authentication required");
        assertEquals(200, new ApiClient(port).basic("alice", "secret").get("/topics").statusCode());
        for (String path : List.of("/health", "/version")) {
            assertEquals(200, anonymous.get(path).statusCode(), path);
        }
    }

    @Test
    void metricsAndClusterNeedTheAdminRole() throws IOException {
        Files.write(users, List.of("alice:" + new PasswordHasher(1_000).hash("secret".toCharArray()),
                "root:" + new PasswordHasher(1_000).hash("toor".toCharArray()) + ":admin"));
        ApiClient anonymous = serve(true);
        for (String path : List.of("/metrics", "/cluster")) {
            assertError(anonymous.get(path), 403, "admin role");
            assertError(new ApiClient(port).basic("alice", "secret").get(path), 403, "admin role");
            assertError(new ApiClient(port).basic("root", "wrong").get(path), 401, "bad user name or password");
            assertEquals(200, new ApiClient(port).basic("root", "toor").get(path).statusCode(), path);
        }
    }

    @Test
    void malformedOrOtherSchemeAuthorizationIs401() {
        serve(false);
        String noColon = java.util.Base64.getEncoder().encodeToString("alice".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertError(new ApiClient(port).authorization("Basic " + noColon).post("/pub", PUB), 401, "malformed");
        assertError(new ApiClient(port).authorization("Basic %%%").post("/pub", PUB), 401, "malformed");
        assertError(new ApiClient(port).authorization("Bearer abc").post("/pub", PUB), 401, "only Basic");
    }

    @Test
    void anonymousPublishPassesWhenTheBrokerAllowsIt() {
        ApiClient api = serve(true);
        assertEquals(200, api.post("/pub", PUB).statusCode());
        assertError(api.basic("alice", "wrong").post("/pub", PUB), 401, "bad user name or password");
    }

    @Test
    void unreadableUsersFileFailsAtConstruction() {
        LauncherConfig config = new LauncherConfig().usersFile(dir.resolve("missing"));
        assertThrows(UsersFileException.class, () -> new HttpApiServer(broker.engine(), config,
                new BrokerMetrics(broker.engine()), () -> NodeStatus.standalone("n", 1883, 0, -1)));
    }

}
