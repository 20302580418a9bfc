package io.gomq.launcher.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.gomq.core.message.Message;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The body of POST /pub, GoMQ's {@code {"topic":"A","body":"helloWorld","qos":0,"retain":0}}
 * plus an optional {@code "key"} (compaction key, default the topic) and, for binary payloads,
 * {@code "bodyBase64"} instead of {@code "body"}. {@code retain} takes 0/1 or false/true; an
 * absent body is an empty payload (with retain: deletes the topic's retained message). Unknown
 * fields are ignored. Every field is checked here, before anything is published.
 */
record PublishRequest(String topic, String key, byte[] payload, int qos, boolean retain) {

    static PublishRequest parse(JsonNode json) {
        if (!json.isObject()) {
            throw ApiException.badRequest("expected a JSON object like {\"topic\":\"A\",\"body\":\"hello\"}");
        }
        String topic = optionalText(json, "topic");
        if (topic == null || topic.isEmpty()) {
            throw ApiException.badRequest("missing topic");
        }
        String key = optionalText(json, "key");
        if (key != null && key.isEmpty()) {
            throw ApiException.badRequest("key must not be empty (leave it out to key by topic)");
        }
        return new PublishRequest(topic, key, payload(json), qos(json), retain(json));
    }

    Message toMessage() {
        return Message.builder(topic).key(key).payload(payload).qos(qos).retain(retain).build();
    }

    private static byte[] payload(JsonNode json) {
        String body = optionalText(json, "body");
        String base64 = optionalText(json, "bodyBase64");
        if (body != null && base64 != null) {
            throw ApiException.badRequest("give body or bodyBase64, not both");
        }
        if (base64 != null) {
            try {
                return Base64.getDecoder().decode(base64);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("bodyBase64 is not valid base64");
            }
        }
        return body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    }

    private static int qos(JsonNode json) {
        JsonNode n = json.get("qos");
        if (n == null || n.isNull()) {
            return 0;
        }
        if (!n.isIntegralNumber() || n.asLong() < 0 || n.asLong() > 2) {
            throw ApiException.badRequest("qos must be 0, 1 or 2, got " + abbreviate(n));
        }
        return n.asInt();
    }

    private static boolean retain(JsonNode json) {
        JsonNode n = json.get("retain");
        if (n == null || n.isNull()) {
            return false;
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        if (n.isIntegralNumber() && (n.asLong() == 0 || n.asLong() == 1)) {
            return n.asLong() == 1;
        }
        throw ApiException.badRequest("retain must be 0, 1, false or true, got " + abbreviate(n));
    }

    /** The field's text; null when absent or JSON null; a 400 when it is not a string. */
    private static String optionalText(JsonNode json, String field) {
        JsonNode n = json.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw ApiException.badRequest(field + " must be a string, got " + abbreviate(n));
        }
        return n.textValue();
    }

    private static String abbreviate(JsonNode n) {
        String s = n.toString();
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
