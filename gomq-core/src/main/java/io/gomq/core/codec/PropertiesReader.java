package io.gomq.core.codec;

import io.gomq.core.message.MessageProperties;

import java.util.Arrays;

/**
 * Reads one MQTT 5 property block (a variable-byte length, then identifier/value pairs,
 * section 2.2.2) and enforces the rules that are the codec's: identifier known and allowed
 * there, no duplicate, value in range, well-formed UTF-8, Authentication Data only with a
 * method. Each broken rule is a {@link DecodeError} of its own.
 *
 * <p>One instance per block: it accumulates what it reads. An empty block (the common case)
 * allocates nothing.
 */
final class PropertiesReader {
    /** An empty block: nothing was read, so nothing depends on the packet type. */
    private static final PropertiesReader EMPTY = new PropertiesReader(null, false, false);
    private static final int[] NO_IDS = new int[0];

    private final PacketType type;
    private final boolean will;
    private final boolean toClient;
    private PacketProperties.Builder packet;
    private MessageProperties.Builder message;
    private int topicAlias;
    private int[] subscriptionIds = NO_IDS;
    private long willDelaySeconds;

    private PropertiesReader(PacketType type, boolean will, boolean toClient) {
        this.type = type;
        this.will = will;
        this.toClient = toClient;
    }

    /** The non-message properties of a packet other than PUBLISH. */
    static PacketProperties readPacket(PacketReader r) {
        PropertiesReader p = read(r, r.type(), false, false);
        return p.packet == null ? PacketProperties.NONE : p.packet.build();
    }

    /** The properties of a PUBLISH ({@code toClient}: sent by a server) or, with {@code will}, of a CONNECT's will. */
    static PropertiesReader readMessage(PacketReader r, boolean will, boolean toClient) {
        return read(r, will ? PacketType.CONNECT : PacketType.PUBLISH, will, toClient);
    }

    MessageProperties messageProperties() {
        return message == null ? MessageProperties.NONE : message.build();
    }

    int topicAlias() {
        return topicAlias;
    }

    int[] subscriptionIds() {
        return subscriptionIds;
    }

    long willDelaySeconds() {
        return willDelaySeconds;
    }

    private static PropertiesReader read(PacketReader r, PacketType type, boolean will, boolean toClient) {
        String what = will ? "will properties" : "properties";
        int length = r.readVarint(what + " length");
        if (length == 0) {
            return EMPTY;
        }
        PropertiesReader p = new PropertiesReader(type, will, toClient);
        int outer = r.beginBlock(length, what);
        long seen = 0;
        while (r.hasRemaining()) {
            int idValue = r.readVarint("property identifier");
            PropertyId id = PropertyId.ofId(idValue);
            if (id == null || !(will ? id.allowedInWill() : id.allowedOn(type))
                    || (id == PropertyId.SUBSCRIPTION_IDENTIFIER && type == PacketType.PUBLISH && !toClient)) {
                throw r.fail(DecodeError.PROPERTY_NOT_ALLOWED, (id == null ? "unknown property 0x" + Integer.toHexString(idValue)
                        : id.toString()) + " is not allowed in " + (will ? "a will" : type.toString())
                        + (id == PropertyId.SUBSCRIPTION_IDENTIFIER ? " from a client" : ""));
            }
            long bit = 1L << id.id();
            boolean mayRepeat = id.mayRepeat() || (id == PropertyId.SUBSCRIPTION_IDENTIFIER && type == PacketType.PUBLISH);
            if ((seen & bit) != 0 && !mayRepeat) {
                throw r.fail(DecodeError.DUPLICATE_PROPERTY, type + " carries " + id + " more than once");
            }
            seen |= bit;
            p.readValue(r, id);
        }
        r.endBlock(outer);
        if ((seen & 1L << PropertyId.AUTHENTICATION_DATA.id()) != 0 && (seen & 1L << PropertyId.AUTHENTICATION_METHOD.id()) == 0) {
            throw r.fail(DecodeError.AUTHENTICATION_DATA_WITHOUT_METHOD, type + " has Authentication Data without a method");
        }
        return p;
    }

