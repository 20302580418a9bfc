package io.gomq.junit;

import io.gomq.client.Producer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Settings reach the broker; persistent = false writes no file; recording can be switched off. */
@GoMqTest(persistent = false, recordMessages = false, settings = {"ws-port=off", "max-payload-bytes=64"})
@Timeout(30)
class MemoryOnlyTest {

    @Test
    void aMemoryOnlyBrokerHasNoDirectory(GoMqTestBroker broker) {
        assertFalse(broker.dataDir().isPresent());
    }

    @Test
    void theSettingsApply(GoMqTestBroker broker, Producer producer) {
        IllegalStateException off = assertThrows(IllegalStateException.class, broker::wsUri);
        assertEquals("the WEBSOCKET listener is off in this broker's settings", off.getMessage());

        Exception tooLarge = assertThrows(Exception.class,
                () -> producer.publish("big", "x".repeat(65)).get(10, TimeUnit.SECONDS));
        assertEquals("PayloadTooLargeException", rootCause(tooLarge).getClass().getSimpleName());
    }

    @Test
    void withoutRecordingAwaitMessageSaysHowToTurnItOn(GoMqTestBroker broker) {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> broker.awaitMessage("a", Duration.ofSeconds(1)));
        assertEquals("this broker does not record messages: @GoMqTest(recordMessages = false)", e.getMessage());
    }

    private static Throwable rootCause(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
