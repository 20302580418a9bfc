package io.gomq.launcher.transport;

import io.gomq.core.auth.TopicAuthorizer;

/**
 * The topic rules MQTT connections are held to.
 *
 * @param authorizer            the rules, or null: everything is allowed and nothing is checked per message
 * @param closeOnDeniedPublish  a denied PUBLISH closes the connection (MQTT 5: DISCONNECT 0x87)
 *                              instead of being acknowledged and dropped
 */
public record Authorization(TopicAuthorizer authorizer, boolean closeOnDeniedPublish) {
    public static final Authorization NONE = new Authorization(null, false);

    /** Topics under it belong to the broker's statistics: never writable by clients, rules or not. */
    static final String SYS_PREFIX = "$SYS";

    /** Whether a client may never publish to {@code topic} ($SYS; {@code $gomq/} is refused as invalid earlier). */
    static boolean isBrokerOnly(String topic) {
        return topic.startsWith(SYS_PREFIX) && (topic.length() == SYS_PREFIX.length() || topic.charAt(SYS_PREFIX.length()) == '/');
    }
}
