package io.gomq.core.session;

import io.gomq.core.message.Message;

import java.util.concurrent.CompletableFuture;

/**
 * Where a session's outgoing packets go: the network connection, or an in-process consumer.
 * Every method but {@link #wakeup()} is called on the session's owner thread.
 */
public interface SessionOutput {
    /** Sends a PUBLISH. {@code message.qos()} is the delivery QoS; packetId is 0 for QoS 0. */
    void publish(Message message, int packetId, boolean dup);

    /**
     * Whether the client takes {@code message} (MQTT 5 Maximum Packet Size): a message it does
     * not take is discarded for this subscriber as if it had been delivered (MQTT 5 section
     * 3.1.2.11.4). Owner thread.
     */
    default boolean accepts(Message message) {
        return true;
    }

    /**
     * The topic rules of the client behind this output, or null (no rules, trusted in-process
     * code). Known before the session is attached, so that what a resumed session re-sends is
     * checked against the new connection's rules, not the previous owner's.
     */
    default io.gomq.core.auth.TopicGate topicGate() {
        return null;
    }

    /** Sends a PUBREL (QoS 2, after the subscriber's PUBREC). */
    void pubRel(int packetId);

    /** Any thread: the session has work; schedule {@link Session#drain(int)} on the owner thread. */
    void wakeup();

    /**
     * Another connection took over this client id: close this one (abnormally) and let go of the
     * session. Any thread. The returned future completes once this connection's owner thread no
     * longer touches the session (a task queued behind the running one, for an event loop); the
     * new connection attaches only then, so the session never has two owners at once.
     */
    CompletableFuture<Void> takenOver();
}
