package io.gomq.launcher.transport;

import io.gomq.core.codec.Connect;
import io.gomq.client.PublishReceipt;
import io.gomq.core.codec.PacketProperties;

/**
 * What one connection agreed with its client at CONNECT: the protocol level (4 = 3.1.1, 5 =
 * MQTT 5) and, for MQTT 5, the client's own limits that the broker must respect when it sends
 * (Maximum Packet Size, Receive Maximum, Topic Alias Maximum), whether the client wants
 * problem information (reason strings), whether it wants log offsets in its PUBACKs, and the
 * topic aliases of both directions.
 * Event loop only.
 */
final class ProtocolState {
    private int level = Connect.PROTOCOL_LEVEL_311;
    private long clientMaxPacketBytes = Long.MAX_VALUE;
    private boolean problemInformation = true;
    private boolean receiptOffsets;
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
        receiptOffsets = client.userProperties().stream().anyMatch(u ->
                u.name().equals(PublishReceipt.OFFSETS_REQUEST_PROPERTY) && u.value().equals("true"));
        aliases = new TopicAliases(serverTopicAliasMax, Math.max(0, client.topicAliasMaximum()));
    }

    long clientMaxPacketBytes() {
        return clientMaxPacketBytes;
    }

    /** Whether reason strings and user properties may go on packets other than PUBLISH, CONNACK and DISCONNECT. */
    boolean problemInformation() {
        return problemInformation;
    }

    /**
     * Whether the client asked in its CONNECT (user property {@value PublishReceipt#OFFSETS_REQUEST_PROPERTY}
     * = true) for the log offset of each stored QoS 1 message in its PUBACK; no other client pays a byte for it.
     * Not when it asked for no problem information: then no user property may go on a PUBACK (MQTT 5 3.1.2.11.7).
     */
    boolean receiptOffsets() {
        return receiptOffsets && problemInformation;
    }

    TopicAliases aliases() {
        return aliases;
    }
}
