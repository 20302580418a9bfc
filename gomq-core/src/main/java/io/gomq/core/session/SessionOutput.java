package io.gomq.core.session;

import io.gomq.core.message.Message;

/**
 * Where a session's outgoing packets go: the network connection, or an in-process consumer.
 * Every method but {@link #wakeup()} is called on the session's owner thread.
 */
public interface SessionOutput {
    /** Sends a PUBLISH. {@code message.qos()} is the delivery QoS; packetId is 0 for QoS 0. */
    void publish(Message message, int packetId, boolean dup);

    /** Sends a PUBREL (QoS 2, after the subscriber's PUBREC). */
    void pubRel(int packetId);

    /** Any thread: the session has work; schedule {@link Session#drain(int)} on the owner thread. */
    void wakeup();

    /** Another connection took over this client id: close this one (abnormally). Any thread. */
    void takenOver();
}
