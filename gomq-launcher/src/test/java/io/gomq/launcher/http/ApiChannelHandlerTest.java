package io.gomq.launcher.http;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class ApiChannelHandlerTest {
    private final ApiRequest request = new ApiRequest(HttpMethod.GET, "/x", Map.of(), new DefaultHttpHeaders(), new byte[0], true);

    @Test
    void unexpectedExceptionIsA500WithoutDetails() {
        ApiResponse r = ApiChannelHandler.invoke(req -> {
            throw new IllegalStateException("secret internals at /var/lib/gomq");
        }, request);
        assertEquals(HttpResponseStatus.INTERNAL_SERVER_ERROR, r.status());
        String body = new String(r.body(), StandardCharsets.UTF_8);
        assertEquals("{\"error\":\"internal error\"}", body);
        assertFalse(body.contains("secret"));
    }

    @Test
    void apiExceptionBecomesItsReply() {
        ApiResponse r = ApiChannelHandler.invoke(req -> {
            throw ApiException.badRequest("nope");
        }, request);
        assertEquals(HttpResponseStatus.BAD_REQUEST, r.status());
        assertEquals("{\"error\":\"nope\"}", new String(r.body(), StandardCharsets.UTF_8));
    }
}
