package io.gomq.junit;

import io.gomq.launcher.StandaloneBroker;
import io.gomq.launcher.config.LauncherConfig;
import io.gomq.launcher.config.LauncherConfigLoader;
import io.gomq.launcher.transport.TransportOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/** A test broker and the temporary directory it owns: started together, gone together. */
final class TemporaryBroker implements AutoCloseable {
    /** Two event loops: enough for a test, and many brokers of parallel test classes stay light. */
    private static final int IO_THREADS = 2;

    private final GoMqTestBroker broker;
    private final Path dataDir;

    private TemporaryBroker(GoMqTestBroker broker, Path dataDir) {
        this.broker = broker;
        this.dataDir = dataDir;
    }

    static TemporaryBroker start(GoMqTest settings) {
        Path dir = settings.persistent() ? createDataDir() : null;
        try {
            LauncherConfig config = LauncherConfigLoader.load(null, Map.of(), flags(settings, dir));
            StandaloneBroker started = StandaloneBroker.start(config, TransportOptions.defaults().ioThreads(IO_THREADS));
            try {
                return new TemporaryBroker(new GoMqTestBroker(started, dir, settings.recordMessages()), dir);
            } catch (RuntimeException e) {
                started.close();
                throw e;
            }
        } catch (RuntimeException e) {
            if (dir != null) {
                deleteQuietly(dir, e);
            }
            throw e;
        }
    }

    /** Loopback, free ports, the fresh directory; then the test's own settings, which win. */
    private static Map<String, String> flags(GoMqTest settings, Path dir) {
        Map<String, String> flags = new LinkedHashMap<>();
        flags.put("bind", "127.0.0.1");
        flags.put("port", "0");
        flags.put("http-port", "0");
        flags.put("ws-port", "0");
        flags.put("persistent", String.valueOf(settings.persistent()));
        if (dir != null) {
            flags.put("data-dir", dir.toString());
        }
        for (String setting : settings.settings()) {
            int eq = setting.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("@GoMqTest setting must be key=value, was '" + setting + "'");
            }
            flags.put(setting.substring(0, eq).trim(), setting.substring(eq + 1).trim());
        }
        return flags;
    }

    GoMqTestBroker broker() {
        return broker;
    }

    /** Closes the broker, then deletes its directory; a directory that cannot be deleted fails the test. */
    @Override
    public void close() {
        try {
            broker.close();
        } finally {
            if (dataDir != null) {
                delete(dataDir);
            }
        }
    }

    private static Path createDataDir() {
        try {
            return Files.createTempDirectory("gomq-junit-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary data directory for the test broker", e);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the test broker's data directory " + dir, e);
        }
    }

    private static void deleteQuietly(Path dir, RuntimeException failure) {
        try {
            delete(dir);
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }
}
