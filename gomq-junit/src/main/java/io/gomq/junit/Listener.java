package io.gomq.junit;

/** The broker's listeners a test can reach; all bound to 127.0.0.1. */
public enum Listener {
    /** MQTT over TCP: {@code tcp://127.0.0.1:PORT}. */
    MQTT,
    /** MQTT over WebSocket: {@code ws://127.0.0.1:PORT/mqtt}. */
    WEBSOCKET,
    /** The HTTP API: {@code http://127.0.0.1:PORT/}. */
    HTTP
}
