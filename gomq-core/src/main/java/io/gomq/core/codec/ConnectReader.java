package io.gomq.core.codec;

import io.gomq.core.message.Qos;

/** Reads CONNECT (section 3.1, MQTT 3.1.1 and 5) and CONNACK (3.2) bodies. */
final class ConnectReader {
    private static final int RESERVED = 0x01;
    private static final int CLEAN_SESSION = 0x02;
    private static final int WILL = 0x04;
    private static final int WILL_RETAIN = 0x20;
    private static final int PASSWORD = 0x40;
    private static final int USERNAME = 0x80;

    private ConnectReader() {
    }

    /** A CONNECT declares its own level: 4 and 5 are read in full whatever the decoder's level. */
    static Connect readConnect(PacketReader r) {
        String protocolName = r.readString("protocol name");
        int level = r.readUnsignedByte("protocol level");
        boolean v5 = level == Connect.PROTOCOL_LEVEL_5;
        if (!Connect.PROTOCOL_NAME.equals(protocolName) || (level != Connect.PROTOCOL_LEVEL_311 && !v5)) {
            // Another protocol (MQTT 3.1 "MQIsdp", a future MQTT, ...): the rest is not ours to judge.
            // The session answers CONNACK 1 and closes (MQTT-3.1.2-2).
            return new Connect(protocolName, level, true, 0, "", null, null, null);
        }
        int flags = r.readUnsignedByte("connect flags");
        if ((flags & RESERVED) != 0) {
            throw r.fail(DecodeError.RESERVED_BITS_SET, "CONNECT reserved flag bit 0 must be 0 (MQTT-3.1.2-3)");
        }
        boolean willFlag = (flags & WILL) != 0;
        int willQos = (flags >> 3) & 0x03;
        boolean willRetain = (flags & WILL_RETAIN) != 0;
        if (!willFlag && (willQos != 0 || willRetain)) {
            throw r.fail(DecodeError.INVALID_WILL_FLAGS, "CONNECT will QoS and will retain must be 0 without the will flag");
        }
        if (willQos == 3) {
            throw r.fail(DecodeError.INVALID_QOS, "CONNECT will QoS must not be 3 (MQTT-3.1.2-14)");
        }
        boolean hasUsername = (flags & USERNAME) != 0;
        boolean hasPassword = (flags & PASSWORD) != 0;
        if (hasPassword && !hasUsername && !v5) {
            throw r.fail(DecodeError.PASSWORD_WITHOUT_USERNAME, "CONNECT password flag set without username flag (MQTT-3.1.2-22)");
        }
        int keepAlive = r.readUnsignedShort("keep alive");
        PacketProperties properties = v5 ? PropertiesReader.readPacket(r) : PacketProperties.NONE;
        String clientId = r.readString("client identifier");
        Connect.Will will = null;
        if (willFlag) {
            PropertiesReader willProperties = v5 ? PropertiesReader.readMessage(r, true, false) : null;
            String topic = r.readTopicName("will topic");
            byte[] payload = r.readBinary("will message");
            will = willProperties == null ? new Connect.Will(topic, payload, Qos.of(willQos), willRetain)
                    : new Connect.Will(topic, payload, Qos.of(willQos), willRetain, willProperties.messageProperties(),
                    willProperties.willDelaySeconds());
        }
        String username = hasUsername ? r.readString("user name") : null;
        byte[] password = hasPassword ? r.readBinary("password") : null;
        r.expectEnd();
        return new Connect(protocolName, level, (flags & CLEAN_SESSION) != 0, keepAlive, clientId, will, username, password,
                properties);
    }

    static ConnAck readConnAck(PacketReader r, boolean v5) {
        int ackFlags = r.readUnsignedByte("acknowledge flags");
        if ((ackFlags & 0xFE) != 0) {
            throw r.fail(DecodeError.RESERVED_BITS_SET, "CONNACK acknowledge flag bits 7-1 must be 0");
        }
        boolean sessionPresent = (ackFlags & 0x01) != 0;
        int code = r.readUnsignedByte(v5 ? "reason code" : "return code");
        if (v5) {
            ReasonCode reason = ReasonCode.of(code, PacketType.CONNACK);
            if (reason == null) {
                throw r.fail(DecodeError.INVALID_REASON_CODE, "CONNACK reason code 0x" + Integer.toHexString(code) + " is not valid");
            }
            if (sessionPresent && reason.isError()) {
                throw r.fail(DecodeError.INVALID_REASON_CODE, "CONNACK session present must be 0 with a failure reason (MQTT-3.2.2-6)");
            }
            PacketProperties properties = PropertiesReader.readPacket(r); // always present in a v5 CONNACK
            r.expectEnd();
            return ConnAck.v5(sessionPresent, reason, properties);
        }
        ConnectReturnCode returnCode = ConnectReturnCode.ofValue(code);
        if (returnCode == null) {
            throw r.fail(DecodeError.INVALID_RETURN_CODE, "CONNACK return code " + code + " is reserved");
        }
        if (sessionPresent && returnCode != ConnectReturnCode.ACCEPTED) {
            throw r.fail(DecodeError.INVALID_RETURN_CODE, "CONNACK session present must be 0 with a non-zero return code (MQTT-3.2.2-4)");
        }
        r.expectEnd();
        return new ConnAck(sessionPresent, returnCode);
    }
}
