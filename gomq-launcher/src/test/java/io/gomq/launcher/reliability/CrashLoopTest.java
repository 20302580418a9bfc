package io.gomq.launcher.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import io.gomq.launcher.cluster.EtcdExtension;
import io.gomq.launcher.testing.BrokerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.gomq.launcher.testing.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kill -9 at random moments (seeded; the seed is printed, {@code -Dgomq.crashloop.seed} repeats
 * a run) of a broker under {@link MixedLoad}, with compaction and retention running on small
 * segments. After every restart each message acknowledged before the kill (PUBACK, PUBCOMP)
 * must reach the persistent subscriber; at the end no completed QoS 2 message may have arrived
 * twice there (QoS 1 duplicates are allowed by the spec: counted and printed). Standalone: the
 * broker must be ready again within 2 s (its own start-up figure; the JVM start is printed
 * besides). Cluster: the leader of three nodes is killed and restarted (it rejoins as a member).
 *
 * <p>{@code mvn -B verify} runs 3 standalone cycles and 2 leader kills; {@code -Pcrash-loop}
 * runs 20 and 10 ({@code -Dgomq.crashloop.cycles}, {@code -Dgomq.crashloop.leaderKills}).
 */
class CrashLoopTest {
    private static final int CYCLES = Integer.getInteger("gomq.crashloop.cycles", 3);
    private static final int LEADER_KILLS = Integer.getInteger("gomq.crashloop.leaderKills", 2);
    private static final long SEED = Long.getLong("gomq.crashloop.seed", System.nanoTime());
    /**
     * Restart bound on the broker's own start-up figure (JVM start excluded): 2 s in the
     * crash-loop profile; the short run in every build only catches a hung restart (a shared,
     * overloaded build machine stretched start-up to 29 s).
     */
    private static final long MAX_RESTART_MS = Long.getLong("gomq.crashloop.maxRestartMs", 60_000);
    private static final int RATE = 300; // per publisher and second: load, not a saturation test
    private static final Pattern READY_MS = Pattern.compile("GoMQ ready in (\\d+) ms");

    @RegisterExtension
    static final EtcdExtension etcd = new EtcdExtension();

    @TempDir
    Path tmp;
    private final List<BrokerProcess> brokers = new ArrayList<>();

