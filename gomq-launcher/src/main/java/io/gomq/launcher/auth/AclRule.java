package io.gomq.launcher.auth;

import io.gomq.core.auth.Access;

/**
 * One {@code topic} or {@code pattern} line of an ACL: a filter and what it grants (read, write,
 * both) or {@code deny}. A pattern's filter still holds {@code %u}/{@code %c}.
 */
record AclRule(String filter, boolean read, boolean write, boolean deny) {
    static AclRule parse(String access, String filter) {
        return switch (access) {
            case "read" -> new AclRule(filter, true, false, false);
            case "write" -> new AclRule(filter, false, true, false);
            case "readwrite" -> new AclRule(filter, true, true, false);
            case "deny" -> new AclRule(filter, false, false, true);
            default -> null;
        };
    }

    boolean grants(Access access) {
        return access == Access.READ ? read : write;
    }

    AclRule withFilter(String f) {
        return new AclRule(f, read, write, deny);
    }
}
