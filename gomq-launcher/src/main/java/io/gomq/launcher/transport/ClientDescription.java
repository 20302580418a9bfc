package io.gomq.launcher.transport;

/**
 * Who is behind a session's connection, for the operator's view (GET /sessions): implemented by
 * the outputs that know it (an MQTT connection, a console tail). Any thread; the values are set
 * once the connection is established.
 */
public interface ClientDescription {
    /** The peer's address, e.g. "/127.0.0.1:51234". */
    String clientAddress();

    /** The user name it authenticated as, or null. */
    String clientUser();

    /** When it connected, epoch ms. */
    long clientSinceMillis();

    /** "mqtt 3.1.1", "mqtt 5", "sse", ... */
    String clientProtocol();
}
