package io.gomq.launcher.config;

import io.gomq.launcher.cli.GomqVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The broker's command line ({@code java -jar gomq.jar [flags]}). Values stay raw text here and
 * are parsed by {@link ConfigKey}, like file and environment values, so errors read the same.
 * A field left null was not given and does not override lower-precedence sources.
 */
@Command(name = "gomq", mixinStandardHelpOptions = true, versionProvider = GomqVersion.Provider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = "GoMQ-J broker: MQTT 3.1.1 on --port, HTTP API on --http-port.")
public final class LauncherFlags {
    @Option(names = "--config", paramLabel = "FILE", description = "settings file (.properties, .yaml, .yml); also GOMQ_CONFIG")
    Path config;
    @Option(names = "--port", paramLabel = "PORT", description = "MQTT port (default 9000; 0 = any free port)")
    String port;
    @Option(names = "--http-port", paramLabel = "PORT", description = "HTTP port (default 8000; 0 = any free port)")
    String httpPort;
    @Option(names = "--bind", paramLabel = "ADDR", description = "listen address (default 0.0.0.0)")
    String bind;
    @Option(names = "--data-dir", paramLabel = "DIR", description = "log directory (default ./data)")
    String dataDir;
    @Option(names = "--etcd", paramLabel = "URL", split = ",", description = "etcd endpoints (URL[,URL]); enables cluster mode")
    List<String> etcd;
    @Option(names = "--node-id", paramLabel = "ID", description = "node id in the cluster (default HOST:PORT)")
    String nodeId;
    @Option(names = "--cluster", paramLabel = "NAME", description = "cluster name (default gomq)")
    String cluster;
    @Option(names = "--advertise", paramLabel = "HOST:PORT", description = "address others reach this node at")
    String advertise;
    @Option(names = "--min-insync", paramLabel = "all|N", description = "copies of a QoS>=1 message before its ack: all in-sync members (default) or N, the leader included (1 = the leader only)")
    String minInsync;
    @Option(names = "--lease-ttl", paramLabel = "SECONDS", description = "etcd lease TTL: a dead leader is replaced after about this long (default 2)")
    String leaseTtl;
    @Option(names = "--users", paramLabel = "FILE", description = "users file of name:hash lines (gomqctl hash-password)")
    String users;
    @Option(names = "--allow-anonymous", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
            description = "accept clients without credentials even with --users")
    String allowAnonymous;
    @Option(names = "--tls-port", paramLabel = "PORT", description = "MQTT over TLS port (needs --tls-cert, --tls-key)")
    String tlsPort;
    @Option(names = "--tls-cert", paramLabel = "FILE", description = "PEM certificate chain")
    String tlsCert;
    @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM PKCS#8 private key")
    String tlsKey;
    @Option(names = "--max-packet-size", paramLabel = "BYTES", description = "largest MQTT packet (default max-payload-bytes + headers)")
    String maxPacketSize;
    @Option(names = "--max-inflight", paramLabel = "N", description = "unacked QoS>=1 messages per session (default 64)")
    String maxInflight;
    @Option(names = "--max-queued", paramLabel = "N", description = "subscriber queue capacity (default 4096)")
    String maxQueued;
    @Option(names = "--durability", paramLabel = "MODE", description = "write | fsync | fsync-batched (default write)")
    String durability;
    @Option(names = "--disk-reserve-bytes", paramLabel = "BYTES|auto", description = "free space kept on the data volume; below it writes to the log wait (default auto: min(max(64 MiB, 2 %), 25 %) of the volume)")
    String diskReserveBytes;
    @Option(names = "--disk-full-timeout-ms", paramLabel = "MS", description = "how long a publisher waits for disk space before its connection closes (default 30000)")
    String diskFullTimeoutMs;

    /** The --config file, or null. */
    public Path configFile() {
        return config;
    }

    /** The flags that were given, by config key, as raw text. */
    public Map<String, String> given() {
        Map<String, String> m = new LinkedHashMap<>();
        put(m, ConfigKey.PORT, port);
        put(m, ConfigKey.HTTP_PORT, httpPort);
        put(m, ConfigKey.BIND, bind);
        put(m, ConfigKey.DATA_DIR, dataDir);
        put(m, ConfigKey.ETCD, etcd == null ? null : String.join(",", etcd));
        put(m, ConfigKey.NODE_ID, nodeId);
        put(m, ConfigKey.CLUSTER, cluster);
        put(m, ConfigKey.ADVERTISE, advertise);
        put(m, ConfigKey.MIN_INSYNC, minInsync);
        put(m, ConfigKey.LEASE_TTL, leaseTtl);
        put(m, ConfigKey.USERS, users);
        put(m, ConfigKey.ALLOW_ANONYMOUS, allowAnonymous);
        put(m, ConfigKey.TLS_PORT, tlsPort);
        put(m, ConfigKey.TLS_CERT, tlsCert);
        put(m, ConfigKey.TLS_KEY, tlsKey);
        put(m, ConfigKey.MAX_PACKET_SIZE, maxPacketSize);
        put(m, ConfigKey.MAX_INFLIGHT, maxInflight);
        put(m, ConfigKey.MAX_QUEUED, maxQueued);
        put(m, ConfigKey.DURABILITY, durability);
        put(m, ConfigKey.DISK_RESERVE_BYTES, diskReserveBytes);
        put(m, ConfigKey.DISK_FULL_TIMEOUT_MS, diskFullTimeoutMs);
        return m;
    }

    private static void put(Map<String, String> m, ConfigKey key, String value) {
        if (value != null) {
            m.put(key.key(), value);
        }
    }

    /** Loads the full configuration: these flags over GOMQ_* variables over the file over defaults. */
    public LauncherConfig toConfig(Map<String, String> env) {
        return LauncherConfigLoader.load(config, env, given());
    }

    /** A picocli command line for these flags, its help listing the settings that have no flag. */
    public static CommandLine commandLine(LauncherFlags flags) {
        CommandLine cli = new CommandLine(flags);
        Set<String> flagged = Set.copyOf(new LauncherFlags().withAllSet().given().keySet());
        List<String> footer = new ArrayList<>();
        footer.add("");
        footer.add("Precedence, lowest first: defaults, --config file, GOMQ_* variables, flags.");
        footer.add("Every flag is also a file key and a variable: --data-dir = data-dir = GOMQ_DATA_DIR.");
        footer.add("Settings without a flag (file key / variable):");
        for (ConfigKey k : ConfigKey.values()) {
            if (!flagged.contains(k.key())) {
                footer.add(String.format("  %-23s %s", k.key(), k.description()));
            }
        }
        cli.getCommandSpec().usageMessage().footer(footer.toArray(new String[0]));
        return cli;
    }

    private LauncherFlags withAllSet() {
        port = httpPort = bind = dataDir = nodeId = cluster = advertise = minInsync = leaseTtl = users = "";
        allowAnonymous = tlsPort = tlsCert = tlsKey = maxPacketSize = maxInflight = maxQueued = durability = "";
        diskReserveBytes = diskFullTimeoutMs = "";
        etcd = List.of();
        return this;
    }
}
