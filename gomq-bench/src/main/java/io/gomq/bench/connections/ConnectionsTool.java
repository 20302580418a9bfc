package io.gomq.bench.connections;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

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
 */
@Command(name = "connections", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Idle MQTT connections against a broker on this machine: connects/s, RSS per connection, idle CPU.")
public final class ConnectionsTool implements Callable<Integer> {
    private static final long CONNECT_TIMEOUT_MS = 30_000;

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
            long rssBefore = broker.rssKb();
            long ownCpu0 = BrokerProcess.ownCpuMillis();
            long brokerCpu0 = broker.cpuMillis();
            Connects connects = new Connects(o.count, o.inFlight);
            Bootstrap b = new Bootstrap().group(group).channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) CONNECT_TIMEOUT_MS)
                    .option(ChannelOption.SO_REUSEADDR, true);
            if (epoll) {
                // bind(addr, 0) would pick the port at bind time, by a search that slows down with every port
                // in use; with this the kernel picks it at connect, per destination
                b.option(EpollChannelOption.IP_BIND_ADDRESS_NO_PORT, true);
            }
            InetSocketAddress remote = new InetSocketAddress(o.url.getHost(), o.url.getPort());
            int sources = o.sources();
            String run = Long.toHexString(System.nanoTime());
            long t0 = System.nanoTime();
            for (int i = 0; i < o.count; i++) {
                connects.permits.acquire();
                InetSocketAddress local = sources == 1 ? null : new InetSocketAddress("127.0.0." + (1 + i % sources), 0);
                String id = "conn-" + run + "-" + i;
                b.clone().handler(new IdleClient(id, o.protocol, o.keepAliveSeconds, connects)).connect(remote, local)
                        .addListener(f -> {
                            if (f.isSuccess()) {
                                open.add(((io.netty.channel.ChannelFuture) f).channel());
                            } else {
                                connects.failed(String.valueOf(f.cause().getMessage()));
                            }
                        });
            }
            boolean all = connects.done.await(CONNECT_TIMEOUT_MS + 10_000, TimeUnit.MILLISECONDS);
            double seconds = (connects.lastNanos.get() - t0) / 1e9;
            int connected = connects.connected.get();
            long brokerCpuConnecting = broker.cpuMillis() - brokerCpu0;
            Thread.sleep(o.settle.toMillis());
            long rssAfter = broker.rssKb();
            long cpu0 = broker.cpuMillis();
            long h0 = System.nanoTime();
            Thread.sleep(o.hold.toMillis());
            double heldSeconds = (System.nanoTime() - h0) / 1e9;
            double brokerCpuPercent = (broker.cpuMillis() - cpu0) / 10.0 / heldSeconds;
            int stillOpen = (int) open.stream().filter(Channel::isActive).count();
            long ownCpu = BrokerProcess.ownCpuMillis() - ownCpu0;

            Map<String, Object> r = new LinkedHashMap<>();
            r.put("connections", connected);
            r.put("asked", o.count);
            r.put("failed", connects.failures.get());
            r.put("connectSeconds", seconds);
            r.put("connectsPerSecond", connected / Math.max(seconds, 1e-9));
            r.put("brokerCpuMillisConnecting", brokerCpuConnecting);
            r.put("pid", broker.pid());
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
                    r.get("connectsPerSecond"), o.inFlight, sources, connects.failures.get(),
                    connects.firstFailure.isEmpty() ? "" : " (first: " + connects.firstFailure.values().iterator().next() + ")");
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

    /** Counts outcomes and hands out the in-flight permits. */
    private static final class Connects implements IdleClient.Outcome {
        final Semaphore permits;
        final CountDownLatch done;
        final AtomicInteger connected = new AtomicInteger();
        final AtomicInteger failures = new AtomicInteger();
        final AtomicLong lastNanos = new AtomicLong();
        final Map<Integer, String> firstFailure = new ConcurrentHashMap<>();

        Connects(int count, int inFlight) {
            this.permits = new Semaphore(inFlight);
            this.done = new CountDownLatch(count);
        }

        @Override
        public void connected() {
            connected.incrementAndGet();
            finish();
        }

        @Override
        public void failed(String reason) {
            if (failures.incrementAndGet() == 1) {
                firstFailure.put(0, reason);
            }
            finish();
        }

        private void finish() {
            lastNanos.set(System.nanoTime());
            permits.release();
            done.countDown();
        }
    }
}
