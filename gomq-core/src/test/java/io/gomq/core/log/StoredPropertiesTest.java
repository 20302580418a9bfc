package io.gomq.core.log;

import io.gomq.core.message.Message;
import io.gomq.core.message.MessageProperties;
import io.gomq.core.message.Qos;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static io.gomq.core.log.LogTestSupport.config;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** MQTT 5 message properties are stored with the record and replayed with it, also after a restart. */
@Timeout(30)
class StoredPropertiesTest {
    @TempDir
    Path dir;

    private static final MessageProperties ALL = MessageProperties.builder()
            .payloadUtf8(true).messageExpirySeconds(3600).contentType("application/json").responseTopic("replies/1")
            .correlationData(new byte[] {1, 2, 3}).userProperty("a", "1").userProperty("a", "2").userProperty("ü", "€")
            .build();

    @Test
    void shouldReadBackEveryPropertyInOrderAfterARestart() {
        Message m = Message.builder("t/props").payload("{}").qos(Qos.AT_LEAST_ONCE).key("k").properties(ALL).build();
        try (MessageLog log = MessageLog.open(config(dir))) {
            log.append(Message.of("t/plain", "x".getBytes(StandardCharsets.UTF_8), Qos.AT_MOST_ONCE, false));
            log.append(m);
        }
        try (MessageLog log = MessageLog.open(config(dir)); LogReader r = log.readerFromEarliest()) {
            assertSame(MessageProperties.NONE, r.next().message().properties());
            Message back = r.next().message();
            assertEquals(ALL, back.properties());
            assertEquals("k", back.key());
            assertEquals("{}", back.payloadAsString());
            assertArrayEquals(new byte[] {1, 2, 3}, back.properties().correlationData());
            assertEquals("[a=1, a=2, ü=€]", back.properties().userProperties().toString());
            assertNull(r.next());
        }
    }

    @Test
    void shouldRejectARecordWhosePropertiesAreCut() {
        RecordCodec codec = new RecordCodec();
        Message m = Message.builder("t").payload("p").properties(ALL).build();
        int len = codec.encode(7, m);
        byte[] bytes = codec.array().clone();
        assertNull(codec.validate(bytes, 0, len));
        assertEquals("CRC32C mismatch", codec.validate(flip(bytes, len - 6), 0, len));
        int propertiesLength = RecordCodec.FIXED_HEADER + 1 + 4 + 1; // after topic "t", payload length, payload "p"
        bytes[propertiesLength] += 100;
        String why = codec.validate(bytes, 0, len);
        assertEquals("bad properties length", why.substring(0, "bad properties length".length()), why);
    }

    private static byte[] flip(byte[] bytes, int at) {
        byte[] copy = bytes.clone();
        copy[at] ^= 0x40;
        return copy;
    }
}
