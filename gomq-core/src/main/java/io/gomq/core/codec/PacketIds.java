package io.gomq.core.codec;

/** Packet identifier checks shared by the records (section 2.3.1: 1..65535, never 0). */
final class PacketIds {
    static final int MAX = 0xFFFF;

    private PacketIds() {
    }

    static int require(int packetId) {
        if (packetId < 1 || packetId > MAX) {
            throw new IllegalArgumentException("packet id must be 1..65535, was " + packetId);
        }
        return packetId;
    }
}
