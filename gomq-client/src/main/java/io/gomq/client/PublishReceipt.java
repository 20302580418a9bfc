package io.gomq.client;

/**
 * What a completed publish tells: how many subscriber queues the message reached, and its
 * log offset ({@code -1} when it was not persisted, or when the broker does not say).
 *
 * <p>In-process ({@code io.gomq.embedded}) both are known. Over the network ({@code io.gomq.remote})
 * MQTT reports no subscriber count ({@link #UNKNOWN}); the offset of a QoS 1 message comes in its
 * PUBACK, as the user property {@value #OFFSET_PROPERTY}, because the remote client asks for it at
 * CONNECT ({@value #OFFSETS_REQUEST_PROPERTY} = {@code true}; any MQTT 5 client may). A QoS 0
 * message has no acknowledgement and a QoS 2 one is stored at PUBREL, after its PUBREC: over the
 * network their receipts say {@link #NOT_PERSISTED} even when the broker stored them.
 *
 * @param subscribers the subscriber queues the message reached, or {@link #UNKNOWN}
 * @param offset      its offset in the log, or {@link #NOT_PERSISTED}
 */
public record PublishReceipt(int subscribers, long offset) {
    /** The offset of a message that was not written to the log (or whose offset is not known). */
    public static final long NOT_PERSISTED = -1;
    /** The subscriber count of a receipt from a remote broker, which MQTT does not report. */
    public static final int UNKNOWN = -1;
    /** The MQTT 5 user property of a PUBACK that holds the stored message's log offset (decimal). */
    public static final String OFFSET_PROPERTY = "gomq-offset";
    /** The MQTT 5 CONNECT user property that asks for {@value #OFFSET_PROPERTY} in PUBACKs (value {@code true}). */
    public static final String OFFSETS_REQUEST_PROPERTY = "gomq-receipt-offsets";

    /** {@return whether the message is known to be written to the log} */
    public boolean persisted() {
        return offset != NOT_PERSISTED;
    }
}
