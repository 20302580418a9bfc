package io.gomq.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Injects the port one of the broker's listeners bound into an {@code int} parameter, for
 * example {@code @BrokerPort(Listener.HTTP) int httpPort}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface BrokerPort {
    /**
     * The listener.
     *
     * @return which listener's port to inject
     */
    Listener value();
}
