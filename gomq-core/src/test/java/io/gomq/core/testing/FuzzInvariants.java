package io.gomq.core.testing;

import java.lang.management.ManagementFactory;
import java.util.function.Supplier;

/**
 * What every coverage-guided fuzz target checks besides its own contract: one input must not
 * allocate more than a bound (a length field read from the input must never size a buffer
 * before the bytes are there), and only the documented error type may escape.
 */
public final class FuzzInvariants {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private FuzzInvariants() {
    }

    /**
     * Runs {@code body} twice; fails when the second run allocated more than {@code maxBytes} on
     * this thread (the first pays for class loading and instrumentation, which is not the input's).
     * So {@code body} must give the same result each time: a fresh decoder per run.
     */
    public static <T> T withinAllocation(long maxBytes, String what, Supplier<T> body) {
        body.get();
        long before = THREADS.getCurrentThreadAllocatedBytes();
        T result = body.get();
        long used = THREADS.getCurrentThreadAllocatedBytes() - before;
        if (used > maxBytes) {
            throw new AssertionError(what + " allocated " + used + " bytes for one input; the bound is " + maxBytes);
        }
        return result;
    }

    /** Runs {@code body}; an exception other than {@code allowed} is a finding, {@code allowed} is swallowed. */
    public static void onlyThrows(Class<? extends RuntimeException> allowed, Runnable body) {
        try {
            body.run();
        } catch (RuntimeException e) {
            if (!allowed.isInstance(e)) {
                throw new AssertionError("undocumented " + e.getClass().getName() + " escaped (only "
                        + allowed.getSimpleName() + " may)", e);
            }
        }
    }
}
