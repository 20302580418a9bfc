package io.gomq.launcher.transport;

import io.gomq.core.codec.Connect;
import io.gomq.core.codec.PacketProperties;

/**
 * What one connection agreed with its client at CONNECT: the protocol level (4 = 3.1.1, 5 =
 * MQTT 5) and, for MQTT 5, the client's own limits that the broker must respect when it sends
 * (Maximum Packet Size, Receive Maximum, Topic Alias Maximum), whether the client wants
 * problem information (reason strings), and the topic aliases of both directions.
 * Event loop only.
 */
final class ProtocolState {
    private int level = Connect.PROTOCOL_LEVEL_311;
    private long clientMaxPacketBytes = Long.MAX_VALUE;
    private boolean problemInformation = true;
    private TopicAliases aliases = new TopicAliases(0, 0);

    boolean v5() {
        return level == Connect.PROTOCOL_LEVEL_5;
    }

    int level() {
        return level;
    }

    /** An MQTT 5 CONNECT was accepted: the client's limits from its properties. */
    void mqtt5(PacketProperties client, int serverTopicAliasMax) {
        level = Connect.PROTOCOL_LEVEL_5;
        if (client.maximumPacketSize() > 0) {
            clientMaxPacketBytes = client.maximumPacketSize();
        }
        problemInformation = client.requestProblemInformation() != 0;
        aliases = new TopicAliases(serverTopicAliasMax, Math.max(0, client.topicAliasMaximum()));
    }

    long clientMaxPacketBytes() {
        return clientMaxPacketBytes;
    }

    /** Whether reason strings and user properties may go on packets other than PUBLISH, CONNACK and DISCONNECT. */
    boolean problemInformation() {
        return problemInformation;
    }

    TopicAliases aliases() {
        return aliases;
    }
}