    private void readValue(PacketReader r, PropertyId id) {
        String f = id.name();
        switch (id) {
            case PAYLOAD_FORMAT_INDICATOR -> msg().payloadUtf8(flag(r, id) == 1);
            case MESSAGE_EXPIRY_INTERVAL -> msg().messageExpirySeconds(r.readFourByteInt(f));
            case CONTENT_TYPE -> msg().contentType(r.readString(f));
            case RESPONSE_TOPIC -> msg().responseTopic(r.validTopicName(r.readString(f), DecodeError.INVALID_PROPERTY_VALUE, f));
            case CORRELATION_DATA -> msg().correlationDataOwned(r.readBinary(f));
            case SUBSCRIPTION_IDENTIFIER -> {
                int v = r.readVarint(f);
                if (v == 0) {
                    throw r.fail(DecodeError.INVALID_PROPERTY_VALUE, type + " Subscription Identifier must not be 0");
                }
                if (type == PacketType.SUBSCRIBE) {
                    pkt().subscriptionIdentifier(v);
                } else {
                    subscriptionIds = Arrays.copyOf(subscriptionIds, subscriptionIds.length + 1);
                    subscriptionIds[subscriptionIds.length - 1] = v;
                }
            }
            case SESSION_EXPIRY_INTERVAL -> pkt().sessionExpiryInterval(r.readFourByteInt(f));
            case ASSIGNED_CLIENT_IDENTIFIER -> pkt().assignedClientIdentifier(r.readString(f));
            case SERVER_KEEP_ALIVE -> pkt().serverKeepAlive(r.readUnsignedShort(f));
            case AUTHENTICATION_METHOD -> pkt().authenticationMethod(r.readString(f));
            case AUTHENTICATION_DATA -> pkt().authenticationDataOwned(r.readBinary(f));
            case REQUEST_PROBLEM_INFORMATION -> pkt().requestProblemInformation(flag(r, id));
            case WILL_DELAY_INTERVAL -> willDelaySeconds = r.readFourByteInt(f);
            case REQUEST_RESPONSE_INFORMATION -> pkt().requestResponseInformation(flag(r, id));
            case RESPONSE_INFORMATION -> pkt().responseInformation(r.readString(f));
            case SERVER_REFERENCE -> pkt().serverReference(r.readString(f));
            case REASON_STRING -> pkt().reasonString(r.readString(f));
            case RECEIVE_MAXIMUM -> pkt().receiveMaximum(nonZeroShort(r, id));
            case TOPIC_ALIAS_MAXIMUM -> pkt().topicAliasMaximum(r.readUnsignedShort(f));
            case TOPIC_ALIAS -> {
                topicAlias = r.readUnsignedShort(f);
                if (topicAlias == 0) {
                    throw r.fail(DecodeError.TOPIC_ALIAS_INVALID, "PUBLISH Topic Alias must not be 0 (MQTT-3.3.2-8)");
                }
            }
            case MAXIMUM_QOS -> pkt().maximumQos(flag(r, id));
            case RETAIN_AVAILABLE -> pkt().retainAvailable(flag(r, id));
            case USER_PROPERTY -> {
                String name = r.readString("user property name");
                String value = r.readString("user property value");
                if (will || type == PacketType.PUBLISH) {
                    msg().userProperty(name, value);
                } else {
                    pkt().userProperty(name, value);
                }
            }
            case MAXIMUM_PACKET_SIZE -> {
                long v = r.readFourByteInt(f);
                if (v == 0) {
                    throw r.fail(DecodeError.INVALID_PROPERTY_VALUE, type + " Maximum Packet Size must not be 0");
                }
                pkt().maximumPacketSize(v);
            }
            case WILDCARD_SUBSCRIPTION_AVAILABLE -> pkt().wildcardSubscriptionAvailable(flag(r, id));
            case SUBSCRIPTION_IDENTIFIER_AVAILABLE -> pkt().subscriptionIdentifierAvailable(flag(r, id));
            case SHARED_SUBSCRIPTION_AVAILABLE -> pkt().sharedSubscriptionAvailable(flag(r, id));
        }
    }

    private PacketProperties.Builder pkt() {
        if (packet == null) {
            packet = PacketProperties.builder();
        }
        return packet;
    }

    private MessageProperties.Builder msg() {
        if (message == null) {
            message = MessageProperties.builder();
        }
        return message;
    }

    /** A byte property that must be 0 or 1. */
    private int flag(PacketReader r, PropertyId id) {
        int v = r.readUnsignedByte(id.name());
        if (v > 1) {
            throw r.fail(DecodeError.INVALID_PROPERTY_VALUE, type + " " + id + " must be 0 or 1, was " + v);
        }
        return v;
    }

    private int nonZeroShort(PacketReader r, PropertyId id) {
        int v = r.readUnsignedShort(id.name());
        if (v == 0) {
            throw r.fail(DecodeError.INVALID_PROPERTY_VALUE, type + " " + id + " must not be 0");
        }
        return v;
    }
}
