package io.gomq.remote;

import io.gomq.client.Consumer;
import io.gomq.client.Delivery;
import io.gomq.client.GoMqClient;
import io.gomq.client.MessageStream;
import io.gomq.client.NotAuthorizedException;
import io.gomq.client.Qos;
import io.gomq.launcher.StandaloneBroker;
import io.gomq.launcher.auth.PasswordHasher;
import io.gomq.launcher.testing.TestBrokers;
import io.gomq.launcher.testing.TestPki;
import io.gomq.launcher.tls.CertificateIdentity;
import io.gomq.launcher.tls.ClientAuthMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The remote client over each transport a broker offers, with a password or a client certificate. */
@Timeout(60)
class RemoteTransportsTest {
    @TempDir
    Path dir;

    @Test
    void exchangesMessagesOverWebSocket() {
        try (StandaloneBroker broker = TestBrokers.start()) {
            exchange(RemoteClientConfig.builder().servers("ws://127.0.0.1:" + broker.wsPort() + "/mqtt").build());
        }
    }

    @Test
    void exchangesMessagesOverTlsAndSecureWebSocketWithAClientCertificate() throws Exception {
        TestPki.Ca devices = TestPki.ca(dir, "devices");
        TestPki.Issued server = devices.server("server");
        TestPki.Issued alice = devices.client("alice", "CN=alice");
        try (StandaloneBroker broker = TestBrokers.start(c -> {
            c.tlsPort(0).wssPort(0).tlsCert(server.certFile()).tlsKey(server.keyFile());
            c.tls().clientCa(devices.certFile()).clientAuth(ClientAuthMode.REQUIRED).identityAsUser(CertificateIdentity.CN);
        })) {
            exchange(RemoteClientConfig.builder().servers("ssl://127.0.0.1:" + broker.tlsPort())
                    .tls(TestPki.trust(devices), alice.keyManagers()).build());
            exchange(RemoteClientConfig.builder().servers("wss://127.0.0.1:" + broker.wssPort() + "/mqtt")
                    .tls(TestPki.trust(devices), alice.keyManagers()).build());
        }
    }

    @Test
    void logsInWithAPasswordAndIsRefusedAtOnceWithAWrongOne() throws Exception {
        Path users = Files.writeString(dir.resolve("users"), "bob:" + new PasswordHasher(1_000).hash("s3cret".toCharArray()) + "\n");
        try (StandaloneBroker broker = TestBrokers.start(c -> c.usersFile(users).allowAnonymous(false))) {
            String tcp = "tcp://127.0.0.1:" + broker.mqttPort();
            exchange(RemoteClientConfig.builder().servers(tcp).credentials("bob", "s3cret".toCharArray()).build());

            try (GoMqClient wrong = RemoteClient.connect(RemoteClientConfig.builder().servers(tcp, tcp)
                    .credentials("bob", "guess".toCharArray()).build())) {
                NotAuthorizedException e = assertThrows(NotAuthorizedException.class, wrong::consumer);
                assertTrue(e.getMessage().contains("BAD_USER_NAME_OR_PASSWORD") || e.getMessage().contains("NOT_AUTHORIZED"),
                        e.getMessage());
            }
        }
    }

    private static void exchange(RemoteClientConfig config) {
        try (GoMqClient client = RemoteClient.connect(config); Consumer consumer = client.consumer()) {
            MessageStream stream = consumer.subscribe(List.of("t/+"), Qos.AT_LEAST_ONCE);
            client.producer().publish("t/1", null, "over the wire".getBytes(), Qos.AT_LEAST_ONCE, false).join();
            Delivery d = stream.poll(Duration.ofSeconds(10));
            assertNotNull(d, "delivered over " + config.servers());
            assertEquals("over the wire", d.payloadAsString());
        }
    }
}
