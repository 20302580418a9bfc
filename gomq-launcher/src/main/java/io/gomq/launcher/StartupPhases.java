package io.gomq.launcher;

import org.slf4j.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Where a start's time went: the phases of {@link StandaloneBroker#start} in order, each with its
 * milliseconds, logged as one line after the ready line; at INFO when the start took
 * {@link #SLOW_MS} or more (a restart should take well under 2 s), else at DEBUG. The engine's own
 * lines above it (log recovery per segment, sessions loaded) break the engine phase down further.
 *
 * <p>Thread rules: the starting thread only.
 */
final class StartupPhases {
    static final long SLOW_MS = 1_000;

    private final long startNanos = System.nanoTime();
    private final List<String> phases = new ArrayList<>();
    private long lastNanos = startNanos;

    /** The phase that began where the last one ended (or at the start) has ended now. */
    void ended(String phase) {
        long now = System.nanoTime();
        phases.add(phase + " " + TimeUnit.NANOSECONDS.toMillis(now - lastNanos) + " ms");
        lastNanos = now;
    }

    long totalMillis() {
        return TimeUnit.NANOSECONDS.toMillis(lastNanos - startNanos);
    }

    /** "config 3 ms, engine 812 ms, ..." */
    String describe() {
        return String.join(", ", phases);
    }

    void log(Logger log) {
        if (totalMillis() >= SLOW_MS) {
            log.info("start-up took {} ms: {}", totalMillis(), describe());
        } else {
            log.debug("start-up took {} ms: {}", totalMillis(), describe());
        }
    }
}
