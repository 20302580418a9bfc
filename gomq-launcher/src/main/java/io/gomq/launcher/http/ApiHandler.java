package io.gomq.launcher.http;

/**
 * One route's logic. Returns the reply or throws {@link ApiException} for a refused request;
 * any other exception becomes a 500 that is logged, with no detail for the client.
 */
@FunctionalInterface
interface ApiHandler {
    ApiResponse handle(ApiRequest request);
}