    @AfterEach
    void stopBrokers() throws Exception {
        for (BrokerProcess b : brokers) {
            b.close();
        }
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void standaloneBrokerKilledUnderMixedLoadLosesNoAcknowledgedMessage() throws Exception {
        Random random = new Random(SEED);
        System.out.printf("crash loop standalone: %d cycles, seed %d, broker from %s%n", CYCLES, SEED,
                BrokerProcess.runsTheJar() ? "gomq.jar" : "the classpath");
        BrokerProcess broker = new BrokerProcess("standalone", tmp.resolve("standalone"),
                MixedLoad.SMALL_LOG.toArray(new String[0])).start().awaitReady(Duration.ofSeconds(60));
        brokers.add(broker);
        if (BrokerProcess.runsTheJar()) {
            broker.stop(); // a clean stop writes the class-data archive, as a user's first stop does
            broker.start().awaitReady(Duration.ofSeconds(60));
        }
        CycleStats ready = new CycleStats();
        CycleStats wall = new CycleStats();
        try (MixedLoad load = new MixedLoad("sa", RATE, () -> liveUris(brokers))) {
            for (int cycle = 1; cycle <= CYCLES; cycle++) {
                runLoadFor(load, 300 + random.nextInt(2_000));
                Set<String> before = load.acknowledged();
                broker.kill();
                long t0 = System.nanoTime();
                broker.start().awaitReady(Duration.ofSeconds(60));
                long wallMs = (System.nanoTime() - t0) / 1_000_000;
                long readyMs = readyMillis(broker);
                ready.add(readyMs);
                wall.add(wallMs);
                awaitDelivered(load, before, "cycle " + cycle);
                System.out.printf("cycle %d: %d acknowledged before the kill, all delivered; ready in %d ms "
                        + "(%d ms with the JVM start)%n", cycle, before.size(), readyMs, wallMs);
                if (readyMs >= MAX_RESTART_MS) {
                    System.out.println("slow restart, the broker's output:\n" + String.join("\n", broker.lines()));
                }
            }
            finish(load, "standalone", ready, wall);
            assertTrue(ready.max() < MAX_RESTART_MS, "restarts: " + ready);
        }
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void clusterLeaderKilledUnderMixedLoadLosesNoAcknowledgedMessage() throws Exception {
        Random random = new Random(SEED);
        System.out.printf("crash loop cluster: %d leader kills, seed %d%n", LEADER_KILLS, SEED);
        for (int i = 1; i <= 3; i++) {
            List<String> args = new ArrayList<>(List.of("--etcd", etcd.endpoint(), "--cluster", "crash",
                    "--node-id", "n" + i, "--lease-ttl", "2", "--min-insync", "2"));
            args.addAll(MixedLoad.SMALL_LOG);
            brokers.add(new BrokerProcess("n" + i, tmp.resolve("n" + i), args.toArray(new String[0])).start());
        }
        for (BrokerProcess b : brokers) {
            b.awaitReady(Duration.ofSeconds(60));
        }
        BrokerProcess leader = awaitOneLeader();
        CycleStats failover = new CycleStats();
        CycleStats rejoin = new CycleStats();
        try (MixedLoad load = new MixedLoad("cl", RATE, () -> liveUris(brokers))) {
            for (int cycle = 1; cycle <= LEADER_KILLS; cycle++) {
                runLoadFor(load, 500 + random.nextInt(2_000));
                Set<String> before = load.acknowledged();
                leader.kill();
                long t0 = System.nanoTime();
                BrokerProcess newLeader = awaitOneLeader();
                long failoverMs = (System.nanoTime() - t0) / 1_000_000;
                leader.start().awaitReady(Duration.ofSeconds(60));
                BrokerProcess old = leader;
                await(old.name() + " rejoins as a member", Duration.ofSeconds(30), () -> "member".equals(old.role()));
                long rejoinMs = (System.nanoTime() - t0) / 1_000_000;
                failover.add(failoverMs);
                rejoin.add(rejoinMs);
                awaitDelivered(load, before, "leader kill " + cycle);
                System.out.printf("leader kill %d (%s): %d acknowledged before the kill, all delivered; new leader %s "
                        + "after %d ms, old leader a member again after %d ms%n", cycle, old.name(), before.size(),
                        newLeader.name(), failoverMs, rejoinMs);
                leader = newLeader;
            }
            finish(load, "cluster (failover)", failover, rejoin);
        }
    }

    /** Lets the load run for {@code millis} with every client connected and publishes acknowledged. */
    private static void runLoadFor(MixedLoad load, long millis) {
        await("every load client connected", Duration.ofSeconds(30), load::allConnected);
        long acked = load.acknowledgedCount();
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        await("load for " + millis + " ms", Duration.ofMillis(millis + 30_000),
                () -> System.nanoTime() >= end && load.acknowledgedCount() > acked + 50);
    }

    private void awaitDelivered(MixedLoad load, Set<String> acknowledged, String when) {
        try {
            await("every acknowledged message delivered to the persistent subscriber after " + when,
                    Duration.ofSeconds(60), () -> load.missingAtPersistent(acknowledged).isEmpty());
        } catch (AssertionError e) {
            List<String> missing = load.missingAtPersistent(acknowledged);
            for (BrokerProcess b : brokers) { // what the brokers said about it (their logs go with the temp dir)
                System.out.println(b.name() + " output of its last start:\n" + String.join("\n", b.lines()));
                JsonNode page = b.isAlive() ? b.getJson("/messages?topic=load/q2&from=0&limit=100000") : null;
                for (String id : missing.subList(0, Math.min(10, missing.size()))) {
                    System.out.println(b.name() + ": lost " + id + " in its log: "
                            + (page == null ? "?" : page.toString().contains("\"" + id + "\"")));
                }
            }
            System.out.println("QoS 2 ids delivered more than once (any): " + load.qos2Duplicates());
            throw new AssertionError(missing.size() + " acknowledged messages lost after " + when + ", e.g. "
                    + missing.subList(0, Math.min(10, missing.size())) + " (seed " + SEED + "); " + load.publishers(), e);
        }
    }

    /** Stops the publishers, waits for the last deliveries, prints the counts and checks them. */
    private void finish(MixedLoad load, String what, CycleStats first, CycleStats second)
            throws InterruptedException {
        load.stopAndDrain(Duration.ofSeconds(60));
        Set<String> acknowledged = load.acknowledged();
        awaitDelivered(load, acknowledged, "the last cycle");
        List<String> qos2Duplicates = load.completedQos2Duplicates();
        System.out.printf("crash loop %s, seed %d: %d acknowledged (QoS 1 %d, QoS 2 %d, retained %d), %d failed "
                        + "publishes, lost %d, completed QoS 2 delivered twice %d (any QoS 2: %d), QoS 1 duplicates %d, "
                        + "persistent deliveries %d, clean deliveries %d, sessions lost %d; %s; %s%n",
                what, SEED, acknowledged.size() + load.retained.acked().size(), load.qos1.acked().size(),
                load.qos2.acked().size(), load.retained.acked().size(),
                load.qos1.failed() + load.qos2.failed() + load.retained.failed(),
                load.missingAtPersistent(acknowledged).size(), qos2Duplicates.size(), load.qos2Duplicates().size(),
                load.persistent.duplicates(load.qos1.clientId() + "-").size(),
                load.persistent.deliveries(), load.clean.deliveries(), load.sessionsLost(), first, second);
        assertEquals(List.of(), qos2Duplicates, "completed QoS 2 messages delivered twice (seed " + SEED + ")");
        assertEquals(0, load.sessionsLost(), "persistent sessions the broker forgot");
    }

    private static long readyMillis(BrokerProcess b) {
        Matcher m = READY_MS.matcher(b.awaitLine("ready line", Duration.ofSeconds(5), l -> READY_MS.matcher(l).find()));
        assertTrue(m.find());
        return Long.parseLong(m.group(1));
    }

    private static String[] liveUris(List<BrokerProcess> brokers) {
        return brokers.stream().filter(b -> b.isAlive() && b.mqttPort() > 0).map(BrokerProcess::tcpUri)
                .toArray(String[]::new);
    }

    /** Waits until exactly one live node says leader and every other live one says member. */
    private BrokerProcess awaitOneLeader() {
        BrokerProcess[] leader = new BrokerProcess[1];
        await("exactly one leader", Duration.ofSeconds(30), () -> {
            List<BrokerProcess> leaders = new ArrayList<>();
            for (BrokerProcess b : brokers) {
                if (!b.isAlive()) {
                    continue;
                }
                JsonNode c = b.getJson("/cluster");
                String role = c == null ? null : c.path("role").asText(null);
                if ("leader".equals(role)) {
                    leaders.add(b);
                } else if (!"member".equals(role)) {
                    return false;
                }
            }
            leader[0] = leaders.size() == 1 ? leaders.get(0) : null;
            return leader[0] != null;
        });
        return leader[0];
    }
}
