package io.gomq.launcher.http;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.gomq.core.message.Message;
import io.gomq.core.testing.FuzzInvariants;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing (Jazzer) of the HTTP API's JSON input: a POST /pub body goes through
 * {@link Json#read} and {@link PublishRequest#parse} into a message. Only {@link ApiException}
 * (a 400 naming the problem) may escape; anything accepted has a topic and a QoS of 0..2; one
 * body allocates in proportion to its size.
 */
class PublishRequestCoverageFuzzTest {
    @FuzzTest(maxDuration = "")
    void parse(byte[] body) {
        FuzzInvariants.withinAllocation((1 << 20) + 64L * body.length, "parsing a /pub body", () -> {
            FuzzInvariants.onlyThrows(ApiException.class, () -> {
                Message m = PublishRequest.parse(Json.read(body)).toMessage();
                assertFalse(m.topic().isEmpty());
                assertTrue(m.qos().value() >= 0 && m.qos().value() <= 2);
            });
            return null;
        });
    }
}
