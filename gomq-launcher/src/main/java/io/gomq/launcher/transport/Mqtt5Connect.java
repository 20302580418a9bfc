package io.gomq.launcher.transport;

import io.gomq.core.codec.Connect;
import io.gomq.core.codec.PacketProperties;
import io.gomq.core.config.BrokerConfig;
import io.gomq.core.session.Session;

/**
 * What the broker answers an MQTT 5 CONNECT with (section 3.2.2.3): the session expiry it
 * grants (the client's, capped by max-session-expiry), the keep-alive it enforces (the
 * client's, or server-keep-alive when set), and the CONNACK properties that tell the client
 * the broker's limits: Receive Maximum, Maximum Packet Size, Topic Alias Maximum, the features
 * it has, an assigned client identifier, and any value it changed.
 */
final class Mqtt5Connect {
    private Mqtt5Connect() {
    }

    /**
     * The Session Expiry Interval the session gets: 3.1.1 clean session 1 = 0, clean session 0 =
     * never, unless max-session-expiry bounds it (what Mosquitto's persistent_client_expiration
     * does: a client that never returns must not hold the log for ever).
     */
    static long sessionExpiry(Connect c, BrokerConfig config) {
        if (!c.isMqtt5()) {
            return c.cleanSession() ? 0 : Math.min(Session.NEVER_EXPIRES, config.maxSessionExpirySeconds());
        }
        long asked = Math.max(0, c.properties().sessionExpiryInterval()); // absent: 0
        return Math.min(asked, config.maxSessionExpirySeconds());
    }

    /** The keep-alive the broker enforces, seconds (0 = none). */
    static int keepAlive(Connect c, BrokerConfig config) {
        return c.isMqtt5() && config.serverKeepAliveSeconds() > 0 ? config.serverKeepAliveSeconds() : c.keepAliveSeconds();
    }

    static PacketProperties connAckProperties(Connect c, BrokerConfig config, String assignedId, int maxPacketBytes) {
        PacketProperties.Builder p = PacketProperties.builder()
                .receiveMaximum(config.receiveMaximum())
                .maximumPacketSize(maxPacketBytes)
                .topicAliasMaximum(config.maxTopicAliases())
                .retainAvailable(1)
                .wildcardSubscriptionAvailable(1)
                .subscriptionIdentifierAvailable(1)
                .sharedSubscriptionAvailable(1);
        if (assignedId != null) {
            p.assignedClientIdentifier(assignedId);
        }
        long granted = sessionExpiry(c, config);
        if (granted != Math.max(0, c.properties().sessionExpiryInterval())) {
            p.sessionExpiryInterval(granted); // the broker's value wins: the client must use it
        }
        if (config.serverKeepAliveSeconds() > 0) {
            p.serverKeepAlive(config.serverKeepAliveSeconds());
        }
        return p.build();
    }
}
