package io.gomq.bench.log;

import io.gomq.bench.ForkedBenchmark;
import io.gomq.core.log.MessageLog;
import io.gomq.core.message.Message;
import io.gomq.core.message.Qos;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How long the log takes to become ready over one million stored 100-byte messages (10,000
 * topics, every hundredth retained): the scan that validates each record and rebuilds the
 * offset, topic and retained indexes. The target is under 2 s, the standalone broker's restart
 * budget in the crash loop. Single-shot: each measurement opens and closes the log once.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
public class RecoveryBenchmark extends ForkedBenchmark {
    static final int MESSAGES = 1_000_000;

    @State(Scope.Benchmark)
    public static class StoredLog {
        Path dir;

        @Setup(Level.Trial)
        public void write() throws IOException {
            dir = PersistentPathBenchmark.dataDir("bench-recovery");
            byte[] payload = new byte[100];
            try (MessageLog log = MessageLog.open(PersistentPathBenchmark.quietLog(dir))) {
                List<Message> batch = new ArrayList<>(100);
                for (int i = 0; i < MESSAGES; i++) {
                    batch.add(Message.wrap("topic/" + (i % 10_000), null, payload, Qos.AT_LEAST_ONCE, i % 100 == 0, i));
                    if (batch.size() == 100) {
                        log.append(batch);
                        batch.clear();
                    }
                }
            }
        }

        @TearDown(Level.Trial)
        public void delete() {
            PersistentPathBenchmark.delete(dir);
        }
    }

    @Benchmark
    public long recoverOneMillionMessages(StoredLog stored) {
        try (MessageLog log = MessageLog.open(PersistentPathBenchmark.quietLog(stored.dir))) {
            return log.endOffset();
        }
    }
}
