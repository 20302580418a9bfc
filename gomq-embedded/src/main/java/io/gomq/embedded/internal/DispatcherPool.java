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
    /**
     * A parked worker is woken by {@link #execute}; the timeout only bounds the cost of a
     * wake-up lost to a bug, at ten looks a second per idle worker.
     */
    private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** Idle backoff after a task: spin, then yield, then park (an unpark is a syscall; under load a worker rarely gets there). */
    private static final int SPINS = 128;
    private static final int YIELDS = 128;

    private final MpmcUnboundedXaddArrayQueue<Runnable> tasks = new MpmcUnboundedXaddArrayQueue<>(1024);
    /** Parked workers, each at most once (its {@code announced} flag), so the queue never fills. */
    private final MpmcArrayQueue<Worker> idle;
    private final Worker[] workers;
    private volatile boolean running = true;

    DispatcherPool(int threads, String namePrefix) {
        this.idle = new MpmcArrayQueue<>(Math.max(2, threads));
        this.workers = new Worker[threads];
        for (int i = 0; i < threads; i++) {
            Worker w = new Worker();
            Thread t = new Thread(() -> work(w), namePrefix + i);
            t.setDaemon(true);
            w.thread = t;
            workers[i] = w;
        }
        for (Worker w : workers) {
            w.thread.start();
        }
    }

    /** One worker thread and whether it sits in {@link #idle}. */
    private static final class Worker {
        Thread thread;
        volatile boolean announced;
    }

    @Override
    public void execute(Runnable task) {
        tasks.offer(task);
        Worker sleeper = idle.poll();
        if (sleeper != null) {
            sleeper.announced = false;
            LockSupport.unpark(sleeper.thread);
        }
    }

    /** Whether tasks are queued that no worker has taken yet. */
    boolean hasWaitingTasks() {
        return !tasks.isEmpty();
    }

    /**
     * Design note: the backoff restarts only after a task ran. A worker that woke from its park
     * and found nothing parks again at once; spinning and yielding again after every timed park
     * cost an idle broker a tenth of a core per worker.
     */
    private void work(Worker self) {
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
            if (spins < SPINS) {
                spins++;
                Thread.onSpinWait();
                continue;
            }
            if (spins < SPINS + YIELDS) {
                spins++;
                Thread.yield();
                continue;
            }
            // announce before the last look: a submitter that misses the task's offer finds us in idle
            // (and one that took us out of idle has unparked us or is about to: the park returns then)
            if (!self.announced) {
                self.announced = true;
                idle.offer(self);
            }
            if (tasks.isEmpty() && running) {
                LockSupport.parkNanos(this, MAX_PARK_NANOS);
            }
        }
    }

    /** Stops the workers; waits up to {@code timeoutMs} for running tasks. Returns false if one still runs. */
    boolean shutdown(long timeoutMs) {
        running = false;
        for (Worker w : workers) {
            LockSupport.unpark(w.thread);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        boolean stopped = true;
        for (Worker w : workers) {
            Thread t = w.thread;
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
