package io.gomq.launcher;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.epoll.Epoll;
import io.netty.handler.codec.http.HttpServerCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Loads, on a short-lived thread of its own, the libraries a start needs: first Chronicle Queue
 * (while the starting thread parses flags and configuration), then Netty (its native epoll
 * library, buffers, bootstrap, HTTP codec), the metrics registry and the JSON mapper (while the
 * starting thread opens the engine and recovers the log).
 *
 * <p>Design note: a restart after kill -9 spends most of its time loading and initialising
 * classes, not reading data: Chronicle Queue's first use (its JVM and posix helpers: about a
 * second of CPU, two or three on a loaded machine) and the transport and HTTP API (half a second
 * or more). Each is independent of what the starting thread does meanwhile, so they overlap
 * instead of running one after the other. The starting thread waits for a library's warm-up
 * before it uses that library ({@link #awaitLog}, {@link #awaitTransport}): two threads never
 * initialise the same library's classes at once (class initialisers that depend on each other
 * could deadlock). Nothing here binds, writes or keeps a thread.
 */
final class StartupWarmUp {
    private static final Logger LOG = LoggerFactory.getLogger(StartupWarmUp.class);
    /** Bounds a wait for the warm-up; past it the start goes on and loads what it needs itself. */
    private static final long MAX_WAIT_MS = 10_000;
    private static final String CHRONICLE = "net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder";
    private static final String JSON = "io.gomq.launcher.http.Json";

    private static final CountDownLatch LOG_LOADED = new CountDownLatch(1);
    private static final CountDownLatch TRANSPORT_LOADED = new CountDownLatch(1);
    private static final java.util.concurrent.atomic.AtomicBoolean BEGUN = new java.util.concurrent.atomic.AtomicBoolean();

    private StartupWarmUp() {
    }

    /** Starts the warm-up (once per JVM) and returns at once. */
    static void begin() {
        if (BEGUN.compareAndSet(false, true)) {
            Thread t = new Thread(StartupWarmUp::run, "gomq-warm-up");
            t.setDaemon(true);
            t.start();
        }
    }

    /** Before the engine opens the log: Chronicle's classes are initialised (or the wait timed out). */
    static void awaitLog() {
        await(LOG_LOADED, "Chronicle Queue");
    }

    /** Before the transport, metrics and HTTP API are built. */
    static void awaitTransport() {
        await(TRANSPORT_LOADED, "Netty");
    }

    private static void await(CountDownLatch loaded, String what) {
        begin();
        try {
            if (!loaded.await(MAX_WAIT_MS, TimeUnit.MILLISECONDS)) {
                LOG.warn("start-up warm-up of {} still runs after {} ms; starting without it", what, MAX_WAIT_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void run() {
        long t0 = System.nanoTime();
        try {
            Class.forName(CHRONICLE, true, StartupWarmUp.class.getClassLoader());
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            LOG.debug("warm-up of Chronicle Queue stopped: {}", e.toString()); // the engine loads it itself
        } finally {
            LOG_LOADED.countDown();
        }
        long t1 = System.nanoTime();
        try {
            Epoll.isAvailable(); // loads the native transport
            PooledByteBufAllocator.DEFAULT.buffer(64).release();
            new ServerBootstrap();
            new HttpServerCodec();
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT).close();
            Class.forName(JSON, true, StartupWarmUp.class.getClassLoader()); // builds the API's JSON mapper
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            LOG.debug("warm-up of Netty stopped: {}", e.toString());
        } finally {
            TRANSPORT_LOADED.countDown();
        }
        LOG.debug("start-up warm-up: Chronicle Queue {} ms, Netty and HTTP {} ms", (t1 - t0) / 1_000_000,
                (System.nanoTime() - t1) / 1_000_000);
    }
}
