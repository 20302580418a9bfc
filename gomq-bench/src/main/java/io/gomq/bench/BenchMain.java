package io.gomq.bench;

/**
 * Entry point of {@code benchmarks.jar}: JMH's own command line, unchanged, or the network load
 * generator ({@link io.gomq.bench.load.LoadGenerator}) when the first argument is {@code load}, the idle
 * connections tool ({@link io.gomq.bench.connections.ConnectionsTool}) when it is {@code connections}.
 *
 * <pre>java -jar gomq-bench/target/benchmarks.jar [JMH options] [benchmark regex]
 * java -jar gomq-bench/target/benchmarks.jar load --url tcp://127.0.0.1:1883 [options]
 * java -jar gomq-bench/target/benchmarks.jar connections --url tcp://127.0.0.1:9000 --pid PID [options]</pre>
 *
 * Design note: a class of our own rather than {@code org.openjdk.jmh.Main} in the manifest, so
 * the jar has one place to grow project-wide behaviour without changing how it is run.
 */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && (args[0].equals("load") || args[0].equals("connections"))) {
            quietClientJvm();
        }
        if (args.length > 0 && args[0].equals("load")) {
            io.gomq.bench.load.LoadGenerator.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals("connections")) {
            io.gomq.bench.connections.ConnectionsTool.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        org.openjdk.jmh.Main.main(args);
    }

    /**
     * The load tools' own JVM, before any Netty class loads: Netty's leak detector off (unless
     * -Dio.netty.leakDetection.level says otherwise). It samples one client buffer in 128, and its
     * rarely taken paths reached the JIT's thresholds late: C2 compiled them 1 to 5 s into the
     * measured interval, on the load generator's only core, and every delivery meanwhile waited.
     */
    private static void quietClientJvm() {
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            System.setProperty("io.netty.leakDetection.level", "disabled");
        }
    }
}
