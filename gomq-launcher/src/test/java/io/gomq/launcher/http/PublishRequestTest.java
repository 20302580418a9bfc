package io.gomq.launcher.http;

import io.gomq.core.message.Message;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PublishRequestTest {

    private static PublishRequest parse(String json) {
        return PublishRequest.parse(Json.read(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void goMqBodyIsAccepted() {
        Message m = parse("{\"topic\":\"A\",\"body\":\"helloWorld\",\"qos\":0,\"retain\":0}").toMessage();
        assertEquals("A", m.topic());
        assertEquals("A", m.key());
        assertEquals("helloWorld", m.payloadAsString());
        assertEquals(0, m.qos().value());
        assertFalse(m.retain());
    }

    @Test
    void keyBooleanRetainAndBase64BodyAreAccepted() {
        PublishRequest r = parse("{\"topic\":\"a/b\",\"key\":\"k\",\"bodyBase64\":\"AP8=\",\"qos\":2,\"retain\":true,\"extra\":1}");
        assertEquals("k", r.key());
        assertArrayEquals(new byte[] {0, (byte) 0xff}, r.payload());
        assertEquals(2, r.qos());
        assertTrue(r.retain());
    }

    @Test
    void absentBodyIsEmptyPayload() {
        assertEquals(0, parse("{\"topic\":\"A\",\"retain\":1}").payload().length);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "{\"topic\":\"A\"                      | ",
        "[1,2]                                 | expected a JSON object",
        "{\"topic\":\"A\"} {}                  | bad JSON",
        "{\"topic\":\"A\",\"topic\":\"B\"} | Duplicate field",
        "{\"body\":\"x\"}                      | missing topic",
        "{\"topic\":\"\"}                      | missing topic",
        "{\"topic\":7}                         | topic must be a string",
        "{\"topic\":\"A\",\"qos\":3}           | qos must be 0, 1 or 2",
        "{\"topic\":\"A\",\"qos\":-1}          | qos must be 0, 1 or 2",
        "{\"topic\":\"A\",\"qos\":1.5}         | qos must be 0, 1 or 2",
        "{\"topic\":\"A\",\"qos\":\"1\"}       | qos must be 0, 1 or 2",
        "{\"topic\":\"A\",\"retain\":2}        | retain must be 0, 1, false or true",
        "{\"topic\":\"A\",\"retain\":\"yes\"}  | retain must be 0, 1, false or true",
        "{\"topic\":\"A\",\"body\":{}}         | body must be a string",
        "{\"topic\":\"A\",\"key\":\"\"}        | key must not be empty",
        "{\"topic\":\"A\",\"body\":\"x\",\"bodyBase64\":\"eA==\"} | not both",
        "{\"topic\":\"A\",\"bodyBase64\":\"%%\"} | not valid base64",
    })
    void badRequestIsA400NamingTheProblem(String json, String expected) {
        ApiException e = assertThrows(ApiException.class, () -> parse(json));
        assertEquals(HttpResponseStatus.BAD_REQUEST, e.response().status());
        String error = new String(e.response().body(), StandardCharsets.UTF_8);
        assertTrue(error.contains(expected == null ? "bad JSON" : expected), error);
    }
}
