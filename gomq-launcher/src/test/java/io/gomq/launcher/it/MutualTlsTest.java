package io.gomq.launcher.it;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.gomq.launcher.StandaloneBroker;
import io.gomq.launcher.auth.PasswordHasher;
import io.gomq.launcher.tls.CertificateIdentity;
import io.gomq.launcher.tls.ClientAuthMode;
import io.gomq.launcher.testing.Await;
import io.gomq.launcher.testing.AuditCapture;
import io.gomq.launcher.testing.TestBrokers;
import io.gomq.launcher.testing.TestPki;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Mutual TLS on the MQTT TLS listener with real clients (HiveMQ MQTT 5, Paho 3.1.1): a
 * certificate of the configured CA is accepted, one of another CA and a missing one are refused
 * (counted, and audited on gomq.audit), and the certificate's CN is the user name.
 */
@Timeout(60)
class MutualTlsTest {
    @TempDir
    Path dir;
    TestPki.Ca devices;
    TestPki.Issued server;
    TestPki.Issued alice;
    TestPki.Issued mallory;

    @BeforeEach
    void pki() throws Exception {
        devices = TestPki.ca(dir, "devices");
        server = devices.server("server");
        alice = devices.client("alice", "CN=alice,OU=sensors,O=GoMQ");
        mallory = TestPki.ca(dir, "stranger").client("mallory", "CN=mallory");
    }

    private StandaloneBroker broker(ClientAuthMode auth, CertificateIdentity identity) {
        return TestBrokers.start(c -> {
            c.tlsPort(0).tlsCert(server.certFile()).tlsKey(server.keyFile());
            c.tls().clientCa(devices.certFile()).clientAuth(auth).identityAsUser(identity);
        });
    }

    @Test
    void shouldAcceptCertificateOfConfiguredCaAndRefuseStrangerAndMissingOne() throws Exception {
        try (AuditCapture audit = new AuditCapture();
             StandaloneBroker broker = broker(ClientAuthMode.REQUIRED, CertificateIdentity.OFF)) {
            Mqtt5BlockingClient a = client(broker, "alice", alice).buildBlocking();
            a.connect();
            try (Mqtt5BlockingClient.Mqtt5Publishes in = a.publishes(MqttGlobalPublishFilter.ALL)) {
                a.subscribeWith().topicFilter("mtls/t").qos(MqttQos.AT_LEAST_ONCE).send();
                a.publishWith().topic("mtls/t").qos(MqttQos.AT_LEAST_ONCE).payload("hi".getBytes(StandardCharsets.UTF_8)).send();
                Optional<Mqtt5Publish> p = in.receive(10, TimeUnit.SECONDS);
                assertTrue(p.isPresent());
                assertEquals("hi", new String(p.get().getPayloadAsBytes(), StandardCharsets.UTF_8));
            } finally {
                a.disconnect();
            }

            assertThrows(MqttException.class, () -> paho(broker, "mallory", mallory).close());
            Await.await("stranger's certificate counted", () -> broker.tlsMetrics().certsRejected.sum() == 1);
            String line = audit.find("event=cert_rejected", "subject=\"CN=mallory\"", "reason=\"not signed by a trusted CA");
            assertNotNull(line, "audit lines: " + audit.lines());
            assertTrue(line.contains("listener=mqtt-tls") && line.contains("address=/127.0.0.1:"), line);

            MqttConnectOptions o = PahoClients.options(true);
            o.setSocketFactory(TestPki.anonymousContext(devices).getSocketFactory());
            assertThrows(MqttException.class, () -> PahoClients.connect(tlsUri(broker), "no-cert", o).close());
            Await.await("missing certificate counted", () -> broker.tlsMetrics().certsMissing.sum() == 1);
            assertNotNull(audit.find("event=cert_rejected", "reason=\"no client certificate\""), "audit: " + audit.lines());
            String metrics = broker.metrics().scrape();
            assertTrue(metrics.contains("gomq_tls_handshakes_failed_total{reason=\"cert_rejected\"} 1.0"), metrics);
            assertTrue(metrics.contains("gomq_tls_handshakes_failed_total{reason=\"cert_missing\"} 1.0"), metrics);
        }
    }

