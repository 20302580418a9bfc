package io.gomq.bench.connections;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * Opens N idle MQTT connections to a broker on this machine (Netty, a couple of event loops, no
 * thread per connection) and reports how fast they were accepted and what they cost the broker:
 * its resident memory before and after, per connection, and its CPU while they sit idle.
 *
 * <pre>java -jar gomq-bench/target/benchmarks.jar connections --url tcp://127.0.0.1:9000 \
 *     --http http://127.0.0.1:8000 --count 18000 --keep-alive 60</pre>
 *
 * The connects per second count from the first connect to the last CONNACK, with at most
 * {@code --in-flight} connects unanswered at a time. Each process may hold as many connections as
 * its open-file limit ({@code ulimit -n}) allows, the broker as well as this tool.
 *
 * <p>{@code --churn} measures the connect rate alone: each connection sends DISCONNECT as soon as
 * its CONNACK arrives and the broker closes it, at most {@code --in-flight} connections open at a
 * time (connecting or closing), so the count is not bounded by open files or ports; no RSS or
 * idle figures then.
 */
@Command(name = "connections", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Idle MQTT connections against a broker on this machine: connects/s, RSS per connection, idle CPU.")
public final class ConnectionsTool implements Callable<Integer> {
    /** How long a run waits with no connect answered before it gives up. */
    private static final long QUIET_TIMEOUT_MS = 40_000;

    @Mixin
    ConnectionsOptions o;
    /** The last run's figures (tests). */
    Map<String, Object> result;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ConnectionsTool()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        String problem = o.problem();
        if (problem != null) {
            System.err.println("connections: " + problem);
            return 2;
        }
        BrokerProcess broker = o.pid > 0 ? new BrokerProcess(o.pid) : BrokerProcess.fromStats(o.http);
        boolean epoll = Epoll.isAvailable();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2,
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        ChannelGroup open = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
        try {
            Connector b = new Connector(group, epoll);
            InetSocketAddress remote = new InetSocketAddress(o.url.getHost(), o.url.getPort());
            String run = "conn-" + Long.toHexString(System.nanoTime()) + "-";
            if (o.warmUp > 0) { // churned: the JIT of both processes warms up, nothing stays open
                ConnectRun w = new ConnectRun(b, remote, o.sources(), o.warmUp, o.inFlight, true, o.protocol,
                        o.keepAliveSeconds, run + "w", open);
                w.start();
                w.awaitAll(QUIET_TIMEOUT_MS, o.giveUpAfter.toMillis());
            }
            long rssBefore = broker.rssKb();
            long ownCpu0 = BrokerProcess.ownCpuMillis();
            long brokerCpu0 = broker.cpuMillis();
            long brokerJit0 = broker.compilerCpuMillis();
            ConnectRun connects = new ConnectRun(b, remote, o.sources(), o.count, o.inFlight, o.churn, o.protocol,
                    o.keepAliveSeconds, run, open);
            long t0 = System.nanoTime();
            connects.start();
            boolean all = connects.awaitAll(QUIET_TIMEOUT_MS, o.giveUpAfter.toMillis());
            long last = connects.lastNanos.get(); // 0: no connect was answered or failed (a broker that sat silent)
            double seconds = ((last == 0 ? System.nanoTime() : last) - t0) / 1e9;
            int connected = connects.connected.get();
            long brokerCpuConnecting = broker.cpuMillis() - brokerCpu0;
            if (o.churn) {
                result = churnResult(connects, seconds, broker.pid(), brokerCpuConnecting,
                        broker.compilerCpuMillis() - brokerJit0, BrokerProcess.ownCpuMillis() - ownCpu0);
                return all && connects.failures.get() == 0 ? 0 : 1;
            }
            Thread.sleep(o.settle.toMillis());
            long rssAfter = broker.rssKb();
            long cpu0 = broker.cpuMillis();
            long h0 = System.nanoTime();
            Thread.sleep(o.hold.toMillis());
            double heldSeconds = (System.nanoTime() - h0) / 1e9;
            double brokerCpuPercent = (broker.cpuMillis() - cpu0) / 10.0 / heldSeconds;
            int stillOpen = (int) open.stream().filter(Channel::isActive).count();
            long ownCpu = BrokerProcess.ownCpuMillis() - ownCpu0;

            Map<String, Object> r = connectFigures(connects, seconds, broker.pid(), brokerCpuConnecting);
            r.put("rssBeforeKb", rssBefore);
            r.put("rssAfterKb", rssAfter);
            r.put("rssPerConnectionKb", connected == 0 ? 0 : (rssAfter - rssBefore) / (double) connected);
            r.put("peakRssKb", broker.peakRssKb());
            r.put("idleSeconds", heldSeconds);
            r.put("brokerCpuPercentIdle", brokerCpuPercent);
            r.put("stillOpen", stillOpen);
            r.put("toolCpuMillis", ownCpu);
            result = r;
            System.out.printf("connections: %,d of %,d connected in %.2f s = %,.0f connects/s (%d in flight at most, "
                            + "%d source address(es)); %d failed%s%n", connected, o.count, seconds,
                    r.get("connectsPerSecond"), o.inFlight, o.sources(), connects.failures.get(),
                    connects.firstFailure.get() == null ? "" : " (first: " + connects.firstFailure.get() + ")");
            System.out.printf("  broker CPU while connecting: %,d ms = %.0f us per connection%n", brokerCpuConnecting,
                    connected == 0 ? 0.0 : brokerCpuConnecting * 1000.0 / connected);
            System.out.printf("  broker pid %d: RSS %,d KiB before, %,d KiB after = %.2f KiB per connection (peak %,d KiB)%n",
                    broker.pid(), rssBefore, rssAfter, r.get("rssPerConnectionKb"), r.get("peakRssKb"));
            System.out.printf("  broker CPU with the connections idle for %.0f s: %.2f %% of a core; %,d still open; "
                    + "this tool used %,d ms CPU%n", heldSeconds, brokerCpuPercent, stillOpen, ownCpu);
            if (o.json) {
                System.out.println(new ObjectMapper().writeValueAsString(r));
            }
            return all && connects.failures.get() == 0 ? 0 : 1;
        } finally {
            open.close().awaitUninterruptibly(30_000);
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(10_000);
        }
    }

    /** The figures of the connect phase, both modes alike. */
    private Map<String, Object> connectFigures(ConnectRun connects, double seconds, long pid, long brokerCpu) {
        int connected = connects.connected.get();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("connections", connected);
        r.put("asked", o.count);
        r.put("failed", connects.failures.get());
        r.put("connectSeconds", seconds);
        r.put("connectsPerSecond", connected / Math.max(seconds, 1e-9));
        r.put("brokerCpuMillisConnecting", brokerCpu);
        r.put("pid", pid);
        return r;
    }

    private static double perConnect(long millis, int connects) {
        return connects == 0 ? 0.0 : millis * 1000.0 / connects;
    }

    private Map<String, Object> churnResult(ConnectRun connects, double seconds, long pid, long brokerCpu, long brokerJit,
                                            long ownCpu) throws Exception {
        int connected = connects.connected.get();
        Map<String, Object> r = connectFigures(connects, seconds, pid, brokerCpu);
        r.put("brokerJitCpuMillisConnecting", brokerJit);
        r.put("toolCpuMillis", ownCpu);
        System.out.printf("connections: %,d of %,d connected and disconnected in %.2f s = %,.0f connects/s (%d open at "
                        + "most, %d source address(es)); %d failed%s%n", connected, o.count, seconds,
                r.get("connectsPerSecond"), o.inFlight, o.sources(), connects.failures.get(),
                connects.firstFailure.get() == null ? "" : " (first: " + connects.firstFailure.get() + ")");
        System.out.printf("  broker CPU: %,d ms = %.0f us per connect (%.0f us of it JIT compiling); this tool used "
                        + "%,d ms CPU = %.0f us per connect%n", brokerCpu, perConnect(brokerCpu, connected),
                perConnect(brokerJit, connected), ownCpu, perConnect(ownCpu, connected));
        if (o.json) {
            System.out.println(new ObjectMapper().writeValueAsString(r));
        }
        return r;
    }
}
