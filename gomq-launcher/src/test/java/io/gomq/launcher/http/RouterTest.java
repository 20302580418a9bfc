package io.gomq.launcher.http;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RouterTest {
    private final ApiHandler version = r -> null;
    private final ApiHandler list = r -> null;
    private final ApiHandler pub = r -> null;
    private final Router router = new Router()
            .route(HttpMethod.GET, "/version", version, false)
            .route(HttpMethod.GET, "/messages", list, true)
            .prefix(HttpMethod.GET, "/messages/", list, true)
            .route(HttpMethod.POST, "/pub", pub, false);

    @Test
    void exactPathResolvesToItsEndpoint() {
        assertSame(version, router.resolve(HttpMethod.GET, "/version").handler());
        assertSame(pub, router.resolve(HttpMethod.POST, "/pub").handler());
    }

    @Test
    void prefixRouteTakesPathsWithSlashesBelowIt() {
        Router.Endpoint e = router.resolve(HttpMethod.GET, "/messages/a/b/c");
        assertSame(list, e.handler());
        assertEquals(true, e.blocking());
    }

    @Test
    void unknownPathIs404() {
        ApiException e = assertThrows(ApiException.class, () -> router.resolve(HttpMethod.GET, "/nope"));
        assertEquals(HttpResponseStatus.NOT_FOUND, e.response().status());
        assertThrows(ApiException.class, () -> router.resolve(HttpMethod.GET, "/version/"));
    }

    @Test
    void wrongMethodIs405WithAllow() {
        ApiException e = assertThrows(ApiException.class, () -> router.resolve(HttpMethod.GET, "/pub"));
        assertEquals(HttpResponseStatus.METHOD_NOT_ALLOWED, e.response().status());
        assertEquals("POST", e.response().headers().get("allow"));
        ApiException onPrefix = assertThrows(ApiException.class, () -> router.resolve(HttpMethod.DELETE, "/messages/a"));
        assertEquals("GET", onPrefix.response().headers().get("allow"));
    }
}
