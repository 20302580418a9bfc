package io.gomq.launcher.it;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubRecException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.pubrec.Mqtt5PubRecReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.gomq.launcher.StandaloneBroker;
import io.gomq.launcher.auth.AuditLog;
import io.gomq.launcher.testing.TestBrokers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** MQTT 5 clients (HiveMQ) read 0x87 Not authorized; each security event is one gomq.audit line. */
@Timeout(60)
class AclMqtt5Test {
    private static final String ACL = """
            topic read #
            topic write open/#
            topic deny test/nosubscribe
            """;

    @TempDir
    Path dir;

    private final ListAppender<ILoggingEvent> audit = new ListAppender<>();
    private final Logger auditLogger = (Logger) LoggerFactory.getLogger(AuditLog.LOGGER);

    private Level auditLevel;

    @BeforeEach
    void captureAudit() {
        audit.start();
        auditLogger.addAppender(audit);
        auditLevel = auditLogger.getLevel();
        auditLogger.setLevel(Level.DEBUG); // connect_accepted is DEBUG
    }

    @AfterEach
    void releaseAudit() {
        auditLogger.setLevel(auditLevel);
        auditLogger.detachAppender(audit);
    }

    private StandaloneBroker broker() throws Exception {
        Path file = Files.writeString(dir.resolve("acl"), ACL);
        return TestBrokers.start(c -> c.aclFile(file));
    }

    private static Mqtt5BlockingClient client(StandaloneBroker broker, String id) {
        return Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(broker.mqttPort()).buildBlocking();
    }

    private List<String> auditLines() {
        return audit.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void deniedSubscribeAndPublishGetReasonCode0x87() throws Exception {
        try (StandaloneBroker broker = broker()) {
            Mqtt5BlockingClient c = client(broker, "v5");
            c.connect();
            try (Mqtt5BlockingClient.Mqtt5Publishes publishes = c.publishes(MqttGlobalPublishFilter.ALL)) {
                Mqtt5SubAckException refused = assertThrows(Mqtt5SubAckException.class,
                        () -> c.subscribeWith().topicFilter("test/nosubscribe").qos(MqttQos.AT_LEAST_ONCE).send());
                assertEquals(List.of(Mqtt5SubAckReasonCode.NOT_AUTHORIZED), refused.getMqttMessage().getReasonCodes());
                c.subscribeWith().topicFilter("#").qos(MqttQos.AT_LEAST_ONCE).send();

                Mqtt5PubAckException puback = assertThrows(Mqtt5PubAckException.class, () -> c.publishWith()
                        .topic("closed/1").qos(MqttQos.AT_LEAST_ONCE).payload("x".getBytes()).send());
                assertEquals(Mqtt5PubAckReasonCode.NOT_AUTHORIZED, puback.getMqttMessage().getReasonCode());
                Mqtt5PubRecException pubrec = assertThrows(Mqtt5PubRecException.class, () -> c.publishWith()
                        .topic("closed/2").qos(MqttQos.EXACTLY_ONCE).payload("x".getBytes()).send());
                assertEquals(Mqtt5PubRecReasonCode.NOT_AUTHORIZED, pubrec.getMqttMessage().getReasonCode());

                c.publishWith().topic("open/marker").qos(MqttQos.AT_LEAST_ONCE).payload("m".getBytes()).send();
                Optional<Mqtt5Publish> first = publishes.receive(5, TimeUnit.SECONDS);
                assertTrue(first.isPresent());
                assertEquals("open/marker", first.get().getTopic().toString(), "the refused ones were not routed");
                assertEquals("m", new String(first.get().getPayloadAsBytes(), StandardCharsets.UTF_8));
            }
            c.disconnect();
        }
        List<String> lines = auditLines();
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("event=connect_accepted client=v5 user=- address=/127.0.0.1:")),
                String.valueOf(lines));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("event=authorization_denied client=v5 user=- address=/127.0.0.1:")
                && l.endsWith(" topic=test/nosubscribe action=subscribe reason=acl")), String.valueOf(lines));
        assertTrue(lines.stream().anyMatch(l -> l.contains(" topic=closed/1 action=publish reason=acl")), String.valueOf(lines));
    }

    @Test
    void aWillOnATopicTheClientMayNotWriteRefusesTheConnect() throws Exception {
        try (StandaloneBroker broker = broker()) {
            Mqtt5BlockingClient c = Mqtt5Client.builder().identifier("willer").serverHost("127.0.0.1")
                    .serverPort(broker.mqttPort()).willPublish().topic("closed/will").payload("bye".getBytes())
                    .applyWillPublish().buildBlocking();
            var e = assertThrows(com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException.class, c::connect);
            assertEquals(com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode.NOT_AUTHORIZED,
                    e.getMqttMessage().getReasonCode());
        }
        assertTrue(auditLines().stream().anyMatch(l -> l.startsWith("event=connect_refused client=willer user=- ")
                && l.contains("reason=\"the will topic closed/will is not writable for this client\"")), String.valueOf(auditLines()));
    }

    @Test
    void aSessionTakeoverIsAudited() throws Exception {
        try (StandaloneBroker broker = broker()) {
            Mqtt5BlockingClient first = client(broker, "twin");
            first.connect();
            Mqtt5BlockingClient second = client(broker, "twin");
            second.connect();
            second.disconnect();
        }
        assertTrue(auditLines().stream().anyMatch(l -> l.startsWith("event=session_takeover client=twin user=- address=")),
                String.valueOf(auditLines()));
    }
}
