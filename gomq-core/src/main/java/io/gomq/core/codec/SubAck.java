package io.gomq.core.codec;

import java.util.List;

/** SUBACK (section 3.9): one return code per filter of the SUBSCRIBE, in the same order. */
public record SubAck(int packetId, List<SubAckReturnCode> returnCodes) implements MqttPacket {
    public SubAck {
        PacketIds.require(packetId);
        returnCodes = List.copyOf(returnCodes);
        if (returnCodes.isEmpty()) {
            throw new IllegalArgumentException("SUBACK needs at least one return code");
        }
    }

    @Override
    public PacketType type() {
        return PacketType.SUBACK;
    }
}
