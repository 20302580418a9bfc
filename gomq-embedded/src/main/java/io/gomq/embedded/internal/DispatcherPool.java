package io.gomq.embedded.internal;

import org.jctools.queues.MpmcArrayQueue;
import org.jctools.queues.MpmcUnboundedXaddArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The threads that run in-process consumers' handlers.
 *
 * <p>Design note: work-sharing, not work-stealing. Every task goes to one shared lock-free
 * queue that any idle worker takes from. With a ForkJoinPool a consumer re-scheduled from a
 * worker lands in that worker's own deque, and if the worker then blocks in another
 * consumer's handler the task can wait there: one blocked handler must never hold up another
 * consumer while a thread is free.
 */
final class DispatcherPool implements Executor, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DispatcherPool.class);
    private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** Idle backoff: spin, then yield, then park (an unpark is a syscall; under load a worker rarely gets there). */
    private static final int SPINS = 128;
    private static final int YIELDS = 128;

    private final MpmcUnboundedXaddArrayQueue<Runnable> tasks = new MpmcUnboundedXaddArrayQueue<>(1024);
    private final MpmcArrayQueue<Thread> idle;
    private final Thread[] workers;
    private volatile boolean running = true;

    DispatcherPool(int threads, String namePrefix) {
        this.idle = new MpmcArrayQueue<>(Math.max(2, threads * 4));
        this.workers = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(this::work, namePrefix + i);
            t.setDaemon(true);
            workers[i] = t;
            t.start();
        }
    }

    @Override
    public void execute(Runnable task) {
        tasks.offer(task);
        Thread sleeper = idle.poll();
        if (sleeper != null) {
            LockSupport.unpark(sleeper);
        }
    }

    /** Whether tasks are queued that no worker has taken yet. */
    boolean hasWaitingTasks() {
        return !tasks.isEmpty();
    }

    private void work() {
        Thread self = Thread.currentThread();
        int spins = 0;
        while (running) {
            Runnable task = tasks.poll();
            if (task != null) {
                spins = 0;
                try {
                    task.run();
                } catch (Throwable e) {
                    LOG.error("dispatcher task failed", e);
                }
                continue;
            }
            if (++spins < SPINS) {
                Thread.onSpinWait();
                continue;
            }
            if (spins < SPINS + YIELDS) {
                Thread.yield();
                continue;
            }
            // announce before the last look: a submitter that misses the task's offer finds us here
            idle.offer(self);
            if (tasks.isEmpty() && running) {
                LockSupport.parkNanos(this, MAX_PARK_NANOS);
            }
            spins = 0;
        }
    }

    /** Stops the workers; waits up to {@code timeoutMs} for running tasks. Returns false if one still runs. */
    boolean shutdown(long timeoutMs) {
        running = false;
        for (Thread t : workers) {
            LockSupport.unpark(t);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        boolean stopped = true;
        for (Thread t : workers) {
            try {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (t.isAlive()) {
                t.interrupt();
                stopped = false;
            }
        }
        return stopped;
    }

    @Override
    public void close() {
        shutdown(5_000);
    }
}
