package io.gomq.core.codec;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * SUBACK (section 3.9): one code per filter of the SUBSCRIBE, in the same order. Like
 * {@link ConnAck} it carries both views: {@code returnCodes} for MQTT 3.1.1 and
 * {@code reasonCodes} (SUBACK {@link ReasonCode}s) plus {@code properties} for MQTT 5; each
 * constructor derives the other view (every MQTT 5 failure is 3.1.1's 0x80).
 */
public record SubAck(int packetId, List<SubAckReturnCode> returnCodes, List<ReasonCode> reasonCodes,
                     PacketProperties properties) implements MqttPacket {
    public SubAck {
        PacketIds.require(packetId);
        returnCodes = List.copyOf(returnCodes);
        reasonCodes = Acks.checkCodes(PacketType.SUBACK, reasonCodes);
        Acks.checkProperties(PacketType.SUBACK, properties);
        if (returnCodes.isEmpty() || returnCodes.size() != reasonCodes.size()) {
            throw new IllegalArgumentException("SUBACK needs at least one return code, as many as reason codes");
        }
    }

    /** The MQTT 3.1.1 form; as MQTT 5, 0x80 reads as Unspecified error. */
    public SubAck(int packetId, List<SubAckReturnCode> returnCodes) {
        this(packetId, returnCodes, reasonsFor(returnCodes), PacketProperties.NONE);
    }

    /** An MQTT 5 SUBACK. */
    public static SubAck v5(int packetId, List<ReasonCode> reasonCodes, PacketProperties properties) {
        List<SubAckReturnCode> returnCodes = new ArrayList<>(reasonCodes.size());
        for (ReasonCode c : reasonCodes) {
            returnCodes.add(c.isError() ? SubAckReturnCode.FAILURE : SubAckReturnCode.ofValue(c.value()));
        }
        return new SubAck(packetId, returnCodes, reasonCodes, properties);
    }

    private static List<ReasonCode> reasonsFor(List<SubAckReturnCode> returnCodes) {
        List<ReasonCode> reasons = new ArrayList<>(returnCodes.size());
        for (SubAckReturnCode c : Objects.requireNonNull(returnCodes, "returnCodes")) {
            reasons.add(c.isFailure() ? ReasonCode.UNSPECIFIED_ERROR : ReasonCode.of(c.value(), PacketType.SUBACK));
        }
        return reasons;
    }

    @Override
    public PacketType type() {
        return PacketType.SUBACK;
    }
}