    @Test
    void shouldUseCertificateCnAsUserAndSkipThePasswordWhenIdentityAsUserIsOn() throws Exception {
        String hash = new PasswordHasher(1_000).hash("s3cret".toCharArray());
        Path users = Files.writeString(dir.resolve("users"), "bob:" + hash + "\n");
        Path acl = Files.writeString(dir.resolve("acl"), "user alice\ntopic readwrite alice/#\nuser bob\ntopic readwrite bob/#\n");
        try (StandaloneBroker broker = TestBrokers.start(c -> {
            c.tlsPort(0).tlsCert(server.certFile()).tlsKey(server.keyFile()).usersFile(users).allowAnonymous(false);
            c.aclFile(acl);
            c.tls().clientCa(devices.certFile()).clientAuth(ClientAuthMode.OPTIONAL).identityAsUser(CertificateIdentity.CN);
        })) {
            // alice is in no users file and sends bob's name with a wrong password: the certificate decides
            Mqtt5BlockingClient a = client(broker, "alice", alice).simpleAuth()
                    .username("bob").password("wrong".getBytes(StandardCharsets.UTF_8)).applySimpleAuth().buildBlocking();
            assertEquals(Mqtt5ConnAckReasonCode.SUCCESS, a.connect().getReasonCode());
            // and the ACL sees alice, not the bob of the CONNECT
            assertEquals(List.of(Mqtt5SubAckReasonCode.GRANTED_QOS_1),
                    a.subscribeWith().topicFilter("alice/#").qos(MqttQos.AT_LEAST_ONCE).send().getReasonCodes());
            Mqtt5SubAckException denied = assertThrows(Mqtt5SubAckException.class,
                    () -> a.subscribeWith().topicFilter("bob/#").qos(MqttQos.AT_LEAST_ONCE).send());
            assertEquals(List.of(Mqtt5SubAckReasonCode.NOT_AUTHORIZED), denied.getMqttMessage().getReasonCodes());
            a.disconnect();

            // optional: no certificate means the CONNECT's credentials are checked as usual
            Mqtt5BlockingClient anonymous = Mqtt5Client.builder().identifier("anon").serverHost("127.0.0.1")
                    .serverPort(broker.tlsPort()).sslConfig().trustManagerFactory(TestPki.trust(devices)).applySslConfig()
                    .buildBlocking();
            Mqtt5ConnAckException refused = assertThrows(Mqtt5ConnAckException.class, anonymous::connect);
            assertEquals(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, refused.getMqttMessage().getReasonCode());
            Mqtt5BlockingClient bob = Mqtt5Client.builder().identifier("bob").serverHost("127.0.0.1")
                    .serverPort(broker.tlsPort()).sslConfig().trustManagerFactory(TestPki.trust(devices)).applySslConfig()
                    .simpleAuth().username("bob").password("s3cret".getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
                    .buildBlocking();
            assertEquals(Mqtt5ConnAckReasonCode.SUCCESS, bob.connect().getReasonCode());
            bob.disconnect();

            // optional still refuses a certificate the CA did not sign, or one that expired
            assertThrows(MqttException.class, () -> paho(broker, "mallory", mallory).close());
            TestPki.Issued expired = devices.expiredClient("old", "CN=old");
            assertThrows(MqttException.class, () -> paho(broker, "old", expired).close());
            Await.await("both refused", () -> broker.tlsMetrics().certsRejected.sum() == 2);
            assertEquals(0, broker.tlsMetrics().certsMissing.sum());
        }
    }

    @Test
    void shouldMapCnOfMosquittoPubCertificateToUserAndRefuseStrangersCertificate() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/mosquitto_pub")), "mosquitto-clients is not installed");
        Path users = Files.writeString(dir.resolve("users"), "bob:" + new PasswordHasher(1_000).hash("pw".toCharArray()) + "\n");
        try (StandaloneBroker broker = TestBrokers.start(c -> {
            c.tlsPort(0).tlsCert(server.certFile()).tlsKey(server.keyFile()).usersFile(users).allowAnonymous(false);
            c.tls().clientCa(devices.certFile()).clientAuth(ClientAuthMode.REQUIRED).identityAsUser(CertificateIdentity.CN);
        })) {
            // no user name or password: accepted only because the certificate names alice
            assertEquals(0, mosquittoPub(broker, alice), "mosquitto_pub with alice's certificate");
            assertTrue(mosquittoPub(broker, mallory) != 0, "mosquitto_pub with a stranger's certificate");
            Await.await("stranger counted", () -> broker.tlsMetrics().certsRejected.sum() == 1);
            assertEquals(0, broker.transportMetrics().authFailures.sum());
        }
    }

    private int mosquittoPub(StandaloneBroker broker, TestPki.Issued cert) throws Exception {
        Process p = new ProcessBuilder("mosquitto_pub", "-h", "localhost", "-p", Integer.toString(broker.tlsPort()),
                "--cafile", devices.certFile().toString(), "--cert", cert.certFile().toString(),
                "--key", cert.keyFile().toString(), "-i", "mosq-" + cert.certFile().getFileName(), "-t", "mtls/cli",
                "-m", "hello", "-q", "1").redirectErrorStream(true).start();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("mosquitto_pub did not exit within 20 s");
        }
        return p.exitValue();
    }

    /** Presents {@code cert}, trusts the broker's CA. */
    private Mqtt5ClientBuilder client(StandaloneBroker broker, String id, TestPki.Issued cert) throws Exception {
        return Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(broker.tlsPort())
                .sslConfig().keyManagerFactory(cert.keyManagers()).trustManagerFactory(TestPki.trust(devices))
                .applySslConfig();
    }

    /** Paho over TLS presenting {@code cert} whatever CAs the broker names. */
    private PahoClients paho(StandaloneBroker broker, String id, TestPki.Issued cert) throws Exception {
        MqttConnectOptions o = PahoClients.options(true);
        o.setSocketFactory(cert.sslContext(devices).getSocketFactory());
        return PahoClients.connect(tlsUri(broker), id, o);
    }

    private static String tlsUri(StandaloneBroker broker) {
        return "ssl://127.0.0.1:" + broker.tlsPort();
    }
}
