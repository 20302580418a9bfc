package io.gomq.embedded;

import io.gomq.client.GoMqException;
import io.gomq.client.NotStoredException;
import io.gomq.client.Producer;
import io.gomq.client.Qos;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.ExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine's refusals reach the user as the API's exceptions, never as an engine type. */
@Timeout(30)
class ApiFailuresTest {
    @TempDir
    Path dir;

    @Test
    void aMessageTheLogRefusesForWantOfDiskFailsWithNotStored() throws Exception {
        // a reserve no disk has: every write that must be stored is refused, nothing else is
        try (GoMqBroker broker = GoMqBroker.start(EmbeddedConfig.builder().dataDir(dir).diskReserveBytes(Long.MAX_VALUE / 2).build());
             Producer producer = broker.producer()) {
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> producer.publish("door/1", null, "open".getBytes(), Qos.AT_LEAST_ONCE, true).get());

            NotStoredException e = assertInstanceOf(NotStoredException.class, refused.getCause());
            assertTrue(e.getMessage().startsWith("not stored: "), e.getMessage());
            assertFalse(e.getCause() instanceof GoMqException, "the engine's exception stays on as the cause, for the logs");
            assertEquals(0, producer.publish("door/1", null, "not kept".getBytes(), Qos.AT_MOST_ONCE, false).get().subscribers(),
                    "a message that needs no storing still goes through");
        }
    }
}
