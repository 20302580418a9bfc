package io.gomq.launcher;

import io.gomq.core.config.ConfigException;
import io.gomq.launcher.config.LauncherConfig;
import io.gomq.launcher.config.LauncherDefaults;
import io.gomq.launcher.jvm.ClassDataArchive;
import io.gomq.launcher.jvm.JvmSizing;
import io.gomq.launcher.jvm.SelfExec;
import org.slf4j.LoggerFactory;
import io.gomq.launcher.config.LauncherFlags;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** {@code java -jar gomq.jar [flags]}: the standalone broker. */
public final class Main {
    /** Netty's switch for its JDK Flight Recorder events. */
    static final String NETTY_JFR = "io.netty.jfr.enabled";
    static final String NETTY_LEAK_DETECTION = "io.netty.leakDetection.level";

    private Main() {
    }

    /** How long the broker runs once started: {@link #untilShutdown()} in production, tests pass their own. */
    @FunctionalInterface
    interface Lifetime {
        void await(StandaloneBroker broker) throws InterruptedException;
    }

    public static void main(String[] args) {
        defaultSystemProperties();
        execSized(args, System.getenv());
        StartupWarmUp.begin(); // the libraries load while the flags and settings are read
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        int code = run(args, System.getenv(), out, err, untilShutdown());
        if (code != 0) {
            flushLogs();
            System.exit(code);
        }
    }

    /**
     * Started by {@code java -jar gomq.jar} without -Xmx: becomes a JVM sized for the {@code memory}
     * setting ({@link SelfExec}, {@link JvmSizing}) and never returns. Returns when this JVM runs
     * the broker as it is: sized already or by the user, memory off, not run from the jar, bad
     * settings or --help (which {@link #run} reports), or exec failed (logged).
     */
    static void execSized(String[] args, Map<String, String> env) {
        if (System.getProperty(SelfExec.MARKER) != null) {
            return; // sized already: parsing the flags twice cost a restart about a quarter of a second
        }
        LauncherFlags flags = new LauncherFlags();
        LauncherConfig config;
        try {
            ParseResult parsed = LauncherFlags.commandLine(flags).parseArgs(args);
            if (parsed.isUsageHelpRequested() || parsed.isVersionHelpRequested()) {
                return;
            }
            config = flags.toConfig(env);
        } catch (ParameterException | ConfigException e) {
            return;
        }
        if (config.memoryBytes() == LauncherDefaults.MEMORY_OFF) {
            return;
        }
        SelfExec.command(new JvmSizing(config.memoryBytes()), config.classArchiveDir(), args).ifPresent(command -> {
            String failure = SelfExec.exec(command);
            LoggerFactory.getLogger(Main.class).warn("running with the JVM's own heap size: {}", failure);
        });
    }

    /** JVM-wide defaults; set before any Chronicle or Netty class loads. */
    static void defaultSystemProperties() {
        // Chronicle's analytics would phone home.
        System.setProperty("chronicle.analytics.disable", "true");
        // Netty's JFR allocator events register on the first connection and made a fresh broker's
        // first CONNACK take about 1.7 s instead of 0.4 s (clients with a short timeout gave up).
        // -Dio.netty.jfr.enabled=true brings them back.
        if (System.getProperty(NETTY_JFR) == null) {
            System.setProperty(NETTY_JFR, "false");
        }
        // Netty's leak detector samples one buffer in 128 and records a stack trace for it: 3 % of
        // the broker's allocation per QoS 0 message, and the stack walks. The tests keep it on;
        // -Dio.netty.leakDetection.level=simple brings it back here.
        if (System.getProperty(NETTY_LEAK_DETECTION) == null) {
            System.setProperty(NETTY_LEAK_DETECTION, "disabled");
        }
    }

    /**
     * Parses the configuration, starts the broker and keeps it running for {@code lifetime}.
     * Returns 0 = ok (or help shown), 1 = could not start (port taken, data dir unusable, ...),
     * 2 = bad flags or settings. Never calls System.exit.
     */
    static int run(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err, Lifetime lifetime) {
        LauncherFlags flags = new LauncherFlags();
        CommandLine cli = LauncherFlags.commandLine(flags);
        cli.setOut(out);
        cli.setErr(err);
        LauncherConfig config;
        try {
            ParseResult parsed = cli.parseArgs(args);
            if (CommandLine.printHelpIfRequested(parsed)) {
                return 0;
            }
            config = flags.toConfig(env).conclude();
        } catch (ParameterException e) {
            err.println("gomq: " + e.getMessage());
            cli.usage(err);
            return 2;
        } catch (ConfigException e) {
            err.println("gomq: " + e.getMessage());
            return 2;
        }
        // With --etcd, StandaloneBroker.start joins the cluster (ClusterBinding): member until elected.
        StandaloneBroker broker;
        try {
            broker = StandaloneBroker.start(config);
        } catch (StartupException e) {
            err.println("gomq: " + e.getMessage());
            return 1;
        }
        ClassDataArchive.describeThisJvm().ifPresent(LoggerFactory.getLogger(Main.class)::info);
        try (broker) {
            lifetime.await(broker);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** The console lines go out on logback's own thread (logback.xml): writes what is still queued before the JVM exits. */
    private static void flushLogs() {
        if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext logs) {
            logs.stop();
        }
    }

    /** Runs until SIGTERM/SIGINT: the shutdown hook closes the broker, then lets the JVM exit. SIGHUP reloads the ACL. */
    static Lifetime untilShutdown() {
        return broker -> {
            CountDownLatch stopped = new CountDownLatch(1);
            Thread hook = new Thread(() -> {
                broker.close();
                flushLogs();
                stopped.countDown();
            }, "gomq-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            ReloadSignal.install(broker::reloadAcl);
            stopped.await();
        };
    }
}
