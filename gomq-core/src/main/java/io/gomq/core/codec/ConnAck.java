package io.gomq.core.codec;

import java.util.Objects;

/**
 * CONNACK (MQTT 3.1.1 section 3.2, MQTT 5 section 3.2). Carries both views of the outcome so
 * one record serves either level: {@code returnCode} is what a 3.1.1 client gets,
 * {@code reasonCode} (an MQTT 5 CONNACK reason, see {@link ReasonCode}) and {@code properties}
 * what an MQTT 5 client gets. Each factory derives the other view ({@link #v5} maps reason codes
 * 3.1.1 lacks to the nearest return code), and the encoder writes the one for its level.
 */
public record ConnAck(boolean sessionPresent, ConnectReturnCode returnCode, int reasonCode, PacketProperties properties)
        implements MqttPacket {

    public ConnAck {
        Objects.requireNonNull(returnCode, "returnCode");
        Objects.requireNonNull(properties, "properties");
        ReasonCode reason = ReasonCode.require(reasonCode, PacketType.CONNACK);
        if (sessionPresent && (returnCode != ConnectReturnCode.ACCEPTED || reason.isError())) {
            throw new IllegalArgumentException("session present must be 0 when the connection is refused (MQTT-3.2.2-4, -6)");
        }
        PropertyId bad = properties.firstNotAllowedOn(PacketType.CONNACK);
        if (bad != null) {
            throw new IllegalArgumentException(bad + " is not a CONNACK property");
        }
    }

    /** The MQTT 3.1.1 form; as MQTT 5 it reads as the matching reason code without properties. */
    public ConnAck(boolean sessionPresent, ConnectReturnCode returnCode) {
        this(sessionPresent, returnCode, reasonFor(returnCode).value(), PacketProperties.NONE);
    }

    /** An MQTT 5 CONNACK. */
    public static ConnAck v5(boolean sessionPresent, ReasonCode reason, PacketProperties properties) {
        ReasonCode.require(reason.value(), PacketType.CONNACK);
        return new ConnAck(sessionPresent, returnCodeFor(reason), reason.value(), properties);
    }

    /** {@code reasonCode} as a {@link ReasonCode}. */
    public ReasonCode reason() {
        return ReasonCode.of(reasonCode, PacketType.CONNACK);
    }

    public static ReasonCode reasonFor(ConnectReturnCode code) {
        return switch (code) {
            case ACCEPTED -> ReasonCode.SUCCESS;
            case UNACCEPTABLE_PROTOCOL_VERSION -> ReasonCode.UNSUPPORTED_PROTOCOL_VERSION;
            case IDENTIFIER_REJECTED -> ReasonCode.CLIENT_IDENTIFIER_NOT_VALID;
            case SERVER_UNAVAILABLE -> ReasonCode.SERVER_UNAVAILABLE;
            case BAD_USERNAME_OR_PASSWORD -> ReasonCode.BAD_USER_NAME_OR_PASSWORD;
            case NOT_AUTHORIZED -> ReasonCode.NOT_AUTHORIZED;
        };
    }

    public static ConnectReturnCode returnCodeFor(ReasonCode reason) {
        return switch (reason) {
            case SUCCESS -> ConnectReturnCode.ACCEPTED;
            case UNSUPPORTED_PROTOCOL_VERSION -> ConnectReturnCode.UNACCEPTABLE_PROTOCOL_VERSION;
            case CLIENT_IDENTIFIER_NOT_VALID -> ConnectReturnCode.IDENTIFIER_REJECTED;
            case BAD_USER_NAME_OR_PASSWORD, BAD_AUTHENTICATION_METHOD -> ConnectReturnCode.BAD_USERNAME_OR_PASSWORD;
            case NOT_AUTHORIZED, BANNED -> ConnectReturnCode.NOT_AUTHORIZED;
            default -> ConnectReturnCode.SERVER_UNAVAILABLE;
        };
    }

    @Override
    public PacketType type() {
        return PacketType.CONNACK;
    }
}
