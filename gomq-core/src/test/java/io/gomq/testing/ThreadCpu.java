package io.gomq.testing;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * Which threads burn CPU while a broker should be idle. One-off work after a start or a delivery
 * may fill a window; an idle broker has a quiet one soon after, a spinning thread never does.
 */
public final class ThreadCpu {
    /** CPU a thread may use while idle: 2 % of the window, far below any spinning loop. */
    public static final double MAX_IDLE_SHARE = 0.02;

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private ThreadCpu() {
    }

    /**
     * Measures up to {@code windows} windows of {@code window} each and returns "" at the first in
     * which no thread that {@code which} selects used more than {@link #MAX_IDLE_SHARE} of a core;
     * else the busy threads of the last window, with their CPU time.
     */
    public static String busyInEveryWindow(Predicate<Thread> which, Duration window, int windows) {
        String busy = "";
        for (int i = 0; i < windows; i++) {
            busy = busyInWindow(which, window);
            if (busy.isEmpty()) {
                break;
            }
        }
        return busy;
    }

    private static String busyInWindow(Predicate<Thread> which, Duration window) {
        Map<Thread, Long> before = cpuNanos(which);
        long start = System.nanoTime();
        long end = start + window.toNanos();
        for (long left = end - start; left > 0; left = end - System.nanoTime()) {
            LockSupport.parkNanos(left); // the test's own thread stays out of the figures
        }
        long windowNanos = System.nanoTime() - start;
        Map<Thread, Long> after = cpuNanos(which);
        StringBuilder busy = new StringBuilder();
        before.forEach((t, cpu) -> {
            Long later = after.get(t);
            if (later != null && later - cpu > MAX_IDLE_SHARE * windowNanos) {
                busy.append(t.getName()).append(' ').append((later - cpu) / 1_000_000).append(" ms; ");
            }
        });
        return busy.toString();
    }

    /** CPU time of the selected live threads but this one. */
    private static Map<Thread, Long> cpuNanos(Predicate<Thread> which) {
        Map<Thread, Long> cpu = new HashMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t != Thread.currentThread() && which.test(t)) {
                long nanos = THREADS.getThreadCpuTime(t.getId());
                if (nanos >= 0) {
                    cpu.put(t, nanos);
                }
            }
        }
        return cpu;
    }
}
