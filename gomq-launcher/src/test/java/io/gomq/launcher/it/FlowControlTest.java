package io.gomq.launcher.it;

import io.gomq.launcher.StandaloneBroker;
import io.gomq.launcher.testing.TestBrokers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A small in-flight window: deliveries wait for acknowledgements and resume on them. */
@Timeout(30)
class FlowControlTest {
    private static StandaloneBroker broker;

    @BeforeAll
    static void start() {
        broker = TestBrokers.start(c -> c.broker().maxInflight(2));
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @ParameterizedTest(name = "QoS {0}")
    @ValueSource(ints = {1, 2})
    void shouldDeliverEverythingInOrderWhenInflightWindowIsSmall(int qos) throws Exception {
        try (PahoClients sub = PahoClients.connect(broker, "window-sub-" + qos, true);
             PahoClients pub = PahoClients.connect(broker, "window-pub-" + qos, true)) {
            sub.client.subscribe("window/" + qos, qos);
            for (int i = 0; i < 200; i++) {
                pub.publish("window/" + qos, "w" + i, qos, false);
            }
            for (int i = 0; i < 200; i++) {
                assertEquals("w" + i, sub.next().payload());
            }
        }
    }
}
