package io.gomq.launcher;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.epoll.Epoll;
import io.netty.handler.codec.http.HttpServerCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads, on a short-lived thread of its own, what the start needs after the engine: Netty (its
 * native epoll library, buffers, bootstrap, HTTP codec), the metrics registry and the JSON
 * mapper, while the starting thread opens the engine and recovers the log.
 *
 * <p>Design note: a restart after kill -9 spends most of its time loading and initialising
 * classes, not reading data: Chronicle Queue's first use (its JVM and posix helpers, about a
 * second; two or three on a loaded machine) and then the transport and HTTP API (half a second
 * or more). The two are independent, so they overlap here instead of running one after the
 * other. It only loads classes and builds throw-away objects: nothing binds, no thread stays.
 */
final class StartupWarmUp {
    private static final Logger LOG = LoggerFactory.getLogger(StartupWarmUp.class);

    private StartupWarmUp() {
    }

    /** Starts the warm-up and returns at once; the start never waits for it. */
    static void begin() {
        Thread t = new Thread(StartupWarmUp::run, "gomq-warm-up");
        t.setDaemon(true);
        t.start();
    }

    private static void run() {
        long t0 = System.nanoTime();
        try {
            Epoll.isAvailable(); // loads the native transport
            PooledByteBufAllocator.DEFAULT.buffer(64).release();
            new ServerBootstrap();
            new HttpServerCodec();
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT).close();
            Class.forName("io.gomq.launcher.http.Json", true, StartupWarmUp.class.getClassLoader()); // its JSON mapper
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            // nothing here is needed: the start loads what it uses itself
            LOG.debug("start-up warm-up stopped: {}", e.toString());
        }
        LOG.debug("start-up warm-up took {} ms", (System.nanoTime() - t0) / 1_000_000);
    }
}
