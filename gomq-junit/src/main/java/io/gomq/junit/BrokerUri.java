package io.gomq.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Injects the address of one of the broker's listeners into a {@link java.net.URI} or
 * {@link String} parameter, for example {@code @BrokerUri(Listener.MQTT) URI mqtt}
 * ({@code tcp://127.0.0.1:PORT}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface BrokerUri {
    /**
     * The listener.
     *
     * @return which listener's address to inject
     */
    Listener value();
}
