package io.gomq.client;

/** Receives deliveries; one call at a time per consumer. */
@FunctionalInterface
public interface MessageHandler {
    /**
     * Handles one delivery; it is acknowledged when this returns (with automatic acknowledgement).
     *
     * @param delivery the message
     * @throws Exception counted in {@link Consumer#handlerErrors()}; the message counts as handled
     */
    void onMessage(Delivery delivery) throws Exception;
}
