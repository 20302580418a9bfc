package io.gomq.bench;

/**
 * Entry point of {@code benchmarks.jar}: JMH's own command line, unchanged.
 *
 * <pre>java -jar gomq-bench/target/benchmarks.jar [JMH options] [benchmark regex]</pre>
 *
 * Design note: a class of our own rather than {@code org.openjdk.jmh.Main} in the manifest, so
 * the jar has one place to grow project-wide behaviour without changing how it is run.
 */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        org.openjdk.jmh.Main.main(args);
    }
}
