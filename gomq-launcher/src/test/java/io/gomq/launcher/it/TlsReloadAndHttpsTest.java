package io.gomq.launcher.it;

import io.gomq.launcher.StandaloneBroker;
import io.gomq.launcher.testing.Await;
import io.gomq.launcher.testing.TestBrokers;
import io.gomq.launcher.testing.TestPki;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Certificate reload without a restart, and the HTTP API over HTTPS from the same PEM files. */
@Timeout(60)
class TlsReloadAndHttpsTest {
    @TempDir
    Path dir;

    @Test
    void shouldServeReplacedCertificateToNewConnectionsWhileOpenOnesKeepTheirs() throws Exception {
        TestPki.Ca first = TestPki.ca(dir, "first");
        TestPki.Ca second = TestPki.ca(dir, "second");
        TestPki.Issued cert = first.server("server");
        try (StandaloneBroker broker = TestBrokers.start(c -> {
            c.tlsPort(0).tlsCert(cert.certFile()).tlsKey(cert.keyFile());
            c.tls().reloadMs(100);
        });
             PahoClients old = connect(broker, "old", first)) {
            old.client.subscribe("reload/t", 1);

            TestPki.Issued next = second.server("next");
            Files.move(next.keyFile(), cert.keyFile(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.move(next.certFile(), cert.certFile(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

            PahoClients[] fresh = new PahoClients[1];
            Await.await("a client trusting only the new CA connects", Duration.ofSeconds(20), () -> {
                try {
                    fresh[0] = connect(broker, "fresh", second);
                    return true;
                } catch (Exception e) {
                    return false;
                }
            });
            try (PahoClients newClient = fresh[0]) {
                assertTrue(broker.tlsMetrics().reloads.sum() >= 1);
                assertThrows(MqttException.class, () -> connect(broker, "stale", first).close());
                newClient.publish("reload/t", "after", 1, false);
                assertEquals("after", old.next().payload(), "the connection opened before the reload still works");
            }
        }
    }

    @Test
    void shouldServeHttpApiOverHttpsWithTheListenerCertificate() throws Exception {
        TestPki.Ca ca = TestPki.ca(dir, "api");
        TestPki.Issued cert = ca.server("server");
        try (StandaloneBroker broker = TestBrokers.start(c -> {
            c.tlsCert(cert.certFile()).tlsKey(cert.keyFile());
            c.tls().httpTls(true);
        })) {
            HttpClient https = HttpClient.newBuilder().sslContext(TestPki.anonymousContext(ca))
                    .connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> r = https.send(HttpRequest.newBuilder(
                    URI.create("https://127.0.0.1:" + broker.httpPort() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            assertThrows(IOException.class, () -> plain.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + broker.httpPort() + "/health")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
    }

    private static PahoClients connect(StandaloneBroker broker, String id, TestPki.Ca trusted) throws Exception {
        MqttConnectOptions o = PahoClients.options(true);
        o.setSocketFactory(TestPki.anonymousContext(trusted).getSocketFactory());
        return PahoClients.connect("ssl://127.0.0.1:" + broker.tlsPort(), id, o);
    }
}
