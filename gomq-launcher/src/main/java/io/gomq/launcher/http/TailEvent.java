package io.gomq.launcher.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.gomq.core.message.Message;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One message of a live tail as the browser gets it: the topic, the body as text (cut at
 * {@value #MAX_BODY_CHARS} characters, {@code truncated} then set), QoS, retain flag and the
 * publish time (epoch ms).
 */
record TailEvent(String topic, String body, @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean truncated,
                 int qos, boolean retain, long timestamp) {
    static final int MAX_BODY_CHARS = 2048;

    static TailEvent of(Message m) {
        ByteBuffer payload = m.payload().duplicate();
        int maxBytes = MAX_BODY_CHARS * 4; // decode no more than a cut body can need, whatever the payload's size
        boolean longPayload = payload.remaining() > maxBytes;
        if (longPayload) {
            payload.limit(payload.position() + maxBytes);
        }
        String body = StandardCharsets.UTF_8.decode(payload).toString();
        boolean cut = longPayload || body.length() > MAX_BODY_CHARS;
        return new TailEvent(m.topic(), body.length() > MAX_BODY_CHARS ? body.substring(0, MAX_BODY_CHARS) : body, cut, m.qos().value(),
                m.retain(), m.timestampMillis());
    }
}
