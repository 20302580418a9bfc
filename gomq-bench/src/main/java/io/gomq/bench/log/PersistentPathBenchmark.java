package io.gomq.bench.log;

import io.gomq.bench.CountingBroker;
import io.gomq.bench.DeliveryCounter;
import io.gomq.bench.ForkedBenchmark;
import io.gomq.client.PublishReceipt;
import io.gomq.core.config.BrokerConfig;
import io.gomq.core.config.Durability;
import io.gomq.core.log.LogReader;
import io.gomq.core.log.MessageLog;
import io.gomq.core.message.Message;
import io.gomq.core.message.Qos;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.rollcycles.LargeRollCycles;
import net.openhft.chronicle.wire.DocumentContext;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * The persistent path against its limit, 100-byte payloads, in one run:
 * <ul>
 *   <li>{@link #rawChronicleAppend}: one Chronicle document per message, nothing else (the limit);</li>
 *   <li>{@link #rawChronicleAppendTail}: the same plus a second thread tailing what is appended
 *       (read the {@code :delivered} score);</li>
 *   <li>{@link #messageLogAppend}: our log (record header, offset, CRC32C, indexes, durability WRITE);</li>
 *   <li>{@link #engineRetainedPublish}: the embedded broker, a retained publish (appended to the
 *       log, then routed) to one subscribed consumer (read {@code :delivered});</li>
 *   <li>{@link #replayFromEarliest}: reading 100,000 stored records back.</li>
 * </ul>
 * Target (issue 4): the engine's persistent publish at least half of raw Chronicle's rate. The
 * issue names append+tail "the limit" (persist, then hand to a reader: what the engine does);
 * compare {@code engineRetainedPublish:delivered} with {@code rawChronicleAppendTail:delivered},
 * and quote bare {@link #rawChronicleAppend} (no reader thread) next to it.
 * Chronicle writes ~150 MB/s of files here: the runs are short and every trial deletes its files.
 * Set {@code GOMQ_BENCH_DIR} to compare on another file system (see {@link #dataDir}).
 */
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
public class PersistentPathBenchmark extends ForkedBenchmark {
    static final byte[] PAYLOAD = new byte[100];
    static final String TOPIC = "bench/persistent";

    @State(Scope.Thread)
    public static class RawChronicle {
        Path dir;
        SingleChronicleQueue queue;
        ExcerptAppender appender;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            dir = dataDir("bench-raw");
            queue = SingleChronicleQueueBuilder.binary(dir).rollCycle(LargeRollCycles.LARGE_DAILY).build();
            appender = queue.createAppender();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            appender.close();
            queue.close();
            delete(dir);
        }
    }

    /** Raw append plus a tailer thread: the limit of "persist, then hand to a subscriber". */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class RawAppendTail extends RawChronicle {
        private final DeliveryCounter counter = new DeliveryCounter();
        private Thread tailerThread;
        private volatile boolean running;

        @Override
        @Setup(Level.Trial)
        public void setUp() throws IOException {
            super.setUp();
            running = true;
            tailerThread = new Thread(this::tail, "raw-tailer");
            tailerThread.setDaemon(true);
            tailerThread.start();
        }

        private void tail() {
            try (ExcerptTailer tailer = queue.createTailer()) {
                while (running) {
                    try (DocumentContext dc = tailer.readingDocument()) {
                        if (dc.isPresent()) {
                            counter.increment();
                        } else {
                            Thread.onSpinWait();
                        }
                    }
                }
            }
        }

        @Setup(Level.Iteration)
        public void markIteration() {
            counter.markIteration();
        }

        public long delivered() {
            return counter.sinceMark();
        }

        @Override
        @TearDown(Level.Trial)
        public void tearDown() {
            running = false;
            try {
                tailerThread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            super.tearDown();
        }
    }

    @State(Scope.Thread)
    public static class Log {
        Path dir;
        MessageLog log;
        final Message message = Message.wrap(TOPIC, null, PAYLOAD, Qos.AT_LEAST_ONCE, false, System.currentTimeMillis());

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            dir = dataDir("bench-log");
            log = MessageLog.open(quietLog(dir));
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            log.close();
            delete(dir);
        }
    }

    /** The embedded broker with its log; one consumer subscribed to the retained topic. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Engine {
        private Path dir;
        private CountingBroker b;
        private Message message;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            dir = dataDir("bench-engine");
            b = new CountingBroker(quietLog(dir), TOPIC);
            message = Message.wrap(TOPIC, null, PAYLOAD, Qos.AT_MOST_ONCE, true, System.currentTimeMillis());
        }

        @Setup(Level.Iteration)
        public void markIteration() {
            b.counter.markIteration();
        }

        public long delivered() {
            return b.counter.sinceMark();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            System.out.printf("%nengine: log end offset %d, dropped QoS 0 %d%n", b.broker.engine().log().endOffset(),
                    b.broker.engine().metrics().droppedQos0.sum());
            b.close();
            delete(dir);
        }
    }

    @State(Scope.Thread)
    public static class Replay {
        static final int RECORDS = 100_000;
        Path dir;
        MessageLog log;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            dir = dataDir("bench-replay");
            log = MessageLog.open(quietLog(dir));
            for (int i = 0; i < RECORDS; i++) {
                log.append(Message.wrap("bench/topic/" + (i % 100), null, PAYLOAD, Qos.AT_LEAST_ONCE, false, i));
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            log.close();
            delete(dir);
        }
    }

    @Benchmark
    public void rawChronicleAppend(RawChronicle s) {
        try (DocumentContext dc = s.appender.writingDocument()) {
            dc.wire().bytes().write(PAYLOAD);
        }
    }

    @Benchmark
    public void rawChronicleAppendTail(RawAppendTail s) {
        try (DocumentContext dc = s.appender.writingDocument()) {
            dc.wire().bytes().write(PAYLOAD);
        }
    }

    @Benchmark
    public long messageLogAppend(Log s) {
        return s.log.append(s.message);
    }

    @Benchmark
    public PublishReceipt engineRetainedPublish(Engine s) {
        CompletableFuture<PublishReceipt> f = s.b.producer.publishCore(s.message);
        return f.join(); // complete at once unless the subscriber's queue paces the producer
    }

    @Benchmark
    @OperationsPerInvocation(Replay.RECORDS)
    public void replayFromEarliest(Replay s, Blackhole bh) {
        try (LogReader r = s.log.readerFromEarliest()) {
            for (int i = 0; i < Replay.RECORDS; i++) {
                bh.consume(r.next());
            }
        }
    }

    /**
     * A fresh directory for one trial, under {@code $GOMQ_BENCH_DIR} when set (the forks inherit
     * it; e.g. {@code /dev/shm} takes the disk's write-back out of the comparison), else the
     * JVM's temp dir. Every side of one run writes to the same file system.
     */
    static Path dataDir(String prefix) throws IOException {
        String base = System.getenv("GOMQ_BENCH_DIR");
        return base == null || base.isBlank() ? Files.createTempDirectory(prefix)
                : Files.createTempDirectory(Path.of(base), prefix);
    }

    static BrokerConfig quietLog(Path dir) {
        return BrokerConfig.defaults().dataDir(dir).durability(Durability.WRITE)
                .segmentBytes(1L << 30).compactionIntervalMs(3_600_000).retentionMs(0);
    }

    static void delete(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir: the OS cleans up what is left
        }
    }

    public static void main(String[] args) throws RunnerException {
        new Runner(new OptionsBuilder().include(PersistentPathBenchmark.class.getSimpleName()).build()).run();
    }
}
