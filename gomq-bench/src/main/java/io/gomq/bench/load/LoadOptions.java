package io.gomq.bench.load;

import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/** The load generator's command line (picocli). */
final class LoadOptions {
    @Option(names = "--url", required = true, description = "the broker, tcp://HOST:PORT (loopback only)")
    URI url;

    @Option(names = "--protocol", defaultValue = "4", converter = ProtocolLevel.class,
            description = "MQTT protocol: 3.1.1 (or 4, default) or 5")
    int protocol;

    @Option(names = "--publishers", defaultValue = "4", description = "publishing connections (default ${DEFAULT-VALUE})")
    int publishers;

    @Option(names = "--subscribers", defaultValue = "1",
            description = "subscribing connections; each receives every message (default ${DEFAULT-VALUE})")
    int subscribers;

    @Option(names = "--persistent-subscribers", description = "subscribers keep a persistent session (MQTT 3.1.1 clean session 0,"
            + " MQTT 5 no clean start and a session expiry): the broker stores their QoS 1/2 messages in its log")
    boolean persistentSubscribers;

    @Option(names = "--topics", defaultValue = "0", description = "topics published to (default: one per publisher)")
    int topics;

    @Option(names = "--qos", defaultValue = "1", description = "QoS of publishes and subscriptions (default ${DEFAULT-VALUE})")
    int qos;

    @Option(names = "--payload", defaultValue = "100", description = "payload bytes, at least 20 (default ${DEFAULT-VALUE})")
    int payloadBytes;

    @Option(names = "--window", defaultValue = "64",
            description = "unacknowledged publishes per publisher (default ${DEFAULT-VALUE})")
    int window;

    @Option(names = "--rate", defaultValue = "0",
            description = "messages per second per publisher; 0 = as fast as the window allows (default ${DEFAULT-VALUE})")
    int ratePerPublisher;

    @Option(names = "--warmup", defaultValue = "PT3S", description = "ISO-8601 duration not measured (default ${DEFAULT-VALUE})")
    Duration warmup;

    @Option(names = "--duration", defaultValue = "PT10S", description = "ISO-8601 duration measured (default ${DEFAULT-VALUE})")
    Duration duration;

    @Option(names = "--label", defaultValue = "", description = "a name for the result line (the broker's)")
    String label;

    @Option(names = "--json", description = "print the result as one JSON line as well")
    boolean json;

    @Option(names = "--latency-log", paramLabel = "FILE",
            description = "write every measured delivery's receive time and latency (nanoseconds, the monotonic clock) to FILE")
    Path latencyLog;

    /** Checks what picocli cannot; returns the reason, or null. */
    String problem() {
        if (!"tcp".equals(url.getScheme()) || url.getHost() == null || url.getPort() <= 0) {
            return "--url must be tcp://HOST:PORT, not " + url;
        }
        if (!url.getHost().equals("127.0.0.1") && !url.getHost().equals("localhost")) {
            return "--url must be a loopback address (load runs on this machine only), not " + url.getHost();
        }
        if (publishers < 1 || subscribers < 0 || window < 1 || ratePerPublisher < 0) {
            return "--publishers and --window must be >= 1, --subscribers and --rate >= 0";
        }
        if (qos < 0 || qos > 2) {
            return "--qos must be 0, 1 or 2";
        }
        if (payloadBytes < LoadPayload.HEADER || payloadBytes > 256 * 1024 * 1024) {
            return "--payload must be " + LoadPayload.HEADER + " to 268435456 bytes";
        }
        if (duration.isNegative() || duration.isZero() || warmup.isNegative()) {
            return "--duration must be positive and --warmup not negative";
        }
        return null;
    }

    /**
     * Paced publishers run on the clients' event loop when the load generator has one core
     * (pinned): there every thread hand-off is a context switch on the only core. With more
     * cores, publisher threads run beside the loops; at 100,000 msg/s on two cores, publishing
     * from the loops delayed the subscriber sharing a loop with them (p99 6.8-8.0 ms against
     * 5.1-5.5 with threads).
     */
    boolean pacedOnClientLoops() {
        return ratePerPublisher > 0 && Runtime.getRuntime().availableProcessors() == 1;
    }

    int topicCount() {
        return topics > 0 ? topics : publishers;
    }
}
