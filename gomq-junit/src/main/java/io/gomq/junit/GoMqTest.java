package io.gomq.junit;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a GoMQ broker for the annotated test class: MQTT, MQTT over WebSocket and the HTTP API
 * on free ports of 127.0.0.1, its log in a fresh temporary directory that is deleted afterwards.
 * Test and lifecycle methods declare what they need as parameters: {@link GoMqTestBroker},
 * a {@link BrokerUri}/{@link BrokerPort}, or a connected client (see {@link GoMqExtension}).
 *
 * <pre>{@code
 * @GoMqTest
 * class DoorSensorTest {
 *     @Test
 *     void publishesTheDoorState(GoMqTestBroker broker, MqttClient client) throws Exception {
 *         client.publish("sensors/door", "open".getBytes(), 1, false);
 *         assertEquals("open", broker.awaitMessage("sensors/door", Duration.ofSeconds(5)).payloadAsString());
 *     }
 * }
 * }</pre>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(GoMqExtension.class)
public @interface GoMqTest {

    /**
     * One broker for the whole class (the default: fast, state carries over between tests)
     * or a fresh one, with a fresh directory, for each test method.
     *
     * @return when the broker starts and stops
     */
    Lifecycle lifecycle() default Lifecycle.PER_CLASS;

    /**
     * Whether the broker keeps its durable log (in the temporary directory); {@code false}
     * runs memory-only and writes no file.
     *
     * @return true for a broker with a log on disk
     */
    boolean persistent() default true;

    /**
     * Whether the broker records every message published to it (topics not starting with
     * {@code $}) for {@link GoMqTestBroker#awaitMessage}. The recorder is one in-process
     * subscriber to {@code #}: it counts in the subscriber numbers a publish reports.
     *
     * @return true to record messages
     */
    boolean recordMessages() default true;

    /**
     * Broker settings as {@code key=value}, with the keys of the configuration file
     * ({@code java -jar gomq.jar --help} lists them), for example {@code "max-queued=16"}.
     * They win over the extension's own choices (127.0.0.1, free ports, the temporary directory).
     *
     * @return the settings, none by default
     */
    String[] settings() default {};

    /** When the extension starts and stops the broker. */
    enum Lifecycle {
        /** Started before the class's first test, stopped after its last. */
        PER_CLASS,
        /** Started before each test method, stopped after it. */
        PER_METHOD
    }
}
