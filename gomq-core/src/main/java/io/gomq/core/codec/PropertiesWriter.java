package io.gomq.core.codec;

import io.gomq.core.message.MessageProperties;
import io.gomq.core.message.MessageProperties.UserProperty;

import java.nio.ByteBuffer;
import java.util.List;

import static io.gomq.core.codec.PropertyId.*;

/**
 * Writes MQTT 5 property blocks in ascending identifier order. Like {@link Wire}, a null
 * {@code out} only counts. {@code *Block} methods write the length prefix too; the others
 * return the size of the properties alone. Nothing here allocates, so the delivery path stays
 * allocation-free.
 */
final class PropertiesWriter {
    private PropertiesWriter() {
    }

    static int packetBlock(ByteBuffer out, PacketProperties p) {
        int n = packet(null, p);
        return Wire.varint(out, n) + (out == null ? n : packet(out, p));
    }

    /** The block of a PUBLISH or will: message properties with {@code expirySeconds} (-1: none) and the per-hop ones. */
    static int messageBlock(ByteBuffer out, MessageProperties m, long expirySeconds, int topicAlias, int[] subscriptionIds,
                            long willDelaySeconds) {
        int n = message(null, m, expirySeconds, topicAlias, subscriptionIds, willDelaySeconds);
        return Wire.varint(out, n) + (out == null ? n : message(out, m, expirySeconds, topicAlias, subscriptionIds, willDelaySeconds));
    }

    private static int message(ByteBuffer out, MessageProperties m, long expirySeconds, int topicAlias, int[] subscriptionIds,
                               long willDelaySeconds) {
        int n = 0;
        if (m.payloadUtf8() != null) {
            n += u8(out, PAYLOAD_FORMAT_INDICATOR, m.payloadUtf8() ? 1 : 0);
        }
        if (expirySeconds >= 0) {
            n += u32(out, MESSAGE_EXPIRY_INTERVAL, expirySeconds);
        }
        n += string(out, CONTENT_TYPE, m.contentType());
        n += string(out, RESPONSE_TOPIC, m.responseTopic());
        int correlation = m.correlationDataLength();
        if (correlation >= 0) {
            if (correlation > 0xFFFF) {
                throw new IllegalArgumentException("correlation data holds at most 65535 bytes, has " + correlation);
            }
            if (out != null) {
                out.put((byte) CORRELATION_DATA.id()).putShort((short) correlation);
                m.writeCorrelationData(out);
            }
            n += 3 + correlation;
        }
        if (subscriptionIds != null) {
            for (int id : subscriptionIds) {
                n += Wire.u8(out, SUBSCRIPTION_IDENTIFIER.id()) + Wire.varint(out, id);
            }
        }
        if (willDelaySeconds > 0) {
            n += u32(out, WILL_DELAY_INTERVAL, willDelaySeconds);
        }
        if (topicAlias > 0) {
            n += u16(out, TOPIC_ALIAS, topicAlias);
        }
        return n + users(out, m.userProperties());
    }

    private static int packet(ByteBuffer out, PacketProperties p) {
        int n = 0;
        if (p.subscriptionIdentifier() >= 0) {
            n += Wire.u8(out, SUBSCRIPTION_IDENTIFIER.id()) + Wire.varint(out, p.subscriptionIdentifier());
        }
        n += u32(out, SESSION_EXPIRY_INTERVAL, p.sessionExpiryInterval());
        n += string(out, ASSIGNED_CLIENT_IDENTIFIER, p.assignedClientIdentifier());
        n += u16(out, SERVER_KEEP_ALIVE, p.serverKeepAlive());
        n += string(out, AUTHENTICATION_METHOD, p.authenticationMethod());
        byte[] authData = p.authenticationDataUnsafe();
        if (authData != null) {
            n += Wire.u8(out, AUTHENTICATION_DATA.id()) + Wire.binary(out, authData);
        }
        n += u8(out, REQUEST_PROBLEM_INFORMATION, p.requestProblemInformation());
        n += u8(out, REQUEST_RESPONSE_INFORMATION, p.requestResponseInformation());
        n += string(out, RESPONSE_INFORMATION, p.responseInformation());
        n += string(out, SERVER_REFERENCE, p.serverReference());
        n += string(out, REASON_STRING, p.reasonString());
        n += u16(out, RECEIVE_MAXIMUM, p.receiveMaximum());
        n += u16(out, TOPIC_ALIAS_MAXIMUM, p.topicAliasMaximum());
        n += u8(out, MAXIMUM_QOS, p.maximumQos());
        n += u8(out, RETAIN_AVAILABLE, p.retainAvailable());
        n += users(out, p.userProperties());
        n += u32(out, MAXIMUM_PACKET_SIZE, p.maximumPacketSize());
        n += u8(out, WILDCARD_SUBSCRIPTION_AVAILABLE, p.wildcardSubscriptionAvailable());
        n += u8(out, SUBSCRIPTION_IDENTIFIER_AVAILABLE, p.subscriptionIdentifierAvailable());
        return n + u8(out, SHARED_SUBSCRIPTION_AVAILABLE, p.sharedSubscriptionAvailable());
    }

    private static int users(ByteBuffer out, List<UserProperty> users) {
        int n = 0;
        for (int i = 0, size = users.size(); i < size; i++) { // indexed: no iterator on the delivery path
            UserProperty u = users.get(i);
            n += Wire.u8(out, USER_PROPERTY.id()) + Wire.string(out, u.name()) + Wire.string(out, u.value());
        }
        return n;
    }

    /** The property if {@code v} is present (not negative). */
    private static int u8(ByteBuffer out, PropertyId id, int v) {
        return v < 0 ? 0 : Wire.u8(out, id.id()) + Wire.u8(out, v);
    }

    private static int u16(ByteBuffer out, PropertyId id, int v) {
        return v < 0 ? 0 : Wire.u8(out, id.id()) + Wire.u16(out, v);
    }

    private static int u32(ByteBuffer out, PropertyId id, long v) {
        return v < 0 ? 0 : Wire.u8(out, id.id()) + Wire.u32(out, v);
    }

    private static int string(ByteBuffer out, PropertyId id, String s) {
        return s == null ? 0 : Wire.u8(out, id.id()) + Wire.string(out, s);
    }
}
