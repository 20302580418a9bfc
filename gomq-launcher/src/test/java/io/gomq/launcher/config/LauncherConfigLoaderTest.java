package io.gomq.launcher.config;

import io.gomq.core.config.ConfigException;
import io.gomq.core.config.Durability;
import io.gomq.launcher.tls.CertificateIdentity;
import io.gomq.launcher.tls.ClientAuthMode;
import io.gomq.launcher.transport.TransportOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LauncherConfigLoaderTest {
    @TempDir
    Path dir;

    private static LauncherConfig fromArgs(Map<String, String> env, String... args) {
        LauncherFlags flags = new LauncherFlags();
        LauncherFlags.commandLine(flags).parseArgs(args);
        return flags.toConfig(env);
    }

    private Path file(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    @Test
    void defaultsRunStandaloneBrokerOnGoMqPorts() {
        LauncherConfig c = fromArgs(Map.of());
        assertEquals(9000, c.port());
        assertEquals(8000, c.httpPort());
        assertEquals("0.0.0.0", c.bind());
        assertFalse(c.tlsEnabled());
        assertFalse(c.clustered());
        assertNull(c.usersFile());
        assertEquals(Path.of("./data"), c.broker().dataDir());
        assertEquals(Durability.WRITE, c.broker().durability());
        assertTrue(c.broker().isConcluded());
        assertTrue(c.nodeId().endsWith(":9000"));
        assertEquals(c.broker().maxPayloadBytes() + LauncherDefaults.PUBLISH_OVERHEAD_BYTES, c.maxPacketSize());
        assertEquals(9001, c.wsPort());
        assertTrue(c.wsEnabled());
        assertEquals("/mqtt", c.wsPath());
        assertFalse(c.wssEnabled());
        assertEquals(64, c.broker().maxTopicAliases());
        assertEquals(64, c.broker().receiveMaximum());
        assertEquals(0, c.broker().serverKeepAliveSeconds());
        assertEquals(4_294_967_295L, c.broker().maxSessionExpirySeconds());
    }

    @Test
    void webSocketAndMqtt5SettingsComeFromFlagsFilesAndVariables() throws IOException {
        Path f = file("gomq.yaml", "ws:\n  path: /ws/mqtt\nmax-topic-aliases: 0\nserver-keep-alive: 30\n");
        LauncherConfig c = fromArgs(Map.of("GOMQ_RECEIVE_MAXIMUM", "10", "GOMQ_MAX_SESSION_EXPIRY", "3600"),
                "--config", f.toString(), "--ws-port", "0");
        assertEquals(0, c.wsPort());
        assertEquals("/ws/mqtt", c.wsPath());
        assertEquals(0, c.broker().maxTopicAliases());
        assertEquals(30, c.broker().serverKeepAliveSeconds());
        assertEquals(10, c.broker().receiveMaximum());
        assertEquals(3600, c.broker().maxSessionExpirySeconds());
    }

    @Test
    void webSocketListenerIsSwitchedOffLikeTls() {
        for (String off : List.of("off", "OFF", "-1", "-7", "")) {
            assertFalse(fromArgs(Map.of("GOMQ_WS_PORT", off)).wsEnabled(), off);
            assertFalse(fromArgs(Map.of("GOMQ_TLS_PORT", off)).tlsEnabled(), off);
        }
        assertEquals("--ws-port", assertThrows(ConfigException.class, () -> fromArgs(Map.of(), "--ws-port", "70000")).key());
        assertEquals("--ws-port", assertThrows(ConfigException.class, () -> fromArgs(Map.of(), "--ws-port", "of")).key());
        assertEquals("--ws-path", assertThrows(ConfigException.class, () -> fromArgs(Map.of(), "--ws-path", "mqtt")).key());
        assertEquals("--ws-path", assertThrows(ConfigException.class, () -> fromArgs(Map.of(), "--ws-path", "/a?b")).key());
        assertEquals("ws-path", assertThrows(ConfigException.class,
                () -> new LauncherConfig().wsPath(null).conclude()).key());
        assertEquals("ws-port", assertThrows(ConfigException.class,
                () -> new LauncherConfig().wsPort(-2).conclude()).key(), "the Java API is checked too");
    }

    @Test
    void secureWebSocketNeedsCertAndKey() throws IOException {
        ConfigException e = assertThrows(ConfigException.class, () -> fromArgs(Map.of(), "--wss-port", "0"));
        assertEquals("tls-cert", e.key());
        assertTrue(e.getMessage().contains("wss-port"), e.getMessage());
        Path pem = file("c.pem", "x");
        LauncherConfig c = fromArgs(Map.of(), "--wss-port", "0", "--tls-cert", pem.toString(), "--tls-key", pem.toString());
        assertTrue(c.wssEnabled());
        assertFalse(c.tlsEnabled(), "wss alone needs no TLS listener");
    }

    @Test
    void transportSecuritySettingsAreCheckedTogether() throws IOException {
        String pem = file("c.pem", "x").toString();
        String[] tls = {"--tls-port", "0", "--tls-cert", pem, "--tls-key", pem};
        assertEquals("tls-ca", assertThrows(ConfigException.class,
                () -> fromArgs(Map.of(), concat(tls, "--tls-client-auth", "required"))).key());
        assertEquals("--tls-client-auth", assertThrows(ConfigException.class,
                () -> fromArgs(Map.of(), concat(tls, "--tls-client-auth", "maybe"))).key());
        assertEquals("tls-identity-as-user", assertThrows(ConfigException.class,
                () -> fromArgs(Map.of(), concat(tls, "--tls-identity-as-user", "cn"))).key());
        assertEquals("tls-client-auth", assertThrows(ConfigException.class,
                () -> fromArgs(Map.of(), "--tls-client-auth", "optional", "--tls-ca", pem)).key(), "needs a TLS listener");
        LauncherConfig c = fromArgs(Map.of("GOMQ_TLS_CLIENT_AUTH", "optional"),
                concat(tls, "--tls-ca", pem, "--tls-identity-as-user", "san-email"));
        assertEquals(ClientAuthMode.OPTIONAL, c.tls().clientAuth());
        assertEquals(CertificateIdentity.SAN_EMAIL, c.tls().identityAsUser());

        assertEquals("tls-cert", assertThrows(ConfigException.class, () -> fromArgs(Map.of(), "--http-tls")).key());
        assertTrue(fromArgs(Map.of(), "--http-tls", "--tls-cert", pem, "--tls-key", pem).tls().httpTls());

        String[] cluster = {"--etcd", "https://127.0.0.1:2", "--data-dir", dir.toString()};
        assertEquals("cluster-tls-key", assertThrows(ConfigException.class,
                () -> fromArgs(Map.of(), concat(cluster, "--cluster-tls-cert", pem))).key());
        assertEquals("cluster-tls-cert", assertThrows(ConfigException.class, () -> fromArgs(Map.of(),
                "--cluster-tls-cert", pem, "--cluster-tls-key", pem, "--cluster-tls-ca", pem)).key(), "needs a cluster");
        assertTrue(fromArgs(Map.of(), concat(cluster, "--cluster-tls-cert", pem, "--cluster-tls-key", pem,
                "--cluster-tls-ca", pem, "--etcd-tls-ca", pem)).tls().clusterTls());
        assertEquals("etcd", assertThrows(ConfigException.class, () -> fromArgs(Map.of(),
                "--etcd", "http://127.0.0.1:2", "--etcd-tls-ca", pem)).key(), "TLS settings with a plain endpoint");
        assertEquals("etcd-tls-key", assertThrows(ConfigException.class,
                () -> fromArgs(Map.of(), concat(cluster, "--etcd-tls-cert", pem))).key());
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    void twoListenersOnOneFixedPortAreRefused() {
        assertEquals("ws-port", assertThrows(ConfigException.class,
                () -> fromArgs(Map.of(), "--port", "1884", "--ws-port", "1884")).key());
        assertEquals("ws-port", assertThrows(ConfigException.class,
                () -> fromArgs(Map.of(), "--http-port", "9001")).key(), "the ws default clashes too");
        assertEquals(0, fromArgs(Map.of(), "--port", "0", "--ws-port", "0").wsPort(), "0 twice is two free ports");
    }

    @Test
    void mqtt5LimitsAreRangeChecked() {
        assertEquals("--receive-maximum", assertThrows(ConfigException.class,
                () -> fromArgs(Map.of(), "--receive-maximum", "0")).key());
        assertEquals("--max-topic-aliases", assertThrows(ConfigException.class,
                () -> fromArgs(Map.of(), "--max-topic-aliases", "65536")).key());
        assertEquals("--server-keep-alive", assertThrows(ConfigException.class,
                () -> fromArgs(Map.of(), "--server-keep-alive", "-1")).key());
        assertEquals("--max-session-expiry", assertThrows(ConfigException.class,
                () -> fromArgs(Map.of(), "--max-session-expiry", "4294967296")).key());
        assertEquals("receive-maximum", assertThrows(ConfigException.class,
                () -> io.gomq.core.config.BrokerConfig.defaults().receiveMaximum(0).conclude()).key());
        assertEquals("max-topic-aliases", assertThrows(ConfigException.class,
                () -> io.gomq.core.config.BrokerConfig.defaults().maxTopicAliases(-1).conclude()).key());
        assertEquals("server-keep-alive", assertThrows(ConfigException.class,
                () -> io.gomq.core.config.BrokerConfig.defaults().serverKeepAliveSeconds(65_536).conclude()).key());
        assertEquals("max-session-expiry", assertThrows(ConfigException.class,
                () -> io.gomq.core.config.BrokerConfig.defaults().maxSessionExpirySeconds(-1).conclude()).key());
    }

    @Test
    void flagsSetEverySetting() throws IOException {
        Path users = file("users.txt", "");
        LauncherConfig c = fromArgs(Map.of(), "--port", "0", "--http-port", "0", "--bind", "127.0.0.1",
                "--data-dir", "/tmp/x", "--etcd", "http://a:2379,b:2379", "--node-id", "n1", "--cluster", "prod",
                "--advertise", "host1:9000", "--min-insync", "2", "--lease-ttl", "5", "--users", users.toString(),
                "--allow-anonymous", "--max-packet-size", "2000000", "--max-inflight", "10", "--max-queued", "100",
                "--durability", "fsync-batched", "--io-threads", "3");
        assertEquals(0, c.port());
        assertEquals(0, c.httpPort());
        assertEquals("127.0.0.1", c.bind());
        assertEquals(Path.of("/tmp/x"), c.broker().dataDir());
        assertEquals(List.of(URI.create("http://a:2379"), URI.create("http://b:2379")), c.etcdEndpoints());
        assertEquals("n1", c.nodeId());
        assertEquals("prod", c.clusterName());
        assertEquals("host1:9000", c.advertise());
        assertEquals(2, c.minInsync());
        assertEquals(5, c.leaseTtlSeconds());
        assertEquals(users, c.usersFile());
        assertTrue(c.allowAnonymous());
        assertEquals(2_000_000, c.maxPacketSize());
        assertEquals(10, c.broker().maxInflight());
        assertEquals(100, c.broker().maxQueuedMessages());
        assertEquals(Durability.FSYNC_BATCHED, c.broker().durability());
        assertEquals(3, c.ioThreads());
    }

    @Test
    void propertiesFileSetsKeys() throws IOException {
        Path f = file("gomq.properties", "# comment\nport=9100\nhttp-port=8100\ndurability=fsync\nsegment-bytes=1048576\n");
        LauncherConfig c = fromArgs(Map.of(), "--config", f.toString());
        assertEquals(9100, c.port());
        assertEquals(8100, c.httpPort());
        assertEquals(Durability.FSYNC, c.broker().durability());
        assertEquals(1_048_576, c.broker().segmentBytes());
    }

    @Test
    void yamlFileFlattensNestedKeysAndJoinsLists() throws IOException {
        Path f = file("gomq.yaml", "port: 9200\nmax:\n  inflight: 7\netcd:\n  - http://e1:2379\n  - http://e2:2379\nallow-anonymous: true\n");
        LauncherConfig c = fromArgs(Map.of(), "--config", f.toString());
        assertEquals(9200, c.port());
        assertEquals(7, c.broker().maxInflight());
        assertEquals(2, c.etcdEndpoints().size());
        assertTrue(c.allowAnonymous());
    }

    @Test
    void ymlExtensionAndEmptyFileAreAccepted() throws IOException {
        assertEquals(9000, fromArgs(Map.of(), "--config", file("empty.yml", "").toString()).port());
    }

    @Test
    void environmentSetsKeys() {
        LauncherConfig c = fromArgs(Map.of("GOMQ_PORT", "9300", "GOMQ_DATA_DIR", "/var/gomq", "GOMQ_HTTP_PORT", "8300",
                "HOME", "/root"));
        assertEquals(9300, c.port());
        assertEquals(8300, c.httpPort());
        assertEquals(Path.of("/var/gomq"), c.broker().dataDir());
    }

    @Test
    void precedenceIsDefaultsThenFileThenEnvThenFlags() throws IOException {
        Path f = file("gomq.properties", "port=1001\nhttp-port=1002\nmax-inflight=3\n");
        Map<String, String> env = Map.of("GOMQ_PORT", "2001", "GOMQ_HTTP_PORT", "2002");
        LauncherConfig c = fromArgs(env, "--config", f.toString(), "--port", "3001");
        assertEquals(3001, c.port(), "flag beats env");
        assertEquals(2002, c.httpPort(), "env beats file");
        assertEquals(3, c.broker().maxInflight(), "file beats default");
        assertEquals(io.gomq.core.config.Defaults.MAX_QUEUED_MESSAGES, c.broker().maxQueuedMessages(), "default stays");
    }

    @Test
    void gomqConfigVariableNamesTheFileWhenNoFlag() throws IOException {
        Path f = file("gomq.properties", "port=4001\n");
        assertEquals(4001, fromArgs(Map.of("GOMQ_CONFIG", f.toString())).port());
    }

    @Test
    void unknownKeyInFileIsNamed() throws IOException {
        Path f = file("gomq.properties", "port=9000\nprot=9001\n");
        ConfigException e = assertThrows(ConfigException.class, () -> fromArgs(Map.of(), "--config", f.toString()));
        assertEquals("prot", e.key());
        assertTrue(e.getMessage().contains("unknown key"), e.getMessage());
    }

    @Test
    void memoryIsASizeOrOffAndSetsTheQueueByteLimitOnlyWhenThatIsNotGiven() throws IOException {
        assertEquals(256L << 20, fromArgs(Map.of()).memoryBytes());
        assertEquals(1L << 30, fromArgs(Map.of(), "--memory", "1g").memoryBytes());
        assertEquals(384L << 20, fromArgs(Map.of("GOMQ_MEMORY", "384MiB")).memoryBytes());
        assertEquals(LauncherDefaults.MEMORY_OFF, fromArgs(Map.of(), "--memory", "off").memoryBytes());
        assertEquals(200L << 20, fromArgs(Map.of(), "--config", file("gomq.yaml", "memory: 200m\n").toString()).memoryBytes());
        assertEquals("--memory", assertThrows(ConfigException.class, () -> fromArgs(Map.of(), "--memory", "64m")).key());
        assertEquals("--memory", assertThrows(ConfigException.class, () -> fromArgs(Map.of(), "--memory", "lots")).key());

        long derived = Math.min(64L << 20, Runtime.getRuntime().maxMemory() / 8);
        assertEquals(derived, fromArgs(Map.of()).conclude().broker().maxQueuedBytes());
        assertEquals(1000, fromArgs(Map.of(), "--max-queued-bytes", "1000").conclude().broker().maxQueuedBytes());
    }

    @Test
    void badValueInFileIsNamed() throws IOException {
        Path f = file("gomq.yaml", "max-inflight: lots\n");
        ConfigException e = assertThrows(ConfigException.class, () -> fromArgs(Map.of(), "--config", f.toString()));
        assertEquals("max-inflight", e.key());
    }

    @Test
    void badYamlIsReportedWithLine() throws IOException {
        Path f = file("gomq.yaml", "port: 1\n  bad: [\n");
        ConfigException e = assertThrows(ConfigException.class, () -> fromArgs(Map.of(), "--config", f.toString()));
        assertEquals("config", e.key());
        assertTrue(e.getMessage().contains("line"), e.getMessage());
    }

    @Test
    void missingOrUnsupportedFileIsNamed() throws IOException {
        assertEquals("config", assertThrows(ConfigException.class,
                () -> fromArgs(Map.of(), "--config", dir.resolve("none.yaml").toString())).key());
        assertEquals("config", assertThrows(ConfigException.class,
                () -> fromArgs(Map.of(), "--config", file("gomq.toml", "").toString())).key());
    }

    @Test
    void badEnvironmentValueNamesTheVariable() {
        ConfigException e = assertThrows(ConfigException.class, () -> fromArgs(Map.of("GOMQ_PORT", "70000")));
        assertEquals("GOMQ_PORT", e.key());
    }

    @Test
    void unknownGomqVariableIsRefused() {
        assertEquals("GOMQ_PROT", assertThrows(ConfigException.class,
                () -> fromArgs(Map.of("GOMQ_PROT", "1"))).key());
    }

    @Test
    void gomqctlVariablesDoNotStopTheBroker() {
        assertEquals(9000, fromArgs(Map.of("GOMQ_CONNECT", "127.0.0.1:9001", "GOMQ_HTTP", "127.0.0.1:8001")).port());
    }

    @Test
    void badFlagValueNamesTheFlag() {
        assertEquals("--port", assertThrows(ConfigException.class, () -> fromArgs(Map.of(), "--port", "-1")).key());
        assertEquals("--durability", assertThrows(ConfigException.class,
                () -> fromArgs(Map.of(), "--durability", "sometimes")).key());
        assertEquals("--etcd", assertThrows(ConfigException.class,
                () -> fromArgs(Map.of(), "--etcd", "ftp://x:1")).key());
        assertEquals("--advertise", assertThrows(ConfigException.class,
                () -> fromArgs(Map.of(), "--advertise", "nohostport")).key());
        assertEquals("--io-threads", assertThrows(ConfigException.class,
                () -> fromArgs(Map.of(), "--io-threads", "-1")).key());
    }

    @Test
    void spinWindowIsAutoUnlessGivenInMicroseconds() {
        assertEquals(TransportOptions.IO_SPIN_AUTO, fromArgs(Map.of()).ioSpinMicros());
        assertEquals(50, fromArgs(Map.of(), "--io-spin-us", "50").ioSpinMicros());
        assertEquals(0, fromArgs(Map.of("GOMQ_IO_SPIN_US", "0")).ioSpinMicros());
        assertEquals(TransportOptions.IO_SPIN_AUTO, fromArgs(Map.of(), "--io-spin-us", "AUTO").ioSpinMicros());
        assertEquals("--io-spin-us", assertThrows(ConfigException.class,
                () -> fromArgs(Map.of(), "--io-spin-us", "-1")).key());
    }

    @Test
    void unknownFlagIsAUsageError() {
        assertThrows(CommandLine.UnmatchedArgumentException.class, () -> fromArgs(Map.of(), "--prot", "1"));
    }

    @Test
    void engineValidationRunsInConclude() {
        assertEquals("--max-inflight", assertThrows(ConfigException.class,
                () -> fromArgs(Map.of(), "--max-inflight", "0")).key(), "range checked on parse");
        Path f = dir.resolve("w.properties");
        ConfigException e = assertThrows(ConfigException.class, () -> {
            Files.writeString(f, "queue-low-watermark=0.9\nqueue-high-watermark=0.5\n");
            fromArgs(Map.of(), "--config", f.toString());
        });
        assertEquals("queue-watermarks", e.key());
    }

    @Test
    void tlsNeedsCertAndKey() throws IOException {
        assertEquals("tls-cert", assertThrows(ConfigException.class,
                () -> fromArgs(Map.of(), "--tls-port", "8883")).key());
        Path cert = file("c.pem", "x");
        assertEquals("tls-key", assertThrows(ConfigException.class,
                () -> fromArgs(Map.of(), "--tls-port", "8883", "--tls-cert", cert.toString())).key());
        assertEquals("tls-cert", assertThrows(ConfigException.class,
                () -> fromArgs(Map.of(), "--tls-cert", cert.toString())).key(), "cert without port");
        LauncherConfig c = fromArgs(Map.of(), "--tls-port", "0", "--tls-cert", cert.toString(), "--tls-key", cert.toString());
        assertTrue(c.tlsEnabled());
        assertEquals(0, c.tlsPort());
    }

    @Test
    void missingUsersFileIsNamed() {
        assertEquals("users", assertThrows(ConfigException.class,
                () -> fromArgs(Map.of(), "--users", dir.resolve("nope").toString())).key());
    }

    @Test
    void minInsyncCountsCopiesWithTheLeaderAndDefaultsToAllInSync() {
        assertEquals(LauncherDefaults.MIN_INSYNC_ALL, fromArgs(Map.of()).minInsync());
        assertEquals(1, fromArgs(Map.of(), "--min-insync", "1").minInsync(), "1 = the leader only, fine standalone");
        assertEquals(LauncherDefaults.MIN_INSYNC_ALL,
                fromArgs(Map.of(), "--etcd", "http://127.0.0.1:1", "--min-insync", "all").minInsync());
        assertEquals("--min-insync", assertThrows(ConfigException.class,
                () -> fromArgs(Map.of(), "--min-insync", "0")).key(), "a bad value is named as the user wrote it");
        assertEquals(io.gomq.core.replication.ReplicationSettings.ALL_IN_SYNC,
                io.gomq.launcher.cluster.ClusterSettings.membersToWaitFor(LauncherDefaults.MIN_INSYNC_ALL));
        assertEquals(0, io.gomq.launcher.cluster.ClusterSettings.membersToWaitFor(1));
        assertEquals(2, io.gomq.launcher.cluster.ClusterSettings.membersToWaitFor(3));
    }

    @Test
    void diskReserveIsBytesOrAutoAndTheDiskTimeoutPositive() {
        assertEquals(-1, fromArgs(Map.of()).broker().diskReserveBytes(), "automatic by default");
        assertEquals(30_000, fromArgs(Map.of()).broker().diskFullTimeoutMs());
        assertEquals(1L << 30, fromArgs(Map.of(), "--disk-reserve-bytes", "1073741824").broker().diskReserveBytes());
        assertEquals(0, fromArgs(Map.of("GOMQ_DISK_RESERVE_BYTES", "0")).broker().diskReserveBytes());
        assertEquals(-1, fromArgs(Map.of(), "--disk-reserve-bytes", "auto").broker().diskReserveBytes());
        assertEquals(5_000, fromArgs(Map.of(), "--disk-full-timeout-ms", "5000").broker().diskFullTimeoutMs());
        assertEquals("--disk-reserve-bytes", assertThrows(ConfigException.class,
                () -> fromArgs(Map.of(), "--disk-reserve-bytes", "-5")).key());
        assertEquals("--disk-full-timeout-ms", assertThrows(ConfigException.class,
                () -> fromArgs(Map.of(), "--disk-full-timeout-ms", "0")).key());
    }

    @Test
    void minInsyncNeedsCluster() {
        assertEquals("min-insync", assertThrows(ConfigException.class,
                () -> fromArgs(Map.of(), "--min-insync", "2")).key());
    }

    @Test
    void maxPacketSizeSmallerThanPayloadIsRefused() {
        assertEquals("max-packet-size", assertThrows(ConfigException.class,
                () -> fromArgs(Map.of(), "--max-packet-size", "1000")).key());
    }

    @Test
    void allowAnonymousTakesAnOptionalValue() {
        assertFalse(fromArgs(Map.of("GOMQ_ALLOW_ANONYMOUS", "true"), "--allow-anonymous=false").allowAnonymous());
        assertTrue(fromArgs(Map.of(), "--allow-anonymous").allowAnonymous());
    }

    @Test
    void everyKeyHasMatchingEnvName() {
        for (ConfigKey k : ConfigKey.values()) {
            assertEquals(k, ConfigKey.byEnvName(k.envName()).orElseThrow());
            assertEquals(k, ConfigKey.byKey(k.key()).orElseThrow());
        }
        assertEquals("GOMQ_DATA_DIR", ConfigKey.DATA_DIR.envName());
    }

    @Test
    void everyKeyIsAFlagWithItsHelp() {
        CommandLine cli = LauncherFlags.commandLine(new LauncherFlags());
        for (ConfigKey k : ConfigKey.values()) {
            CommandLine.Model.OptionSpec o = cli.getCommandSpec().findOption("--" + k.key());
            assertTrue(o != null && String.join(" ", o.description()).startsWith(k.description()), k.key());
        }
        assertFalse(fromArgs(Map.of(), "--persistent=false").broker().persistent());
        assertTrue(fromArgs(Map.of(), "--persistent").broker().persistent());
        assertEquals(2, fromArgs(Map.of(), "--etcd", "http://a:1", "--etcd", "http://b:1").etcdEndpoints().size(),
                "--etcd repeats as well as taking a list");
    }

    @Test
    void everyFlagIsAKnownKey() {
        Map<String, String> given = new LauncherFlags().given();
        assertTrue(given.isEmpty(), "nothing given by default");
        LauncherFlags flags = new LauncherFlags();
        CommandLine cli = LauncherFlags.commandLine(flags);
        cli.getCommandSpec().options().stream()
                .map(o -> o.longestName().substring(2))
                .filter(n -> !List.of("config", "help", "version").contains(n))
                .forEach(n -> assertTrue(ConfigKey.byKey(n).isPresent(), n));
    }
}
