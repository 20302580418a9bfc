package io.gomq.launcher.transport;

import io.gomq.core.codec.Connect;
import io.gomq.core.config.BrokerConfig;
import io.gomq.core.session.Session;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class Mqtt5ConnectTest {

    @Test
    void shouldBoundA311PersistentSessionByMaxSessionExpiryOnly() {
        Connect persistent = Connect.of("c", false, 60);
        assertEquals(Session.NEVER_EXPIRES, Mqtt5Connect.sessionExpiry(persistent, new BrokerConfig()), "the default: never");
        assertEquals(3600, Mqtt5Connect.sessionExpiry(persistent, new BrokerConfig().maxSessionExpirySeconds(3600)));
        assertEquals(0, Mqtt5Connect.sessionExpiry(Connect.of("c", true, 60), new BrokerConfig().maxSessionExpirySeconds(3600)));
    }
}
