package io.gomq.launcher.transport;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TransportOptionsTest {
    @Test
    void defaultsMatchTheDocumentedValues() {
        TransportOptions o = TransportOptions.defaults();
        assertEquals(10_000, o.connectTimeoutMs());
        assertEquals(32 * 1024, o.writeLowWaterBytes());
        assertEquals(64 * 1024, o.writeHighWaterBytes());
    }

    @Test
    void rejectsLowWaterAboveHighWater() {
        assertThrows(IllegalArgumentException.class, () -> new TransportOptions(1, 10, 5, 1, 0, 0, 1, 1));
    }

    @Test
    void rejectsNonPositiveConnectTimeout() {
        assertThrows(IllegalArgumentException.class, () -> TransportOptions.defaults().connectTimeoutMs(0));
    }
}
