package io.gomq.launcher.transport;

import io.netty.channel.SelectStrategy;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The event loop's wait, on a clock the test moves: poll within the window after work, sleep after it. */
class SpinThenBlockTest {
    private static final long WINDOW = 100_000;

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final AtomicInteger polls = new AtomicInteger();
    private int ready;

    private int next(SpinThenBlock s, boolean hasTasks) throws Exception {
        return s.calculateStrategy(() -> {
            polls.incrementAndGet();
            return ready;
        }, hasTasks);
    }

    @Test
    void pollsWithoutSleepingWithinTheWindowAfterWorkThenSleeps() throws Exception {
        SpinThenBlock s = new SpinThenBlock(WINDOW, now::get);
        now.addAndGet(WINDOW - 1);
        assertEquals(0, next(s, false), "an empty poll within the window");
        assertEquals(1, polls.get());
        now.addAndGet(1);
        assertEquals(SelectStrategy.SELECT, next(s, false), "the window has passed");
        assertEquals(1, polls.get(), "sleeping does not poll first");
    }

    @Test
    void workFoundInTheWindowStartsItAgain() throws Exception {
        SpinThenBlock s = new SpinThenBlock(WINDOW, now::get);
        now.addAndGet(WINDOW - 1);
        ready = 3;
        assertEquals(3, next(s, false));
        ready = 0;
        now.addAndGet(WINDOW - 1);
        assertEquals(0, next(s, false), "still within the window the found work began");
        now.addAndGet(1);
        assertEquals(SelectStrategy.SELECT, next(s, false));
    }

    @Test
    void aLoopThatWokeFromSleepPollsAgainForAWholeWindow() throws Exception {
        SpinThenBlock s = new SpinThenBlock(WINDOW, now::get);
        now.addAndGet(WINDOW);
        assertEquals(SelectStrategy.SELECT, next(s, false));
        now.addAndGet(5 * WINDOW); // slept until a socket, a task or a timer woke it
        assertEquals(0, next(s, false));
        now.addAndGet(WINDOW - 1);
        assertEquals(0, next(s, false));
        now.addAndGet(1);
        assertEquals(SelectStrategy.SELECT, next(s, false));
    }

    @Test
    void waitingTasksAreNeverSleptOn() throws Exception {
        SpinThenBlock s = new SpinThenBlock(WINDOW, now::get);
        now.addAndGet(10 * WINDOW);
        assertEquals(0, next(s, true), "tasks wait: poll, then run them");
        now.addAndGet(WINDOW - 1);
        assertEquals(0, next(s, false), "the tasks were work: a window began with them");
    }

    @Test
    void aWindowOfZeroSleepsAtOnceAsNettyDoes() throws Exception {
        SpinThenBlock s = new SpinThenBlock(0, now::get);
        assertEquals(SelectStrategy.SELECT, next(s, false));
        ready = 2;
        assertEquals(2, next(s, false), "after sleeping: the ready sockets");
        assertEquals(SelectStrategy.SELECT, next(s, false));
        assertEquals(1, polls.get(), "polled once: after sleeping");
    }

    /** Work every {@code every} ns for {@code nanos}; the strategy is left where the last work came. */
    private void stream(SpinThenBlock s, long every, long nanos) throws Exception {
        for (long t = 0; t < nanos; t += every) {
            now.addAndGet(every);
            ready = 1;
            assertEquals(1, next(s, every > WINDOW), "work");
        }
        ready = 0;
    }

    @Test
    void aStreamBridgesAQuietGapOfSeveralWindows() throws Exception {
        SpinThenBlock s = new SpinThenBlock(WINDOW, now::get);
        stream(s, WINDOW / 2, SpinThenBlock.PERIOD_NANOS + WINDOW);
        now.addAndGet(SpinThenBlock.STREAM_FACTOR * WINDOW - 1);
        assertEquals(0, next(s, false), "still polling well past one window");
        now.addAndGet(1);
        assertEquals(SelectStrategy.SELECT, next(s, false), "the long window has passed");
    }

    @Test
    void aSparseStreamKeepsTheShortWindow() throws Exception {
        SpinThenBlock s = new SpinThenBlock(WINDOW, now::get);
        long every = SpinThenBlock.PERIOD_NANOS / (SpinThenBlock.STREAM_WORK / 2);
        stream(s, every, 2 * SpinThenBlock.PERIOD_NANOS);
        now.addAndGet(WINDOW);
        assertEquals(SelectStrategy.SELECT, next(s, false));
    }

    @Test
    void bridgingStopsWhenThePeriodsBudgetIsSpent() throws Exception {
        SpinThenBlock s = new SpinThenBlock(WINDOW, now::get);
        stream(s, WINDOW / 2, SpinThenBlock.PERIOD_NANOS + WINDOW);
        long perGap = (SpinThenBlock.STREAM_FACTOR - 1) * WINDOW - 1; // polled past the first window
        long gaps = (SpinThenBlock.BRIDGE_BUDGET_NANOS + perGap - 1) / perGap;
        for (int i = 0; i < gaps; i++) {
            now.addAndGet(SpinThenBlock.STREAM_FACTOR * WINDOW - 1);
            ready = 1;
            assertEquals(1, next(s, false), "gap " + i + " bridged: still polling when work came");
            ready = 0;
        }
        now.addAndGet(WINDOW);
        assertEquals(SelectStrategy.SELECT, next(s, false), "budget spent: one window, as a sparse stream");
    }
}
