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
}
