package io.gomq.launcher.http;

import io.netty.handler.codec.http.HttpResponseStatus;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One reply of the API before it becomes a Netty response: status, content type, body and any
 * extra headers. Immutable apart from {@link #header}, which the builder-style factories use.
 */
final class ApiResponse {
    static final String JSON_TYPE = "application/json; charset=utf-8";
    static final String TEXT_TYPE = "text/plain; charset=utf-8";

    private final HttpResponseStatus status;
    private final String contentType;
    private final byte[] body;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final ResponseStream stream;

    private ApiResponse(HttpResponseStatus status, String contentType, byte[] body) {
        this(status, contentType, body, null);
    }

    private ApiResponse(HttpResponseStatus status, String contentType, byte[] body, ResponseStream stream) {
        this.status = status;
        this.contentType = contentType;
        this.body = body;
        this.stream = stream;
    }

    /** {@code value} serialised by {@link Json}. */
    static ApiResponse json(HttpResponseStatus status, Object value) {
        return new ApiResponse(status, JSON_TYPE, Json.write(value));
    }

    static ApiResponse ok(Object value) {
        return json(HttpResponseStatus.OK, value);
    }

    static ApiResponse text(HttpResponseStatus status, String contentType, String text) {
        return new ApiResponse(status, contentType, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A body as it is (a static file); the caller must not change the array afterwards. */
    static ApiResponse bytes(HttpResponseStatus status, String contentType, byte[] body) {
        return new ApiResponse(status, contentType, body);
    }

    /**
     * 200 with chunked body that {@code stream} writes for as long as it likes (server-sent
     * events): the connection then belongs to the stream and serves no further request.
     */
    static ApiResponse stream(String contentType, ResponseStream stream) {
        return new ApiResponse(HttpResponseStatus.OK, contentType, new byte[0], stream);
    }

    /** Every error reply: {@code {"error":"..."}}. */
    static ApiResponse error(HttpResponseStatus status, String message) {
        return json(status, new ErrorBody(message));
    }

    ApiResponse header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    HttpResponseStatus status() { return status; }
    String contentType() { return contentType; }
    byte[] body() { return body; }
    Map<String, String> headers() { return headers; }
    /** The streaming body, or null for a complete one. */
    ResponseStream stream() { return stream; }

    /** The body of a streamed reply; see {@link #stream}. */
    interface ResponseStream {
        /** The headers are written: start writing to {@code channel}. On its event loop. */
        void start(io.netty.channel.Channel channel);

        /** The reply will never start (the client left, the server closes): release what it holds. Any thread. */
        void abandon();
    }

    record ErrorBody(String error) {
    }
}
