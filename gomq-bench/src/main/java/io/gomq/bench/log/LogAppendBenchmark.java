package io.gomq.bench.log;

import io.gomq.core.config.BrokerConfig;
import io.gomq.core.config.Durability;
import io.gomq.core.log.LogReader;
import io.gomq.core.log.MessageLog;
import io.gomq.core.message.Message;
import io.gomq.core.message.Qos;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.rollcycles.LargeRollCycles;
import net.openhft.chronicle.wire.DocumentContext;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * One producer thread appending 100-byte messages: raw Chronicle Queue (the limit: one
 * document of 100 bytes) against {@link MessageLog#append} (record header, CRC32C, topic
 * index, durability WRITE), plus one reader replaying 100,000 records from the earliest offset.
 * Target: MessageLog append >= 50 % of the raw Chronicle rate.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(java.util.concurrent.TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
        "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
        "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
        "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED",
        "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED", "-XX:+IgnoreUnrecognizedVMOptions",
        "-Dchronicle.analytics.disable=true", "-Xmx1g"})
public class LogAppendBenchmark {
    static final byte[] PAYLOAD = new byte[100];

    @State(Scope.Benchmark)
    public static class RawChronicle {
        Path dir;
        SingleChronicleQueue queue;
        ExcerptAppender appender;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            dir = Files.createTempDirectory("bench-raw");
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

    @State(Scope.Benchmark)
    public static class Log {
        Path dir;
        MessageLog log;
        Message message = Message.wrap("bench/topic/1", null, PAYLOAD, Qos.AT_LEAST_ONCE, false, System.currentTimeMillis());

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            dir = Files.createTempDirectory("bench-log");
            log = MessageLog.open(BrokerConfig.defaults().dataDir(dir).durability(Durability.WRITE)
                    .segmentBytes(1L << 30).compactionIntervalMs(3_600_000).retentionMs(0));
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            log.close();
            delete(dir);
        }
    }

    @State(Scope.Benchmark)
    public static class Replay {
        static final int RECORDS = 100_000;
        Path dir;
        MessageLog log;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            dir = Files.createTempDirectory("bench-replay");
            log = MessageLog.open(BrokerConfig.defaults().dataDir(dir).compactionIntervalMs(3_600_000).retentionMs(0));
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
    public long messageLogAppend(Log s) {
        return s.log.append(s.message);
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

    static void delete(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temp dir
        }
    }

    public static void main(String[] args) throws RunnerException {
        new Runner(new OptionsBuilder().include(LogAppendBenchmark.class.getSimpleName()).build()).run();
    }
}
