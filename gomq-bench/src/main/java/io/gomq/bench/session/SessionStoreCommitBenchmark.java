package io.gomq.bench.session;

import io.gomq.bench.ForkedBenchmark;
import io.gomq.core.config.BrokerConfig;
import io.gomq.core.config.Durability;
import io.gomq.core.session.store.SessionStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Offset commits into the persistent session store, each thread a session's owner committing
 * its own session and waiting until it is on disk (what an acknowledgement that depends on an
 * update waits for): {@link #oneSessionThread} against {@link #fourSessionThreads}. The store's
 * writer writes what all threads queued in one batch, under FSYNC with one force (group commit),
 * so four threads' sum should beat one thread.
 * Set {@code GOMQ_BENCH_DIR} to measure on another file system.
 */
public class SessionStoreCommitBenchmark extends ForkedBenchmark {
    @Param({"WRITE", "FSYNC"})
    public String durability;

    Path dir;
    SessionStore store;
    final AtomicInteger sessions = new AtomicInteger();

    @Setup(Level.Trial)
    public void open() throws IOException {
        String base = System.getenv("GOMQ_BENCH_DIR");
        dir = base == null || base.isBlank() ? Files.createTempDirectory("bench-sessions")
                : Files.createTempDirectory(Path.of(base), "bench-sessions");
        store = SessionStore.open(BrokerConfig.defaults().dataDir(dir).durability(Durability.valueOf(durability)));
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        store.close();
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** One session per benchmark thread. */
    @State(Scope.Thread)
    public static class Owner {
        String clientId;
        long offset;

        @Setup(Level.Trial)
        public void name(SessionStoreCommitBenchmark b) {
            clientId = "owner-" + b.sessions.incrementAndGet();
        }
    }

    @Benchmark
    @Threads(1)
    public void oneSessionThread(Owner o) {
        store.commitOffset(o.clientId, ++o.offset);
        store.durable().join();
    }

    @Benchmark
    @Threads(4)
    public void fourSessionThreads(Owner o) {
        store.commitOffset(o.clientId, ++o.offset);
        store.durable().join();
    }

    public static void main(String[] args) throws RunnerException {
        new Runner(new OptionsBuilder().include(SessionStoreCommitBenchmark.class.getName()).build()).run();
    }
}
