package io.gomq.core.auth;

import java.util.Objects;

/**
 * Who a session or a request acts for: the authenticated user name (null for an anonymous
 * client) and the client id. Topic permissions are decided for a principal.
 */
public record Principal(String username, String clientId) {
    public Principal {
        Objects.requireNonNull(clientId, "clientId");
    }

    public static Principal anonymous(String clientId) {
        return new Principal(null, clientId);
    }

    public boolean isAnonymous() {
        return username == null;
    }
}
