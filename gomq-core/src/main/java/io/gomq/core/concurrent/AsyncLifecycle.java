package io.gomq.core.concurrent;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The asynchronous forms of a component's blocking start and close, for hosts that start or
 * stop many things at once. Each runs on a thread of its own (not the common pool: starting
 * opens files and binds ports). Close runs once: later calls, synchronous or not, do nothing
 * and the asynchronous ones return the same outcome.
 */
public final class AsyncLifecycle {
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final String closeThreadName;

    /** @param closeThreadName the name of the thread {@link #closeAsync} closes on */
    public AsyncLifecycle(String closeThreadName) {
        this.closeThreadName = closeThreadName;
    }

    /** Runs {@code start} on a new thread named {@code threadName}; the future fails with what it throws. */
    public static <T> CompletableFuture<T> startAsync(String threadName, Supplier<T> start) {
        return CompletableFuture.supplyAsync(start, threadPerTask(threadName));
    }

    /** Runs {@code start} on {@code executor}; the future fails with what it throws. */
    public static <T> CompletableFuture<T> startAsync(Executor executor, Supplier<T> start) {
        return CompletableFuture.supplyAsync(start, executor);
    }

    /** Whether close has begun (it may still be running). */
    public boolean isClosing() {
        return closing.get();
    }

    /** Runs {@code close} unless a close began already (then returns at once). */
    public void close(Runnable close) {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        try {
            close.run();
            closed.complete(null);
        } catch (RuntimeException | Error e) {
            closed.completeExceptionally(e);
            throw e;
        }
    }

    /**
     * Runs {@code close} on a new thread, once.
     *
     * @return completes when the close that began first is done, or fails with what it threw;
     *         a copy, so callers cannot complete it
     */
    public CompletableFuture<Void> closeAsync(Runnable close) {
        if (!closing.get()) {
            threadPerTask(closeThreadName).execute(() -> {
                try {
                    close(close);
                } catch (RuntimeException | Error e) {
                    // the future carries it
                }
            });
        }
        return closed.copy();
    }

    private static Executor threadPerTask(String name) {
        // not a daemon: a JVM whose main thread returned still finishes a start or a close
        return task -> new Thread(task, name).start();
    }
}
