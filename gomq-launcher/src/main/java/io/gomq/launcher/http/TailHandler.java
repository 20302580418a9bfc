package io.gomq.launcher.http;

import io.gomq.core.auth.TopicGate;
import io.gomq.core.engine.BrokerEngine;
import io.gomq.core.topic.InvalidTopicException;
import io.gomq.core.topic.Topics;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * GET /tail?filter=F: a live tail of the messages published to topics matching F, as
 * server-sent events ({@code text/event-stream}): {@code event: message} with a JSON
 * {@link TailEvent} per message (the retained ones of matching topics first), {@code event:
 * dropped} with the number of messages this viewer missed because it did not keep up, and a
 * comment every {@value TailStream#HEARTBEAT_SECONDS} s. 400 for a missing or invalid filter,
 * a shared ({@code $share/}) or broker-internal one; 401 as GET /messages; with topic rules the
 * tail delivers only the messages the caller may read; 503 when
 * {@value TailViewers#MAX_VIEWERS} tails are open or the broker is closed.
 *
 * <p>Thread rules: a worker thread when credentials are checked, else the event loop (it only
 * validates; the subscription is made on a worker once the stream starts).
 */
final class TailHandler implements ApiHandler {
    private final BrokerEngine engine;
    private final HttpAccess access;
    private final TailViewers viewers;

    TailHandler(BrokerEngine engine, HttpAccess access, TailViewers viewers) {
        this.engine = engine;
        this.access = access;
        this.viewers = viewers;
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        TopicGate gate = access.readGate(request); // 401 first; null without topic rules
        String filter = filter(request.queryParam("filter"));
        if (engine.isClosed()) {
            throw new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE, "broker is closed");
        }
        TailStream stream = viewers.open(filter, gate);
        if (stream == null) {
            throw new ApiException(ApiResponse.error(HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "too many live tails open (" + TailViewers.MAX_VIEWERS + ")").header("Retry-After", "10"));
        }
        return ApiResponse.stream(TailStream.EVENT_STREAM_TYPE, stream)
                .header("Cache-Control", "no-store")
                .header("X-Accel-Buffering", "no"); // a proxy in front must not hold the events back
    }

    private static String filter(String filter) {
        if (filter == null || filter.isEmpty()) {
            throw ApiException.badRequest("missing filter: use /tail?filter=a/%23");
        }
        if (Topics.isShared(filter)) {
            throw ApiException.badRequest("a tail cannot join a shared subscription: it would take messages from the group");
        }
        if (BrokerEngine.isReserved(filter)) {
            throw ApiException.badRequest("invalid filter: topics under " + BrokerEngine.RESERVED_PREFIX
                    + " are the broker's own");
        }
        try {
            return Topics.validateFilter(filter);
        } catch (InvalidTopicException e) {
            throw ApiException.badRequest("invalid filter: " + e.getMessage());
        }
    }
}
