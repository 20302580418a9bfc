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

    private ApiResponse(HttpResponseStatus status, String contentType, byte[] body) {
        this.status = status;
        this.contentType = contentType;
        this.body = body;
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

    record ErrorBody(String error) {
    }
}
