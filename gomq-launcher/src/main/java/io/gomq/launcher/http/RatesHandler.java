package io.gomq.launcher.http;

/**
 * GET /rates: messages published per topic since counting began, {@code {"since":1700000000000,
 * "timestamp":1700000005000,"topics":[{"topic":"a/b","messages":12}],"others":0}}; a console
 * draws rates from two answers with the same {@code since}. Counting starts at the first
 * request and stops a minute after the last ({@link TopicRates}). Topics under {@code $} are
 * not counted.
 *
 * <p>Thread rules: a worker thread (starting the count subscribes; may check a password).
 */
final class RatesHandler implements ApiHandler {
    private final TopicRates rates;
    private final BasicAuth auth;

    /** @param auth null when the API is open */
    RatesHandler(TopicRates rates, BasicAuth auth) {
        this.rates = rates;
        this.auth = auth;
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        if (auth != null) {
            auth.require(request);
        }
        return ApiResponse.ok(rates.snapshot());
    }
}
