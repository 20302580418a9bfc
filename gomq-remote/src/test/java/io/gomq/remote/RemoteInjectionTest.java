package io.gomq.remote;

import io.gomq.client.Consumer;
import io.gomq.client.Delivery;
import io.gomq.client.GoMqClient;
import io.gomq.client.MessageStream;
import io.gomq.client.Qos;
import io.gomq.junit.GoMqTest;
import io.gomq.junit.GoMqTestBroker;
import io.gomq.junit.Remote;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** gomq-junit injects the remote client next to the in-process one; a message goes from one to the other. */
@GoMqTest
@Timeout(60)
class RemoteInjectionTest {

    @Test
    void aRemoteAndAnInProcessClientOfTheTestBrokerTalk(@Remote GoMqClient remote, GoMqClient inProcess, GoMqTestBroker broker) {
        try (Consumer consumer = remote.consumer()) {
            MessageStream stream = consumer.subscribe(List.of("doors/+"), Qos.AT_LEAST_ONCE);
            inProcess.producer().publish("doors/front", "open").join();

            Delivery d = stream.poll(Duration.ofSeconds(10));
            assertNotNull(d, "the remote consumer got the in-process publish");
            assertEquals("open", d.payloadAsString());
        }
        remote.producer().publish("doors/back", null, "closed".getBytes(), Qos.AT_LEAST_ONCE, false).join();
        assertEquals("closed", broker.awaitMessage("doors/back", Duration.ofSeconds(10)).payloadAsString());
    }
}
