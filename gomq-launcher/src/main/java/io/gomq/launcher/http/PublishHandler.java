package io.gomq.launcher.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.gomq.core.engine.BrokerClosedException;
import io.gomq.core.engine.BrokerEngine;
import io.gomq.core.engine.PayloadTooLargeException;
import io.gomq.core.message.Message;
import io.gomq.core.topic.InvalidTopicException;
import io.gomq.launcher.NodeStatus;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.function.Supplier;

/**
 * POST /pub: parses and validates the whole request (JSON, topic, QoS, size) before the
 * message enters the engine, so a refused request publishes nothing. 200
 * {@code {"subscribers":N}} (plus {@code "offset"} once the engine reports where the log
 * stored it); 400 bad input, 401 bad credentials, 413 payload over max-payload-bytes, 503
 * broker closed or this node is a cluster member ({@code {"error":"not the leader","leader":..}}),
 * 507 when the message must be stored and the disk is below its reserve (nothing was published).
 *
 * <p>Thread rules: runs on a Netty event loop when no users file is set (publishing does not
 * block: the HTTP publisher is not paced), else on a worker thread for the password check.
 */
final class PublishHandler implements ApiHandler {
    /** How long a cluster /pub waits for replication before answering 503. */
    static final long ACK_TIMEOUT_MS = 10_000;

    private final BrokerEngine engine;
    private final Supplier<NodeStatus> status;
    private final HttpAccess access;

    PublishHandler(BrokerEngine engine, Supplier<NodeStatus> status, HttpAccess access) {
        this.engine = engine;
        this.status = status;
        this.access = access;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record PublishView(int subscribers, Long offset) {
    }

    record NotLeaderView(String error, String leader) {
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        NodeStatus node = status.get();
        if (!node.acceptsClients()) {
            throw new ApiException(ApiResponse.json(HttpResponseStatus.SERVICE_UNAVAILABLE,
                    new NotLeaderView("not the leader", node.leader())));
        }
        access.caller(request); // 401 before the body is even parsed
        Message message = PublishRequest.parse(Json.read(request.body())).toMessage();
        access.requireWrite(request, message.topic());
        try {
            engine.validate(message);
            var result = engine.publishWithResult(message, null);
            awaitAcknowledgement(engine.acknowledgement(result));
            return ApiResponse.ok(new PublishView(result.subscribers(), result.persisted() ? result.offset() : null));
        } catch (InvalidTopicException e) {
            throw ApiException.badRequest("invalid topic: " + e.getMessage());
        } catch (PayloadTooLargeException e) {
            throw new ApiException(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, e.getMessage());
        } catch (io.gomq.core.engine.RetainedLimitException e) {
            throw new ApiException(HttpResponseStatus.TOO_MANY_REQUESTS, e.getMessage());
        } catch (BrokerClosedException e) {
            throw new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE, "broker is closed");
        } catch (io.gomq.core.log.DiskFullException e) {
            throw new ApiException(HttpResponseStatus.INSUFFICIENT_STORAGE, "not stored: " + e.getMessage());
        } catch (io.gomq.core.log.LogException e) {
            throw new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE, "not the leader any more");
        }
    }

    /**
     * 200 only once the message is stored (under FSYNC: forced) and, in a cluster, on min-insync
     * members. Blocks a worker thread: the launcher routes /pub to the workers whenever the broker
     * has a log; a memory-only broker's future is done at once.
     */
    private static void awaitAcknowledgement(java.util.concurrent.CompletableFuture<Void> acked) {
        if (acked.isDone() && !acked.isCompletedExceptionally()) {
            return;
        }
        try {
            acked.get(ACK_TIMEOUT_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE, "interrupted while waiting for replication");
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof io.gomq.core.log.DiskFullException full) {
                throw full; // refused by the log's writer: 507 as when refused at once
            }
            if (e.getCause() instanceof io.gomq.core.log.LogException refused) {
                throw refused;
            }
            throw new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "not acknowledged: not replicated to the required members (leader change?)");
        } catch (java.util.concurrent.TimeoutException e) {
            throw new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "not acknowledged: not replicated to the required members (leader change?)");
        }
    }
}
