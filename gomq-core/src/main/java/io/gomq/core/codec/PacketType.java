package io.gomq.core.codec;

/**
 * The MQTT control packet types (section 2.2.1): the 14 of MQTT 3.1.1 and AUTH (15), which only
 * MQTT 5 has. The value 0 is reserved and has no constant; 15 is reserved in 3.1.1, so a 3.1.1
 * decoder rejects it (15 with non-zero flags is also the first byte of GoMQ's replication
 * packets, which belong on the replication listener, not on the client port).
 *
 * <p>The methods without a protocol level describe MQTT 3.1.1; the ones taking a level follow
 * that level (MQTT 5 lets DISCONNECT go both ways and gives acknowledgements optional fields).
 */
public enum PacketType {
    CONNECT(1, Direction.TO_SERVER),
    CONNACK(2, Direction.TO_CLIENT),
    PUBLISH(3, Direction.BOTH),
    PUBACK(4, Direction.BOTH),
    PUBREC(5, Direction.BOTH),
    PUBREL(6, Direction.BOTH),
    PUBCOMP(7, Direction.BOTH),
    SUBSCRIBE(8, Direction.TO_SERVER),
    SUBACK(9, Direction.TO_CLIENT),
    UNSUBSCRIBE(10, Direction.TO_SERVER),
    UNSUBACK(11, Direction.TO_CLIENT),
    PINGREQ(12, Direction.TO_SERVER),
    PINGRESP(13, Direction.TO_CLIENT),
    DISCONNECT(14, Direction.TO_SERVER),
    /** MQTT 5 only: extended authentication exchange. */
    AUTH(15, Direction.BOTH);

    private enum Direction { TO_SERVER, TO_CLIENT, BOTH }

    private static final PacketType[] BY_VALUE = new PacketType[16];

    static {
        for (PacketType t : values()) {
            BY_VALUE[t.value] = t;
        }
    }

    private final int value;
    private final Direction direction;

    PacketType(int value, Direction direction) {
        this.value = value;
        this.direction = direction;
    }

    /** The wire value, the high nibble of the first byte. */
    public int value() {
        return value;
    }

    /**
     * The fixed-header flag bits this type must carry (section 2.2.2): 0b0010 for PUBREL,
     * SUBSCRIBE and UNSUBSCRIBE, 0 for the others. PUBLISH is the exception: its flags are
     * DUP, QoS and RETAIN, and this returns -1.
     */
    public int requiredFlags() {
        if (this == PUBLISH) {
            return -1;
        }
        return this == PUBREL || this == SUBSCRIBE || this == UNSUBSCRIBE ? 0b0010 : 0;
    }

    /**
     * The remaining length every packet of this type has (2 for CONNACK and the packet-id-only
     * acknowledgements, 0 for PINGREQ, PINGRESP and DISCONNECT), or -1 when it varies.
     */
    public int fixedRemainingLength() {
        return fixedRemainingLength(Connect.PROTOCOL_LEVEL_311);
    }

    /** Like {@link #fixedRemainingLength()} at a protocol level: in MQTT 5 only PINGREQ and PINGRESP have one (0). */
    public int fixedRemainingLength(int protocolLevel) {
        if (protocolLevel == Connect.PROTOCOL_LEVEL_5) {
            return this == PINGREQ || this == PINGRESP ? 0 : -1;
        }
        return switch (this) {
            case CONNACK, PUBACK, PUBREC, PUBREL, PUBCOMP, UNSUBACK -> 2;
            case PINGREQ, PINGRESP, DISCONNECT -> 0;
            default -> -1;
        };
    }

    /** Whether a client may send this packet to a server (MQTT 3.1.1). */
    public boolean sentByClient() {
        return direction != Direction.TO_CLIENT;
    }

    /** Whether a server may send this packet to a client (MQTT 3.1.1: never DISCONNECT). */
    public boolean sentByServer() {
        return direction != Direction.TO_SERVER;
    }

    /** Whether a server may send this packet to a client at {@code protocolLevel} (MQTT 5 adds DISCONNECT). */
    public boolean sentByServer(int protocolLevel) {
        return sentByServer() || (this == DISCONNECT && protocolLevel == Connect.PROTOCOL_LEVEL_5);
    }

    /** Whether this type exists at {@code protocolLevel} (AUTH only in MQTT 5). */
    public boolean existsAt(int protocolLevel) {
        return this != AUTH || protocolLevel == Connect.PROTOCOL_LEVEL_5;
    }

    /** The type for a wire value (15 is AUTH, which MQTT 3.1.1 reserves), or null for 0 and anything out of range. */
    public static PacketType ofValue(int value) {
        return value < 0 || value > 15 ? null : BY_VALUE[value];
    }
}
