package io.gomq.remote.internal;

import com.hivemq.client.mqtt.exceptions.MqttClientStateException;
import com.hivemq.client.mqtt.exceptions.MqttSessionExpiredException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
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
 * A publish that meets a lost connection (a failover) is sent again once it is back: at least
 * once, as QoS 1 promises.
 */
final class NetworkProducer implements Producer {
    private static final PublishReceipt RECEIPT = new PublishReceipt(PublishReceipt.UNKNOWN, PublishReceipt.NOT_PERSISTED);

    private final MqttConnections.Connection connection;
    private final Semaphore inFlight;
    private volatile boolean closed;

    NetworkProducer(MqttConnections.Connection connection, int maxInFlight) {
        this.connection = connection;
        this.inFlight = new Semaphore(maxInFlight);
    }

    @Override
    public CompletableFuture<PublishReceipt> publish(Message message) {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("producer is closed"));
        }
        Mqtt5Publish publish;
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
        send(publish, receipt);
        return receipt;
    }

    private void send(Mqtt5Publish publish, CompletableFuture<PublishReceipt> receipt) {
        connection.client().publish(publish).whenComplete((result, failure) -> {
            Throwable error = failure != null ? failure : refusal(result);
            if (lostConnection(error) && !closed) {
                connection.up().thenRun(() -> send(publish, receipt)); // the reconnect goes round the servers
                return;
            }
            inFlight.release();
            if (error != null) {
                receipt.completeExceptionally(error);
            } else {
                receipt.complete(RECEIPT);
            }
        });
    }

    private static boolean lostConnection(Throwable error) {
        Throwable e = error instanceof java.util.concurrent.CompletionException && error.getCause() != null ? error.getCause() : error;
        return e instanceof MqttClientStateException || e instanceof MqttSessionExpiredException
                || e instanceof com.hivemq.client.mqtt.exceptions.ConnectionClosedException;
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
