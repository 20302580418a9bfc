package io.gomq.launcher.http;

import io.gomq.launcher.cli.GomqVersion;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * GET /version: {@code {"version":"0.1.0","name":"gomq"}}. GoMQ answered with plain text; a
 * client that asks for text only ({@code Accept: text/plain}) still gets the bare version.
 */
final class VersionHandler implements ApiHandler {
    private final String version = GomqVersion.current();

    record VersionView(String version, String name) {
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        String accept = request.header(HttpHeaderNames.ACCEPT);
        if (accept != null && accept.contains("text/plain") && !accept.contains("json")) {
            return ApiResponse.text(HttpResponseStatus.OK, ApiResponse.TEXT_TYPE, version + "\n");
        }
        return ApiResponse.ok(new VersionView(version, "gomq"));
    }
}
