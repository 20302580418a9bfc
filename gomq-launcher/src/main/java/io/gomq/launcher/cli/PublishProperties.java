package io.gomq.launcher.cli;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The MQTT 5 properties of a PUBLISH that gomqctl sets (pub) and shows (sub -v). Null or empty
 * fields are absent; MQTT 3.1.1 messages have none ({@link #NONE}).
 *
 * @param userProperties in order; a key may repeat
 * @param expirySeconds  message expiry interval, or null
 */
record PublishProperties(List<Map.Entry<String, String>> userProperties, Long expirySeconds, String responseTopic,
                         String contentType, byte[] correlationData) {
    static final PublishProperties NONE = new PublishProperties(List.of(), null, null, null, null);
    /** The largest four-byte integer: the message expiry interval's range. */
    static final long MAX_EXPIRY_SECONDS = 0xFFFF_FFFFL;

    PublishProperties {
        userProperties = userProperties == null ? List.of() : List.copyOf(userProperties);
    }

    boolean isEmpty() {
        return userProperties.isEmpty() && expirySeconds == null && responseTopic == null && contentType == null
                && correlationData == null;
    }

    /** Parses a {@code --user-property k=v}: the first '=' splits, the value may be empty or hold '='. */
    static Map.Entry<String, String> parseUserProperty(String text) {
        int eq = text.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("--user-property expects KEY=VALUE, not '" + text + "'");
        }
        return Map.entry(text.substring(0, eq), text.substring(eq + 1));
    }

    /** For sub -v: {@code name=value} fields, the user properties last ({@code user-property=k=v}). */
    List<String> describe() {
        List<String> fields = new ArrayList<>();
        if (contentType != null) {
            fields.add("content-type=" + contentType);
        }
        if (responseTopic != null) {
            fields.add("response-topic=" + responseTopic);
        }
        if (correlationData != null) {
            fields.add("correlation-data=" + HexFormat.of().formatHex(correlationData));
        }
        if (expirySeconds != null) {
            fields.add("expiry=" + expirySeconds);
        }
        for (Map.Entry<String, String> p : userProperties) {
            fields.add("user-property=" + p.getKey() + "=" + p.getValue());
        }
        return fields;
    }
}
