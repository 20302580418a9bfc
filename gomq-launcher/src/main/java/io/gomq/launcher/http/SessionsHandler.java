package io.gomq.launcher.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.gomq.core.engine.BrokerEngine;
import io.gomq.core.session.Session;
import io.gomq.core.session.SessionOutput;
import io.gomq.launcher.transport.ClientDescription;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * GET /sessions: the sessions the broker holds, online ones first, then by client id, at most
 * {@value #MAX_LISTED} ({@code "truncated":true} beyond):
 * {@code {"total":2,"online":1,"truncated":false,"sessions":[{"clientId":"c1","online":true,
 * "remoteAddress":"/127.0.0.1:5000","userName":"alice","protocol":"mqtt 5",
 * "connectedAt":1700000000000,"inFlight":0,"queued":3,"subscriptions":1,"delivered":42,
 * "dropped":0,"expirySeconds":0}]}}. Who and since when are known for network clients and
 * console tails; an in-process consumer or an offline session shows only its counters.
 * In-flight and delivered are read from the session's owner thread's fields without a lock: a
 * moment's view, not a consistent snapshot.
 *
 * <p>Thread rules: a worker thread (it sorts every session). Admin only (the route checks).
 */
final class SessionsHandler implements ApiHandler {
    static final int MAX_LISTED = 1000;

    private final BrokerEngine engine;

    SessionsHandler(BrokerEngine engine) {
        this.engine = engine;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record SessionView(String clientId, boolean online, String remoteAddress, String userName, String protocol,
                       Long connectedAt, int inFlight, int queued, int subscriptions, long delivered, long dropped,
                       long expirySeconds) {

        static SessionView of(Session s) {
            SessionOutput out = s.output();
            ClientDescription who = out instanceof ClientDescription d ? d : null;
            return new SessionView(s.clientId(), out != null,
                    who == null ? null : who.clientAddress(), who == null ? null : who.clientUser(),
                    who == null ? (out == null ? null : "in-process") : who.clientProtocol(),
                    who == null || who.clientSinceMillis() == 0 ? null : who.clientSinceMillis(),
                    s.inflight().size(), s.queue().size(), s.subscriptions().size(), s.deliveredCount(),
                    s.queue().droppedQos0() + s.queue().droppedQos1(), s.expirySeconds());
        }
    }

    record SessionsView(int total, long online, boolean truncated, List<SessionView> sessions) {
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        List<Session> all = new ArrayList<>(engine.sessions().all());
        all.sort(Comparator.comparing((Session s) -> !s.isOnline()).thenComparing(Session::clientId));
        List<SessionView> views = new ArrayList<>(Math.min(all.size(), MAX_LISTED));
        for (Session s : all.subList(0, Math.min(all.size(), MAX_LISTED))) {
            views.add(SessionView.of(s));
        }
        long online = all.stream().filter(Session::isOnline).count();
        return ApiResponse.ok(new SessionsView(all.size(), online, all.size() > MAX_LISTED, views));
    }
}
