package io.gomq.bench;

import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Base class of GoMQ benchmarks: one fork with the build's JVM flags ({@link JvmFlags}) and
 * short runs, because the build machine has two cores shared with other builds. JMH inherits
 * these annotations; override one on the subclass only where a benchmark needs otherwise
 * (a subclass {@code @Fork} replaces this one whole, flags included: repeat them there).
 * Command-line options ({@code -f -wi -i -w -r}) override all of it.
 */
@Fork(value = 1, jvmArgsAppend = {
        JvmFlags.ADD_EXPORTS_JDK_INTERNAL_REF, JvmFlags.ADD_EXPORTS_JDK_INTERNAL_UTIL, JvmFlags.ADD_EXPORTS_SUN_NIO_CH,
        JvmFlags.ADD_OPENS_JAVA_LANG_REFLECT,
        JvmFlags.ADD_OPENS_JAVA_LANG, JvmFlags.ADD_OPENS_JAVA_NIO, JvmFlags.ADD_OPENS_SUN_NIO_CH,
        JvmFlags.ADD_OPENS_JDK_INTERNAL_MISC, JvmFlags.ADD_EXPORTS_SUN_MISC, JvmFlags.ADD_EXPORTS_JAVAC_FILE,
        JvmFlags.IGNORE_UNRECOGNIZED, JvmFlags.CHRONICLE_ANALYTICS_OFF})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
public abstract class ForkedBenchmark {

    @Setup(Level.Trial)
    public void checkJvmFlags() {
        JvmFlags.check();
    }
}
