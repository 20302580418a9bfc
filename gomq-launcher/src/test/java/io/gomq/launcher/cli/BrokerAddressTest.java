package io.gomq.launcher.cli;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BrokerAddressTest {
    @Test
    void parsesHostPortBareHostAndIpv6() {
        assertEquals(new BrokerAddress("127.0.0.1", 9100), BrokerAddress.parse("127.0.0.1:9100", 1)); // parsing only, no socket
        assertEquals(new BrokerAddress("broker", 9000), BrokerAddress.parse("broker", 9000));
        assertEquals(new BrokerAddress("::1", 1883), BrokerAddress.parse("[::1]:1883", 9000));
        assertEquals("[::1]:1883", BrokerAddress.parse("[::1]:1883", 9000).toString());
    }

    @Test
    void rejectsBadPortsAndBareIpv6() {
        for (String bad : new String[] {"h:0", "h:65536", "h:x", ":9000", "::1", "[::1", "[::1]x"}) {
            assertThrows(IllegalArgumentException.class, () -> BrokerAddress.parse(bad, 9000), bad);
        }
    }

    @Test
    void listSplitsCommasAndRepeatedOptionsInOrder() {
        assertEquals(List.of(new BrokerAddress("a", 1), new BrokerAddress("b", 2), new BrokerAddress("c", 9000)),
                BrokerAddress.parseList(List.of("a:1, b:2", "c"), 9000));
        assertThrows(IllegalArgumentException.class, () -> BrokerAddress.parseList(List.of(" , "), 9000));
    }

    @Test
    void startOffsetParsesEarliestLatestAndNumbers() {
        assertEquals(StartOffset.EARLIEST, StartOffset.parse("earliest"));
        assertEquals(StartOffset.LATEST, StartOffset.parse("latest"));
        assertEquals(42, StartOffset.parse("42").offset());
        assertThrows(IllegalArgumentException.class, () -> StartOffset.parse("-1"));
        assertThrows(IllegalArgumentException.class, () -> StartOffset.parse("soon"));
    }
}
