package io.gomq.launcher.spec;

import io.gomq.core.config.Defaults;
import io.gomq.launcher.StandaloneBroker;
import io.gomq.launcher.testing.RawMqttClient;
import io.gomq.launcher.testing.TestBrokers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MQTT 5: a DISCONNECT the broker sends with a reason code reaches a client that is still
 * writing (the Eclipse Paho interoperability test {@code test_flow_control2} does this: it
 * answers the PUBRECs it reads before the DISCONNECT with PUBRELs).
 */
@Timeout(30)
class ServerDisconnectSpecTest {
    private static StandaloneBroker broker;

    @BeforeAll
    static void start() {
        broker = TestBrokers.start();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @Test
    void receiveMaximumExceededDisconnectIsReadWhileTheClientKeepsAnsweringPubrecs() throws Exception {
        int receiveMaximum = Defaults.RECEIVE_MAXIMUM; // the broker announces it in its CONNACK
        try (RawMqttClient c = new RawMqttClient(broker.mqttPort())) {
            c.send(0x10, 15,                         // 3.1 CONNECT
                    0x00, 0x04, 'M', 'Q', 'T', 'T',
                    0x05,                            // 3.1.2.2 protocol version 5
                    0x02,                            // clean start
                    0x00, 0x00,                      // no keep-alive
                    0x00,                            // 3.1.2.11 no properties
                    0x00, 0x02, 'r', 'm');           // client id "rm"
            assertEquals(0x20, c.readPacket()[0] & 0xFF, "CONNACK");

            ByteArrayOutputStream publishes = new ByteArrayOutputStream();
            for (int id = 1; id <= receiveMaximum + 1; id++) { // one more unreleased QoS 2 than allowed
                publishes.write(new byte[] {
                        0x34, 0x07,                  // 3.3 PUBLISH QoS 2, remaining length 7
                        0x00, 0x01, 't',             // topic "t"
                        (byte) (id >> 8), (byte) id, // packet id
                        0x00,                        // no properties
                        'x'});
            }
            c.send(publishes.toByteArray());

            int pubrecs = 0;
            while (true) {
                byte[] p = c.readPacket(); // a reset by the broker fails here
                int type = (p[0] & 0xFF) >> 4;
                if (type == 14) {            // 3.14 DISCONNECT
                    assertEquals(0x93, p[2] & 0xFF, "MQTT-3.3.4-9: reason 0x93 Receive Maximum exceeded");
                    break;
                }
                assertEquals(5, type, "PUBREC");
                pubrecs++;
                c.send(0x62, 0x02, p[2], p[3]); // 3.6 PUBREL, as a client answers each PUBREC
            }
            assertTrue(pubrecs <= receiveMaximum, pubrecs + " PUBRECs");
            assertTrue(c.closedWithin(5_000), "the broker closes after its DISCONNECT");
        }
    }
}
