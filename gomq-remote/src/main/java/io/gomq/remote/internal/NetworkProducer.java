package io.gomq.remote.internal;

import com.hivemq.client.mqtt.datatypes.MqttUtf8String;
import com.hivemq.client.mqtt.exceptions.MqttClientStateException;
import com.hivemq.client.mqtt.exceptions.MqttSessionExpiredException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubRecException;
import com.hivemq.client.mqtt.mqtt5.message.Mqtt5ReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import io.gomq.client.ClosedException;
import io.gomq.client.Message;
import io.gomq.client.NotAuthorizedException;
import io.gomq.client.NotConnectedException;
import io.gomq.client.NotStoredException;
import io.gomq.client.Producer;
import io.gomq.client.PublishReceipt;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * {@link Producer} on the client's shared MQTT connection. The future completes on the broker's
 * acknowledgement (PUBACK, PUBCOMP; QoS 0 once sent) and fails on a refusal (an error reason code,
 * mapped onto the API's exceptions as an in-process producer would fail).
 * At most {@code maxInFlightPublishes} are unacknowledged: {@code publish} waits for room, so a
 * broker that paces its producers (a congested subscriber) paces this one without a growing queue.
 * A publish that meets a lost connection (a failover) is sent again once it is back: at least
 * once, as QoS 1 promises.
 */
final class NetworkProducer implements Producer {
    private static final PublishReceipt NOT_STORED = new PublishReceipt(PublishReceipt.UNKNOWN, PublishReceipt.NOT_PERSISTED);

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
            return CompletableFuture.failedFuture(new ClosedException("producer is closed"));
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
                receipt.completeExceptionally(apiFailure(error));
            } else {
                receipt.complete(receipt(result));
            }
        });
    }

    /** The offset the broker put in the PUBACK (it does for a stored message, since this client asked at CONNECT). */
    private static PublishReceipt receipt(Mqtt5PublishResult result) {
        if (result instanceof Mqtt5PublishResult.Mqtt5Qos1Result q1) {
            for (var u : q1.getPubAck().getUserProperties().asList()) {
                if (u.getName().toString().equals(PublishReceipt.OFFSET_PROPERTY)) {
                    try {
                        return new PublishReceipt(PublishReceipt.UNKNOWN, Long.parseLong(u.getValue().toString()));
                    } catch (NumberFormatException e) {
                        break; // not a broker of ours: no offset
                    }
                }
            }
        }
        return NOT_STORED;
    }

    private static boolean lostConnection(Throwable error) {
        Throwable e = error instanceof java.util.concurrent.CompletionException && error.getCause() != null ? error.getCause() : error;
        return e instanceof MqttClientStateException || e instanceof MqttSessionExpiredException
                || e instanceof com.hivemq.client.mqtt.exceptions.ConnectionClosedException;
    }

    private static Throwable refusal(Mqtt5PublishResult result) {
        // the reason code first: the HiveMQ client also sets an error (its own exception type) for it
        if (result instanceof Mqtt5PublishResult.Mqtt5Qos1Result q1 && q1.getPubAck().getReasonCode().isError()) {
            return refused(q1.getPubAck().getReasonCode(), q1.getPubAck().getReasonString());
        }
        if (result instanceof Mqtt5PublishResult.Mqtt5Qos2Result q2 && q2.getPubRec().getReasonCode().isError()) {
            return refused(q2.getPubRec().getReasonCode(), q2.getPubRec().getReasonString());
        }
        return result.getError().orElse(null);
    }

    /** The reason code of a PUBACK/PUBREC as the API's exception: the same type an in-process producer fails with. */
    private static RuntimeException refused(Mqtt5ReasonCode code, Optional<MqttUtf8String> reason) {
        String why = "the broker refused the message: " + code + reason.map(r -> " (" + r + ")").orElse("");
        return switch (code.getCode()) {
            case 0x87 -> new NotAuthorizedException(why); // Not authorized
            case 0x90, 0x99, 0x95 -> new IllegalArgumentException(why); // topic name / payload format invalid, packet too large
            default -> new NotStoredException(why); // quota exceeded (retained store full), implementation specific, unspecified
        };
    }

    /** A failure of the HiveMQ client as the API's exception. */
    private Throwable apiFailure(Throwable error) {
        Throwable e = error instanceof java.util.concurrent.CompletionException && error.getCause() != null ? error.getCause() : error;
        if (e instanceof Mqtt5PubAckException ack) { // how the HiveMQ client fails a publish whose PUBACK refused it
            return refused(ack.getMqttMessage().getReasonCode(), ack.getMqttMessage().getReasonString());
        }
        if (e instanceof Mqtt5PubRecException rec) {
            return refused(rec.getMqttMessage().getReasonCode(), rec.getMqttMessage().getReasonString());
        }
        if (e instanceof RuntimeException && e.getClass().getPackageName().startsWith("java.")
                || e instanceof io.gomq.client.GoMqException) {
            return e;
        }
        return closed ? new ClosedException("producer is closed", e) : new NotConnectedException("publish failed: " + e.getMessage(), e);
    }

    @Override
    public void close() {
        closed = true;
    }
}
