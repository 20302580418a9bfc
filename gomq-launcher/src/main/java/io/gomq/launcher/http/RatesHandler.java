package io.gomq.launcher.http;

/**
 * GET /rates: messages published per topic since counting began, {@code {"since":1700000000000,
 * "timestamp":1700000005000,"topics":[{"topic":"a/b","messages":12}],"others":0}}; a console
 * draws rates from two answers with the same {@code since}. Counting starts at the first
 * request and stops a minute after the last ({@link TopicRates}). Topics under {@code $} are
 * not counted; with topic rules, only the topics the caller may read are listed.
 *
 * <p>Thread rules: a worker thread (starting the count subscribes; may check a password).
 */
final class RatesHandler implements ApiHandler {
    private final TopicRates rates;
    private final HttpAccess access;

    RatesHandler(TopicRates rates, HttpAccess access) {
        this.rates = rates;
        this.access = access;
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        return ApiResponse.ok(rates.snapshot(access.readable(request)));
    }
}
