package io.gomq.launcher.http;

import io.gomq.core.engine.BrokerEngine;
import io.netty.handler.codec.http.HttpMethod;

/**
 * The web console's routes: GET / (the page), GET /console/* (its files and the chart library),
 * and the JSON it reads besides the API's own: GET /sessions, /log, /stats, /rates and the live tail
 * GET /tail (server-sent events). The page publishes with POST /pub.
 *
 * <p>Authentication as for the rest of the API: with users configured, the page, /sessions and
 * /tail need credentials (the browser asks once for the page and sends them with every later
 * request of the console); /stats and /log stay open like /metrics; the console's static files
 * hold no data and stay open; /rates needs credentials too (it names the topics in use).
 */
final class ConsoleRoutes {
    private ConsoleRoutes() {
    }

    /** @param auth null when the API is open */
    static void add(Router router, BrokerEngine engine, BasicAuth auth, TailViewers tails, TopicRates rates) {
        ConsoleFiles files = new ConsoleFiles();
        boolean checks = auth != null; // a password check may hash: then the route runs on a worker
        router.route(HttpMethod.GET, "/", authenticated(auth, files), checks)
                .prefix(HttpMethod.GET, ConsoleFiles.PREFIX, files, false)
                .route(HttpMethod.GET, "/sessions", new SessionsHandler(engine, auth), true)
                .route(HttpMethod.GET, "/log", new LogHandler(engine), true)
                .route(HttpMethod.GET, "/stats", new StatsHandler(engine, tails), true)
                .route(HttpMethod.GET, "/rates", new RatesHandler(rates, auth), true)
                .route(HttpMethod.GET, "/tail", new TailHandler(engine, auth, tails), checks);
    }

    private static ApiHandler authenticated(BasicAuth auth, ApiHandler handler) {
        if (auth == null) {
            return handler;
        }
        return request -> {
            auth.require(request);
            return handler.handle(request);
        };
    }
}
