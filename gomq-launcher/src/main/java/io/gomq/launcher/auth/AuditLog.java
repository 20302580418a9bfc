package io.gomq.launcher.auth;

import io.gomq.core.auth.Access;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.SocketAddress;

/**
 * Security events, one line each on the logger {@value #LOGGER} (route it to its own file in
 * logback.xml), as {@code key=value} pairs: {@code event=... client=... user=... address=...
 * topic=... action=... reason=...}. A value with spaces, quotes or '=' is double-quoted; a
 * missing one is {@code -}. Anonymous clients show {@code user=-}.
 *
 * <p>Every line is INFO or WARN but {@code connect_accepted}, which is DEBUG: a connect storm of
 * well-behaved clients would otherwise cost a line per connect (formatting, a hand-off to the
 * logging thread, a console write); at 5,000 connects/s that was about a fifth of the broker's
 * CPU per connect. Refusals, failed logins, denials and takeovers stay INFO.
 */
public final class AuditLog {
    public static final String LOGGER = "gomq.audit";
    private static final Logger AUDIT = LoggerFactory.getLogger(LOGGER);

    private AuditLog() {
    }

    /** DEBUG: on with {@code <logger name="gomq.audit" level="DEBUG"/>}. */
    public static void connectAccepted(String client, String user, SocketAddress address) {
        if (AUDIT.isDebugEnabled()) {
            AUDIT.debug(format("connect_accepted", client, user, address, null, null, null));
        }
    }

    public static void connectRefused(String client, String user, SocketAddress address, String reason) {
        line("connect_refused", client, user, address, null, null, reason);
    }

    public static void authenticationFailed(String client, String user, SocketAddress address, String reason) {
        line("authentication_failed", client, user, address, null, null, reason);
    }

    /** {@code action}: publish, subscribe or receive. */
    public static void denied(String client, String user, SocketAddress address, String topic, String action) {
        line("authorization_denied", client, user, address, topic, action, "acl");
    }

    public static void sessionTakenOver(String client, String user, SocketAddress newAddress) {
        line("session_takeover", client, user, newAddress, null, null, "a new connection with the same client id");
    }

    /** An HTTP API request refused by the ACL or the admin role. */
    public static void httpDenied(String user, SocketAddress address, String topic, String action, String reason) {
        line("authorization_denied", null, user, address, topic, action, reason);
    }

    /** {@code rules} < 0: the reload failed, {@code error} says why. */
    public static void aclReloaded(String source, int rules, String error) {
        if (error == null) {
            AUDIT.info("event=acl_reloaded source={} rules={}", quote(source), rules);
        } else {
            AUDIT.warn("event=acl_reload_failed source={} reason={}", quote(source), quote(error));
        }
    }

    /** The action word for an access in a denial line. */
    public static String action(Access access, boolean subscribe) {
        return subscribe ? "subscribe" : access == Access.READ ? "receive" : "publish";
    }

    private static void line(String event, String client, String user, SocketAddress address, String topic,
                             String action, String reason) {
        if (AUDIT.isInfoEnabled()) {
            AUDIT.info(format(event, client, user, address, topic, action, reason));
        }
    }

    private static String format(String event, String client, String user, SocketAddress address, String topic,
                                 String action, String reason) {
        StringBuilder b = new StringBuilder(96).append("event=").append(event);
        b.append(" client=").append(quote(client)).append(" user=").append(quote(user));
        b.append(" address=").append(quote(address == null ? null : address.toString()));
        if (topic != null) {
            b.append(" topic=").append(quote(topic));
        }
        if (action != null) {
            b.append(" action=").append(action);
        }
        if (reason != null) {
            b.append(" reason=").append(quote(reason));
        }
        return b.toString();
    }

    /** A value as the audit lines write it: plain, or double-quoted with \" and \\ escaped; null or empty is '-'. */
    public static String quote(String v) {
        if (v == null || v.isEmpty()) {
            return "-";
        }
        boolean plain = true;
        for (int i = 0; i < v.length() && plain; i++) {
            char c = v.charAt(i);
            plain = c > ' ' && c != '"' && c != '=' && c != 0x7f;
        }
        if (plain) {
            return v;
        }
        StringBuilder b = new StringBuilder(v.length() + 2).append('"');
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < ' ' || c == 0x7f) {
                b.append(String.format("\\u%04x", (int) c)); // no line breaks in an audit line
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
