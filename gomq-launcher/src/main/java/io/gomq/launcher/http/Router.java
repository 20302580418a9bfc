package io.gomq.launcher.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Maps method + path to an {@link Endpoint}: exact paths first, then path prefixes (for
 * {@code /messages/T}, where T may hold slashes). Built once, then read-only: safe from any thread.
 * An unknown path is a 404; a known path with another method a 405 with {@code Allow}.
 */
final class Router {
    /**
     * @param blocking whether the handler may block (password hashing, disk reads): then it runs
     *                 on the API's worker threads, never on a Netty event loop
     */
    record Endpoint(ApiHandler handler, boolean blocking) {
    }

    private final Map<String, Map<HttpMethod, Endpoint>> exact = new LinkedHashMap<>();
    private final List<Map.Entry<String, Map<HttpMethod, Endpoint>>> prefixes = new ArrayList<>();

    Router route(HttpMethod method, String path, ApiHandler handler, boolean blocking) {
        exact.computeIfAbsent(path, p -> new LinkedHashMap<>()).put(method, new Endpoint(handler, blocking));
        return this;
    }

    /** Routes every path that starts with {@code prefix} (which should end in '/'). */
    Router prefix(HttpMethod method, String prefix, ApiHandler handler, boolean blocking) {
        for (Map.Entry<String, Map<HttpMethod, Endpoint>> e : prefixes) {
            if (e.getKey().equals(prefix)) {
                e.getValue().put(method, new Endpoint(handler, blocking));
                return this;
            }
        }
        Map<HttpMethod, Endpoint> byMethod = new LinkedHashMap<>();
        byMethod.put(method, new Endpoint(handler, blocking));
        prefixes.add(Map.entry(prefix, byMethod));
        return this;
    }

    /** The endpoint for the request; throws the 404 or 405 reply when there is none. */
    Endpoint resolve(HttpMethod method, String rawPath) {
        Map<HttpMethod, Endpoint> byMethod = exact.get(rawPath);
        if (byMethod == null) {
            byMethod = longestPrefix(rawPath);
        }
        if (byMethod == null) {
            throw new ApiException(HttpResponseStatus.NOT_FOUND, "no such route: " + truncate(rawPath));
        }
        Endpoint endpoint = byMethod.get(method);
        if (endpoint == null) {
            String allow = byMethod.keySet().stream().map(HttpMethod::name).collect(Collectors.joining(", "));
            throw new ApiException(ApiResponse.error(HttpResponseStatus.METHOD_NOT_ALLOWED,
                    "method " + truncate(method.name()) + " not allowed; use " + allow)
                    .header(HttpHeaderNames.ALLOW.toString(), allow));
        }
        return endpoint;
    }

    private Map<HttpMethod, Endpoint> longestPrefix(String rawPath) {
        Map<HttpMethod, Endpoint> best = null;
        int bestLength = -1;
        for (Map.Entry<String, Map<HttpMethod, Endpoint>> e : prefixes) {
            if (rawPath.startsWith(e.getKey()) && e.getKey().length() > bestLength) {
                best = e.getValue();
                bestLength = e.getKey().length();
            }
        }
        return best;
    }

    private static String truncate(String s) {
        return s.length() > 100 ? s.substring(0, 100) + "..." : s;
    }
}
