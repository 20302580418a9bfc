package io.gomq.core.concurrent;

import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * A single writer thread's idle strategy (the log's, the session store's): a few spins, a few
 * yields, then it parks until a producer wakes it ({@link #wake}). Design note: a writer that only backs off to a timed park would wake
 * up a thousand times a second with nothing to do; parking without a timeout costs nothing idle,
 * and a producer pays one unpark only when it finds the writer asleep.
 *
 * <p>Thread rules: {@link #idle} on the writer thread; {@link #wake} from any thread.
 */
public final class WriterIdle {
    static final int SPINS = 100;
    static final int YIELDS = 10;

    private final BooleanSupplier hasWork;
    private volatile Thread sleeper;
    private int rounds;

    /** @param hasWork read after announcing sleep: the writer parks only when it says false */
    public WriterIdle(BooleanSupplier hasWork) {
        this.hasWork = hasWork;
    }

    /** After one unit of the writer's work: {@code work} is what it did (0 = nothing). */
    public void idle(int work) {
        if (work > 0) {
            rounds = 0;
            return;
        }
        rounds++;
        if (rounds <= SPINS) {
            Thread.onSpinWait();
        } else if (rounds <= SPINS + YIELDS) {
            Thread.yield();
        } else {
            sleeper = Thread.currentThread(); // volatile store, then the re-check: a producer's offer is seen or it sees us
            if (!hasWork.getAsBoolean()) {
                LockSupport.park(this);
            }
            sleeper = null;
            rounds = 0;
        }
    }

    /** A producer has offered work: unparks the writer if it sleeps. */
    public void wake() {
        Thread t = sleeper;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }
}
