package io.gomq.core.session.store;

/** One outgoing in-flight delivery: the packet id it went out with and the log offset of its message. */
public record InflightEntry(int packetId, long offset, InflightState state) {
}
