package io.gomq.launcher.http;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * A request the API refuses: carries the reply to send. Handlers throw it for every client
 * error (bad input, auth, not the leader); the message is for the client, so it must never
 * hold internals or a stack trace.
 */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient ApiResponse response;

    ApiException(ApiResponse response) {
        super(response.status().toString(), null, false, false);
        this.response = response;
    }

    ApiException(HttpResponseStatus status, String message) {
        this(ApiResponse.error(status, message));
    }

    static ApiException badRequest(String message) {
        return new ApiException(HttpResponseStatus.BAD_REQUEST, message);
    }

    ApiResponse response() {
        return response;
    }
}
