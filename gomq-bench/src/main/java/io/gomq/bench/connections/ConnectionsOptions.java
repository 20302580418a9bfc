package io.gomq.bench.connections;

import picocli.CommandLine.Option;

import java.net.URI;
import java.time.Duration;

/** The connections tool's command line (picocli). */
final class ConnectionsOptions {
    /** Local ports one source address can use towards one broker port (Linux: 32768-60999, a margin kept). */
    static final int PORTS_PER_SOURCE = 25_000;

    @Option(names = "--url", required = true, description = "the broker, tcp://HOST:PORT (loopback only)")
    URI url;

    @Option(names = "--count", defaultValue = "1000", description = "connections to open (default ${DEFAULT-VALUE})")
    int count;

    @Option(names = "--keep-alive", defaultValue = "60",
            description = "keep-alive seconds in CONNECT; a PINGREQ goes out each period (default ${DEFAULT-VALUE})")
    int keepAliveSeconds;

    @Option(names = "--protocol", defaultValue = "4", converter = io.gomq.bench.load.ProtocolLevel.class,
            description = "MQTT protocol: 3.1.1 (or 4, default) or 5")
    int protocol;

    @Option(names = "--in-flight", defaultValue = "1000",
            description = "connects started and not yet answered by a CONNACK (with --churn: connections open), "
                    + "at most (default ${DEFAULT-VALUE})")
    int inFlight;

    @Option(names = "--churn",
            description = "each connection disconnects right after its CONNACK: the connect rate alone, no RSS or idle figures")
    boolean churn;

    @Option(names = "--warm-up", defaultValue = "0",
            description = "connects (each disconnecting at once) before the measured ones, to warm up the JIT (default ${DEFAULT-VALUE})")
    int warmUp;

    @Option(names = "--source-addresses", defaultValue = "0",
            description = "local source addresses 127.0.0.1..127.0.0.N, to get past one address's ephemeral ports "
                    + "(default: one per " + PORTS_PER_SOURCE + " connections)")
    int sourceAddresses;

    @Option(names = "--pid", defaultValue = "0", description = "the broker's process id (default: from --http's /stats)")
    long pid;

    @Option(names = "--http", description = "the broker's HTTP API, http://HOST:PORT, whose /stats names its pid")
    URI http;

    @Option(names = "--settle", defaultValue = "PT5S",
            description = "ISO-8601 wait after the last CONNACK before the RSS is read (default ${DEFAULT-VALUE})")
    Duration settle;

    @Option(names = "--hold", defaultValue = "PT30S",
            description = "ISO-8601 time the idle connections stay open, the broker's CPU measured (default ${DEFAULT-VALUE})")
    Duration hold;

    @Option(names = "--give-up-after", defaultValue = "PT2M",
            description = "ISO-8601 time after which a phase (warm-up, connects) that is still going is cut and reported as it "
                    + "stands: a broker that answers CONNECTs slowly, not at all, is measured too (default ${DEFAULT-VALUE})")
    Duration giveUpAfter;

    @Option(names = "--json", description = "print the result as one JSON line as well")
    boolean json;

    /** Checks what picocli cannot; returns the reason, or null. */
    String problem() {
        if (!"tcp".equals(url.getScheme()) || url.getHost() == null || url.getPort() <= 0) {
            return "--url must be tcp://HOST:PORT, not " + url;
        }
        if (!url.getHost().equals("127.0.0.1") && !url.getHost().equals("localhost")) {
            return "--url must be a loopback address (the broker's RSS is read from /proc), not " + url.getHost();
        }
        if (count < 1 || inFlight < 1 || keepAliveSeconds < 0 || keepAliveSeconds > 65_535 || sourceAddresses < 0 || warmUp < 0) {
            return "--count and --in-flight must be positive, --keep-alive 0..65535, --source-addresses and --warm-up >= 0";
        }
        if (giveUpAfter.isNegative() || giveUpAfter.isZero()) {
            return "--give-up-after must be positive, not " + giveUpAfter;
        }
        if (pid <= 0 && http == null) {
            return "name the broker's process: --pid PID or --http http://HOST:PORT (its /stats reports the pid)";
        }
        return null;
    }

    /** Source addresses to spread the connections over (with churn, only those open at a time hold a port). */
    int sources() {
        int open = churn ? Math.min(count, inFlight) : count;
        return sourceAddresses > 0 ? sourceAddresses : (open + PORTS_PER_SOURCE - 1) / PORTS_PER_SOURCE;
    }
}
