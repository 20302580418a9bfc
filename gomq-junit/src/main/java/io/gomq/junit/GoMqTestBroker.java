package io.gomq.junit;

import io.gomq.client.Consumer;
import io.gomq.client.Delivery;
import io.gomq.client.GoMqClient;
import io.gomq.client.Qos;
import io.gomq.launcher.StandaloneBroker;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A broker the {@link GoMqExtension} started for a test: its addresses, its in-process API and
 * the messages it received. The extension closes it and deletes its directory; tests do not.
 */
public final class GoMqTestBroker {
    private final StandaloneBroker broker;
    private final Path dataDir;
    private final GoMqClient inProcess;
    private final ReceivedMessages messages;

    GoMqTestBroker(StandaloneBroker broker, Path dataDir, boolean record) {
        this.broker = broker;
        this.dataDir = dataDir;
        this.inProcess = broker.broker().client();
        if (record) {
            messages = new ReceivedMessages();
            Consumer recorder = inProcess.consumer();
            recorder.subscribe(List.of("#"), Qos.EXACTLY_ONCE, messages.handler());
        } else {
            messages = null;
        }
    }

    /**
     * The MQTT over TCP address.
     *
     * @return {@code tcp://127.0.0.1:PORT}, the form Paho and most clients take
     */
    public URI mqttUri() {
        return uri(Listener.MQTT);
    }

    /**
     * The MQTT over WebSocket address.
     *
     * @return {@code ws://127.0.0.1:PORT/mqtt} (the path follows the {@code ws-path} setting)
     * @throws IllegalStateException when the settings switched the listener off
     */
    public URI wsUri() {
        return uri(Listener.WEBSOCKET);
    }

    /**
     * The HTTP API's base address.
     *
     * @return {@code http://127.0.0.1:PORT/}; resolve {@code health}, {@code pub}, ... against it
     */
    public URI httpUri() {
        return uri(Listener.HTTP);
    }

    /**
     * The address of one listener.
     *
     * @param listener which one
     * @return its URI on 127.0.0.1
     * @throws IllegalStateException when the settings switched that listener off
     */
    public URI uri(Listener listener) {
        int port = port(listener);
        String bind = broker.config().bind();
        // a wildcard bind (settings "bind=0.0.0.0") is reached through loopback
        String host = bind.equals("0.0.0.0") || bind.equals("::") ? "127.0.0.1" : bind;
        return switch (listener) {
            case MQTT -> URI.create("tcp://" + host + ":" + port);
            case WEBSOCKET -> URI.create("ws://" + host + ":" + port + broker.config().wsPath());
            case HTTP -> URI.create("http://" + host + ":" + port + "/");
        };
    }

    /**
     * The MQTT over TCP port.
     *
     * @return the port the listener bound
     */
    public int mqttPort() {
        return port(Listener.MQTT);
    }

    /**
     * The MQTT over WebSocket port.
     *
     * @return the port the listener bound
     * @throws IllegalStateException when the settings switched the listener off
     */
    public int wsPort() {
        return port(Listener.WEBSOCKET);
    }

    /**
     * The HTTP API port.
     *
     * @return the port the listener bound
     * @throws IllegalStateException when the HTTP API is off
     */
    public int httpPort() {
        return port(Listener.HTTP);
    }

    /**
     * The port one listener bound.
     *
     * @param listener which one
     * @return its port
     * @throws IllegalStateException when the settings switched that listener off
     */
    public int port(Listener listener) {
        int port = switch (listener) {
            case MQTT -> broker.mqttPort();
            case WEBSOCKET -> broker.wsPort();
            case HTTP -> broker.httpPort();
        };
        if (port < 0) {
            throw new IllegalStateException("the " + listener + " listener is off in this broker's settings");
        }
        return port;
    }

    /**
     * Where the broker keeps its log: a fresh temporary directory, deleted after the broker.
     *
     * @return the directory, or empty for a memory-only broker ({@code persistent = false})
     */
    public Optional<Path> dataDir() {
        return Optional.ofNullable(dataDir);
    }

    /**
     * The broker's in-process client: {@code producer()}, {@code consumer()}, {@code replay(..)};
     * what it publishes reaches network clients and the other way round. The extension closes it
     * with the broker.
     *
     * @return the in-process client of this test broker
     */
    public GoMqClient embedded() {
        return inProcess;
    }

    /**
     * The messages received since the current test started (or since {@link ReceivedMessages#clear()}).
     *
     * @return the recorder
     * @throws IllegalStateException when {@link GoMqTest#recordMessages()} is false
     */
    public ReceivedMessages messages() {
        if (messages == null) {
            throw new IllegalStateException("this broker does not record messages: @GoMqTest(recordMessages = false)");
        }
        return messages;
    }

    /**
     * Waits for a message published to exactly {@code topic} and takes it; see {@link ReceivedMessages}.
     *
     * @param topic   the topic name (no wildcards)
     * @param timeout how long to wait
     * @return the oldest such message not taken yet
     * @throws AssertionError when none arrives in time
     */
    public Delivery awaitMessage(String topic, Duration timeout) {
        return messages().awaitMessage(topic, timeout);
    }

    /**
     * Waits until {@code count} messages were published to exactly {@code topic} and takes them.
     *
     * @param topic   the topic name (no wildcards)
     * @param count   how many
     * @param timeout how long to wait for all of them
     * @return the messages in arrival order
     * @throws AssertionError when fewer arrive in time
     */
    public List<Delivery> awaitMessages(String topic, int count, Duration timeout) {
        return messages().awaitMessages(topic, count, timeout);
    }

    /** {@return a client of its own, for a test parameter; the factory closes it} */
    GoMqClient newInProcessClient() {
        return broker.broker().client();
    }

    /** Forgets recorded messages; the extension calls it before each test. */
    void beforeTest() {
        if (messages != null) {
            messages.clear();
        }
    }

    /** Stops the recorder, then the broker (every thread and file handle it had). */
    void close() {
        try {
            inProcess.close(); // the recorder and every in-process client part
        } finally {
            broker.close();
        }
    }

    @Override
    public String toString() {
        return "GoMqTestBroker{" + mqttUri() + (dataDir == null ? ", memory-only" : ", " + dataDir) + '}';
    }
}
