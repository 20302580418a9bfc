package io.gomq.embedded;

/** Receives deliveries on a broker dispatcher thread; one call at a time per consumer. */
@FunctionalInterface
public interface MessageHandler {
    void onMessage(Delivery delivery) throws Exception;
}
