package io.gomq.launcher.it;

import io.gomq.launcher.StandaloneBroker;
import io.gomq.launcher.testing.RawMqttClient;
import io.gomq.launcher.testing.TestBrokers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static io.gomq.launcher.testing.Await.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Prometheus text the HTTP API serves at /metrics, after real traffic. */
@Timeout(30)
class MetricsScrapeTest {
    @Test
    void shouldExposeEngineAndTransportCountersWhenScraped() throws Exception {
        try (StandaloneBroker broker = TestBrokers.start()) {
            try (PahoClients c = PahoClients.connect(broker, "metered", true)) {
                c.client.subscribe("m/t", 1);
                c.publish("m/t", "one", 1, false);
                c.next();
                try (RawMqttClient bad = new RawMqttClient(broker.mqttPort())) {
                    bad.send(0xC0, 0x00); // PINGREQ before CONNECT
                    assertTrue(bad.closedWithin(2_000));
                }
                await("violation counted", () -> broker.transportMetrics().malformedTotal() == 1);
                // the counter moves before the refused connection's close is accounted: wait for both
                await("refused connection closed", () -> broker.transportMetrics().connectionsOpen.sum() == 1);
                String text = broker.metrics().scrape();
                assertTrue(text.contains("gomq_messages_in_total 1.0"), text);
                assertTrue(text.contains("gomq_bytes_in_total 3.0"), text);
                assertTrue(text.contains("gomq_messages_out_total 1.0"), text);
                assertTrue(text.contains("gomq_sessions 1.0"), text);
                assertTrue(text.contains("gomq_connections 1.0"), text);
                assertTrue(text.contains("gomq_malformed_packets_total{reason=\"connect_not_first\"} 1.0"), text);
                assertTrue(text.contains("gomq_malformed_packets_total{reason=\"reserved_packet_type\"} 0.0"), text);
                assertTrue(text.contains("gomq_messages_dropped_total{qos=\"0\"} 0.0"), text);
            }
        }
    }
}
