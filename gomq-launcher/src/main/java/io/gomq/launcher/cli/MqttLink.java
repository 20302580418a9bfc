package io.gomq.launcher.cli;

/**
 * One connected MQTT client, whichever protocol: what pub and sub need from Paho's v3 and v5
 * clients, which share no types. Failures are {@link CtlException}s.
 */
interface MqttLink extends AutoCloseable {
    /**
     * A delivery; {@code properties} is {@link PublishProperties#NONE} over MQTT 3.1.1. The
     * subscriber acknowledges it ({@code ack}: the PUBACK or PUBCOMP; nothing for QoS 0) once it
     * has handled it. One it has not acknowledged when the link closes comes again or goes to
     * another member of a shared subscription; one it handled is acknowledged before the
     * DISCONNECT, so the broker does not hand it to another member as well.
     */
    record Received(String topic, byte[] payload, boolean retained, PublishProperties properties, Runnable ack) {
    }

    /**
     * Receives deliveries and the end of the connection.
     * Thread rules: called on the client library's thread, one call at a time.
     */
    interface Listener {
        void message(Received message);

        void lost(Throwable cause);
    }

    /** Returns once the message is sent (QoS 0) or acknowledged (QoS 1, 2). */
    void publish(String topic, byte[] payload, int qos, boolean retain, PublishProperties properties);

    /** Subscribes {@code listener} to {@code filter}; a refusal by the broker is a CtlException. */
    void subscribe(String filter, int qos, Listener listener);

    /** Disconnects and releases the client; never throws. */
    @Override
    void close();
}
