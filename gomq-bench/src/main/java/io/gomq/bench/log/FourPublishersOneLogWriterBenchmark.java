package io.gomq.bench.log;

import io.gomq.bench.ForkedBenchmark;
import io.gomq.core.config.Durability;
import io.gomq.core.log.LogAppend;
import io.gomq.core.log.MessageLog;
import io.gomq.core.message.Message;
import io.gomq.core.message.Qos;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.rollcycles.LargeRollCycles;
import net.openhft.chronicle.wire.DocumentContext;
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
import java.nio.file.Path;
import java.util.ArrayDeque;

/**
 * The log's single writer against raw Chronicle append, 100-byte records, per durability:
 * <ul>
 *   <li>{@link #rawChronicleAppend}: one thread, one Chronicle document per record (WRITE's limit;
 *       under FSYNC raw Chronicle is not forced, so read it as the ceiling);</li>
 *   <li>{@link #callerAppends}: four threads each appending on their own thread under the log's lock
 *       ({@link MessageLog#append(Message)}; under FSYNC each append waits for its own force);</li>
 *   <li>{@link #writerAppends}: four publishers handing records to the log's writer
 *       ({@link MessageLog#appendAsync}) with up to {@value Window#SIZE} unacknowledged each, as an MQTT
 *       publisher's window: the writer batches, and under FSYNC forces once per batch.</li>
 * </ul>
 * Target (issue 14): under FSYNC {@code writerAppends} far above {@code callerAppends}, approaching
 * its own WRITE figure. Set {@code GOMQ_BENCH_DIR} to put the files on another file system.
 */
public class FourPublishersOneLogWriterBenchmark extends ForkedBenchmark {
    static final byte[] PAYLOAD = new byte[100];

    @Param({"WRITE", "FSYNC"})
    public Durability durability;

    private Path dir;
    private MessageLog log;

    @Setup(Level.Trial)
    public void openLog() throws IOException {
        dir = PersistentPathBenchmark.dataDir("bench-writer");
        log = MessageLog.open(PersistentPathBenchmark.quietLog(dir).durability(durability));
    }

    @TearDown(Level.Trial)
    public void closeLog() {
        log.close();
        PersistentPathBenchmark.delete(dir);
    }

    /** A record handed to the writer; nothing to do once stored. */
    static final class Plain extends LogAppend {
        Plain(Message m) {
            super(m);
        }

        @Override
        protected void onStored(Message stored) {
            // the future completing is the acknowledgement
        }
    }

    /** One publisher's unacknowledged records, oldest first. */
    @State(Scope.Thread)
    public static class Window {
        static final int SIZE = 64;
        final ArrayDeque<Plain> unacknowledged = new ArrayDeque<>();
        final Message message = Message.wrap("bench/writer", null, PAYLOAD, Qos.AT_LEAST_ONCE, false, System.currentTimeMillis());

        @TearDown(Level.Iteration)
        public void drain() {
            Plain p;
            while ((p = unacknowledged.poll()) != null) {
                p.join();
            }
        }
    }

    @State(Scope.Thread)
    public static class RawChronicle {
        Path dir;
        SingleChronicleQueue queue;
        ExcerptAppender appender;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            dir = PersistentPathBenchmark.dataDir("bench-raw-writer");
            queue = SingleChronicleQueueBuilder.binary(dir).rollCycle(LargeRollCycles.LARGE_DAILY).build();
            appender = queue.createAppender();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            appender.close();
            queue.close();
            PersistentPathBenchmark.delete(dir);
        }
    }

    @Benchmark
    @Threads(1)
    public void rawChronicleAppend(RawChronicle s) {
        try (DocumentContext dc = s.appender.writingDocument()) {
            dc.wire().bytes().write(PAYLOAD);
        }
    }

    @Benchmark
    @Threads(4)
    public long callerAppends(Window w) {
        return log.append(w.message);
    }

    @Benchmark
    @Threads(4)
    public long writerAppends(Window w) {
        Plain p = new Plain(w.message);
        log.appendAsync(p, null);
        w.unacknowledged.add(p);
        if (w.unacknowledged.size() > Window.SIZE) {
            w.unacknowledged.poll().join(); // a full window waits for its oldest acknowledgement
        }
        return p.offset();
    }

    public static void main(String[] args) throws RunnerException {
        new Runner(new OptionsBuilder().include(FourPublishersOneLogWriterBenchmark.class.getSimpleName()).build()).run();
    }
}
