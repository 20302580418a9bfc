package io.gomq.bench.connections;

import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.channel.group.ChannelGroup;

import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One batch of connects, at most {@code inFlight} unanswered at a time (with churn: open at a
 * time). The first {@code inFlight} start from the caller; after that each answer starts the next
 * connect on the same event loop, so the tool spends no thread hand-over per connect and can offer
 * the broker far more connects per second than it accepts.
 */
final class ConnectRun implements IdleClient.Outcome {
    private final Connector connector;
    private final InetSocketAddress remote;
    private final int sources;
    private final int count;
    private final int inFlight;
    private final boolean churn;
    private final int protocol;
    private final int keepAliveSeconds;
    private final String idPrefix;
    /** Where held (not churned) connections are kept, to close them at the end. */
    private final ChannelGroup open;
    private final AtomicInteger started = new AtomicInteger();
    private final CountDownLatch done;
    final AtomicInteger connected = new AtomicInteger();
    final AtomicInteger failures = new AtomicInteger();
    final AtomicLong lastNanos = new AtomicLong();
    final AtomicReference<String> firstFailure = new AtomicReference<>();

    ConnectRun(Connector connector, InetSocketAddress remote, int sources, int count, int inFlight, boolean churn,
               int protocol, int keepAliveSeconds, String idPrefix, ChannelGroup open) {
        this.connector = connector;
        this.remote = remote;
        this.sources = sources;
        this.count = count;
        this.inFlight = inFlight;
        this.churn = churn;
        this.protocol = protocol;
        this.keepAliveSeconds = keepAliveSeconds;
        this.idPrefix = idPrefix;
        this.open = open;
        this.done = new CountDownLatch(count);
    }

    /** Starts the first connects; the rest follow their answers. */
    void start() {
        for (int i = 0; i < inFlight; i++) {
            startNext(null);
        }
    }

    /** On {@code loop} when given (the event loop of the connection whose slot this takes), else on any. */
    private void startNext(EventLoop loop) {
        int i = started.getAndIncrement();
        if (i >= count) {
            return;
        }
        InetSocketAddress local = sources == 1 ? null : new InetSocketAddress("127.0.0." + (1 + i % sources), 0);
        connector.connect(loop, remote, local, new IdleClient(idPrefix + i, protocol, keepAliveSeconds, churn, this))
                .addListener(f -> {
                    ChannelFuture cf = (ChannelFuture) f;
                    if (!cf.isSuccess()) {
                        // not at once: a connect that fails inside connect() would recurse
                        cf.channel().eventLoop().execute(() -> failed(cf.channel().eventLoop(),
                                String.valueOf(cf.cause().getMessage())));
                    } else if (!churn) {
                        open.add(cf.channel());
                    }
                });
    }

    /**
     * Waits for every outcome while they keep coming; false when none came for {@code quietMs} or
     * {@code giveUpMs} passed: a broker that answers a CONNECT every few seconds keeps the run
     * from going quiet, and is cut and reported as it stands.
     */
    boolean awaitAll(long quietMs, long giveUpMs) throws InterruptedException {
        long left = done.getCount();
        long quietSince = System.nanoTime();
        long giveUpAt = quietSince + TimeUnit.MILLISECONDS.toNanos(giveUpMs);
        while (!done.await(1, TimeUnit.SECONDS)) {
            if (System.nanoTime() - giveUpAt > 0) {
                return false;
            }
            if (done.getCount() != left) {
                left = done.getCount();
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince > TimeUnit.MILLISECONDS.toNanos(quietMs)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void connected(EventLoop loop) {
        connected.incrementAndGet();
        lastNanos.set(System.nanoTime());
        done.countDown();
        if (!churn) {
            startNext(loop);
        }
    }

    @Override
    public void failed(EventLoop loop, String reason) {
        firstFailure.compareAndSet(null, reason);
        failures.incrementAndGet();
        lastNanos.set(System.nanoTime());
        done.countDown();
        startNext(loop);
    }

    @Override
    public void closed(EventLoop loop) {
        if (churn) {
            startNext(loop);
        }
    }
}
