package io.gomq.launcher.http;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.net.SocketAddress;
import java.util.List;
import java.util.Map;

/**
 * One aggregated request, copied out of Netty's reference-counted buffers so it can be queued
 * or handed to a worker thread without leaking (bodies are bounded by the aggregator).
 */
final class ApiRequest {
    private final HttpMethod method;
    private final String rawPath;
    private final Map<String, List<String>> query;
    private final HttpHeaders headers;
    private final byte[] body;
    private final boolean keepAlive;
    private final SocketAddress remoteAddress;

    ApiRequest(HttpMethod method, String rawPath, Map<String, List<String>> query, HttpHeaders headers,
               byte[] body, boolean keepAlive) {
        this(method, rawPath, query, headers, body, keepAlive, null);
    }

    ApiRequest(HttpMethod method, String rawPath, Map<String, List<String>> query, HttpHeaders headers,
               byte[] body, boolean keepAlive, SocketAddress remoteAddress) {
        this.remoteAddress = remoteAddress;
        this.method = method;
        this.rawPath = rawPath;
        this.query = query;
        this.headers = headers;
        this.body = body;
        this.keepAlive = keepAlive;
    }

    static ApiRequest from(FullHttpRequest request, SocketAddress remoteAddress) {
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        byte[] body = new byte[request.content().readableBytes()];
        request.content().getBytes(request.content().readerIndex(), body);
        return new ApiRequest(request.method(), uri.rawPath(), uri.parameters(), request.headers().copy(), body,
                HttpUtil.isKeepAlive(request), remoteAddress);
    }

    HttpMethod method() { return method; }
    /** The path as sent, still percent-encoded. */
    String rawPath() { return rawPath; }
    byte[] body() { return body; }
    boolean keepAlive() { return keepAlive; }
    /** The client's address, for the audit; null when unknown. */
    SocketAddress remoteAddress() { return remoteAddress; }

    String header(CharSequence name) {
        return headers.get(name);
    }

    String authorization() {
        return headers.get(HttpHeaderNames.AUTHORIZATION);
    }

    /** The first value of a query parameter (decoded), or null. */
    String queryParam(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The decoded rest of the path after {@code prefix} (a '+' stays a '+': this is a path, not a form). */
    String pathAfter(String prefix) {
        String rest = rawPath.substring(prefix.length());
        return QueryStringDecoder.decodeComponent(rest.replace("+", "%2B"));
    }

    @Override
    public String toString() {
        return method + " " + rawPath;
    }
}
