package io.gomq.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Injects a client that reaches the broker over the network instead of in-process, for example
 * {@code @Remote GoMqClient client}: the remote client of {@code gomq-remote}, connected to the
 * broker's MQTT listener with replay over its HTTP API. Needs a factory that makes such clients
 * on the classpath ({@code gomq-remote} brings one: {@link GoMqClientFactory#remote()}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface Remote {
}
