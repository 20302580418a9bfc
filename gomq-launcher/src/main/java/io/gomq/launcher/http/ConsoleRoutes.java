package io.gomq.launcher.http;

import io.gomq.core.engine.BrokerEngine;
import io.netty.handler.codec.http.HttpMethod;

/**
 * The web console's routes: GET / (the page), GET /console/* (its files and the chart library),
 * and the JSON it reads besides the API's own: GET /sessions, /log, /stats, /rates and the live tail
 * GET /tail (server-sent events). The page publishes with POST /pub.
 *
 * <p>Access as for the rest of the API: with users configured, the page, /rates and /tail need
 * credentials (the browser asks once for the page and sends them with every later request of
 * the console); /sessions, /stats and /log need the admin role, like /metrics and /cluster;
 * /rates lists only the topics the caller may read, and a tail delivers only those (its
 * session is held to the caller's rules). The console's static files hold no data and stay open.
 */
final class ConsoleRoutes {
    private ConsoleRoutes() {
    }

    static void add(Router router, BrokerEngine engine, HttpAccess access, TailViewers tails, TopicRates rates) {
        ConsoleFiles files = new ConsoleFiles();
        boolean checks = access.checksCredentials(); // a password check may hash: then the route runs on a worker
        router.route(HttpMethod.GET, "/", authenticated(access, files), checks)
                .prefix(HttpMethod.GET, ConsoleFiles.PREFIX, files, false)
                .route(HttpMethod.GET, "/sessions", HttpApiServer.adminOnly(access, new SessionsHandler(engine)), true)
                .route(HttpMethod.GET, "/log", HttpApiServer.adminOnly(access, new LogHandler(engine)), true)
                .route(HttpMethod.GET, "/stats", HttpApiServer.adminOnly(access, new StatsHandler(engine, tails)), true)
                .route(HttpMethod.GET, "/rates", new RatesHandler(rates, access), true)
                .route(HttpMethod.GET, "/tail", new TailHandler(engine, access, tails), checks);
    }

    private static ApiHandler authenticated(HttpAccess access, ApiHandler handler) {
        return request -> {
            access.caller(request);
            return handler.handle(request);
        };
    }
}
