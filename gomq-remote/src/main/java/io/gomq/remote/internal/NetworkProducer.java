package io.gomq.remote.internal;

import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import io.gomq.client.Message;
import io.gomq.client.Producer;
import io.gomq.client.PublishReceipt;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * {@link Producer} on the client's shared MQTT connection. The future completes on the broker's
 * acknowledgement (PUBACK, PUBCOMP; QoS 0 once sent) and fails on a refusal (an error reason code).
 * At most {@code maxInFlightPublishes} are unacknowledged: {@code publish} waits for room, so a
 * broker that paces its producers (a congested subscriber) paces this one without a growing queue.
 */
final class NetworkProducer implements Producer {
    private static final PublishReceipt RECEIPT = new PublishReceipt(PublishReceipt.UNKNOWN, PublishReceipt.NOT_PERSISTED);

    private final Mqtt5AsyncClient mqtt;
    private final Semaphore inFlight;
    private volatile boolean closed;

    NetworkProducer(Mqtt5AsyncClient mqtt, int maxInFlight) {
        this.mqtt = mqtt;
        this.inFlight = new Semaphore(maxInFlight);
    }

    @Override
    public CompletableFuture<PublishReceipt> publish(Message message) {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("producer is closed"));
        }
        com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish publish;
        try {
            publish = MqttMessages.toMqtt(message);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("invalid message: " + e.getMessage(), e));
        }
        try {
            inFlight.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<PublishReceipt> receipt = new CompletableFuture<>();
        mqtt.publish(publish).whenComplete((result, failure) -> {
            inFlight.release();
            Throwable error = failure != null ? failure : refusal(result);
            if (error != null) {
                receipt.completeExceptionally(error);
            } else {
                receipt.complete(RECEIPT);
            }
        });
        return receipt;
    }

    private static Throwable refusal(Mqtt5PublishResult result) {
        if (result.getError().isPresent()) {
            return result.getError().get();
        }
        if (result instanceof Mqtt5PublishResult.Mqtt5Qos1Result q1 && q1.getPubAck().getReasonCode().isError()) {
            return new IllegalStateException("the broker refused the message: " + q1.getPubAck().getReasonCode()
                    + q1.getPubAck().getReasonString().map(r -> " (" + r + ")").orElse(""));
        }
        if (result instanceof Mqtt5PublishResult.Mqtt5Qos2Result q2 && q2.getPubRec().getReasonCode().isError()) {
            return new IllegalStateException("the broker refused the message: " + q2.getPubRec().getReasonCode()
                    + q2.getPubRec().getReasonString().map(r -> " (" + r + ")").orElse(""));
        }
        return null;
    }

    @Override
    public void close() {
        closed = true;
    }
}
