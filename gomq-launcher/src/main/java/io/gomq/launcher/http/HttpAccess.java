package io.gomq.launcher.http;

import io.gomq.core.auth.Access;
import io.gomq.core.auth.Principal;
import io.gomq.core.auth.TopicAuthorizer;
import io.gomq.core.auth.TopicGate;
import io.gomq.launcher.auth.AuditLog;
import io.gomq.launcher.transport.Authorization;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.function.Predicate;

/**
 * Who may do what over HTTP: the caller authenticated as for MQTT ({@link BasicAuth}), held to
 * the same topic rules (POST /pub writes, GET /messages and /topics read), and the admin role
 * for the operator routes. HTTP requests have no client id: {@code %c} patterns see an empty one.
 *
 * <p>Thread rules: any worker thread; {@link #caller} may hash a password (~0.1 s).
 */
final class HttpAccess {
    static final HttpAccess OPEN = new HttpAccess(null, null);
    private static final String NO_CLIENT_ID = "";

    private final BasicAuth auth;
    private final TopicAuthorizer acl;

    /** @param auth null: no users, no credentials asked; @param acl null: no topic rules */
    HttpAccess(BasicAuth auth, TopicAuthorizer acl) {
        this.auth = auth;
        this.acl = acl;
    }

    /** Whether requests need credentials (their checks may block: such routes run on the workers). */
    boolean checksCredentials() {
        return auth != null;
    }

    /** The authenticated user, null for an anonymous request (or no users at all); 401 otherwise. */
    String caller(ApiRequest request) {
        return auth == null ? null : auth.require(request);
    }

    /** 403 unless the caller has the admin role; open when the broker has no users. */
    void requireAdmin(ApiRequest request) {
        if (auth == null) {
            return;
        }
        String user = auth.require(request);
        if (!auth.isAdmin(user)) {
            AuditLog.httpDenied(user, request.remoteAddress(), null, "admin", request.rawPath());
            throw new ApiException(HttpResponseStatus.FORBIDDEN, "the admin role is required");
        }
    }

    /** 403 when the caller may not publish to {@code topic} ($SYS never). */
    void requireWrite(ApiRequest request, String topic) {
        String user = caller(request);
        if (Authorization.isBrokerOnly(topic) || (acl != null && !acl.permissionsOf(principal(user)).allows(Access.WRITE, topic))) {
            AuditLog.httpDenied(user, request.remoteAddress(), topic, TopicGate.PUBLISH, "acl");
            throw new ApiException(HttpResponseStatus.FORBIDDEN, "not authorized to publish to " + topic);
        }
    }

    /** 403 when the caller may not read {@code topic}. */
    void requireRead(ApiRequest request, String topic) {
        String user = caller(request);
        if (acl != null && !acl.permissionsOf(principal(user)).allows(Access.READ, topic)) {
            AuditLog.httpDenied(user, request.remoteAddress(), topic, TopicGate.RECEIVE, "acl");
            throw new ApiException(HttpResponseStatus.FORBIDDEN, "not authorized to read " + topic);
        }
    }

    /**
     * The caller's rules as a gate for a session that delivers to it (a live tail), or null
     * without topic rules (everything may be read).
     */
    TopicGate readGate(ApiRequest request) {
        String user = caller(request);
        return acl == null ? null : new TopicGate(acl, principal(user), null);
    }

    /** The topics the caller may read (all without rules). */
    Predicate<String> readable(ApiRequest request) {
        String user = caller(request);
        if (acl == null) {
            return t -> true;
        }
        var permissions = acl.permissionsOf(principal(user));
        return t -> permissions.allows(Access.READ, t);
    }

    private static Principal principal(String user) {
        return new Principal(user, NO_CLIENT_ID);
    }
}
