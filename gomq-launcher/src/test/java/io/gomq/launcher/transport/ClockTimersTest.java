package io.gomq.launcher.transport;

import io.gomq.testing.ManualClock;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** On Netty's EmbeddedChannel: its loop's time and the broker's clock each move only when the test moves them. */
class ClockTimersTest {
    private final ManualClock clock = new ManualClock();
    private final ClockTimers timers = new ClockTimers(clock);
    private final EmbeddedChannel ch = new EmbeddedChannel();
    private final List<String> ran = new ArrayList<>();

    @Test
    void aTimerRunsOnceTheClockPassesItsDueTimeNotBefore() {
        timers.schedule(ch.eventLoop(), 1, TimeUnit.SECONDS, () -> ran.add("a"));
        clock.advance(Duration.ofMillis(999));
        ch.runPendingTasks();
        assertEquals(List.of(), ran);
        clock.advance(Duration.ofMillis(1));
        ch.runPendingTasks();
        assertEquals(List.of("a"), ran);
        clock.advance(Duration.ofSeconds(5));
        ch.runPendingTasks();
        assertEquals(List.of("a"), ran, "one-shot");
    }

    @Test
    void aTimerWhoseRealDelayEndsBeforeTheClockMovesWaitsForTheClock() {
        ch.freezeTime();
        timers.schedule(ch.eventLoop(), 1, TimeUnit.SECONDS, () -> ran.add("a"));
        ch.advanceTimeBy(2, TimeUnit.SECONDS); // the loop's timer fires; the broker's clock stands still
        ch.runScheduledPendingTasks();
        assertEquals(List.of(), ran);
        clock.advance(Duration.ofSeconds(1));
        ch.runPendingTasks();
        assertEquals(List.of("a"), ran);
    }

    @Test
    void aCancelledTimerNeverRunsAndDueTimersRunInOneAdvance() {
        ClockTimers.Timer cancelled = timers.schedule(ch.eventLoop(), 1, TimeUnit.SECONDS, () -> ran.add("cancelled"));
        timers.schedule(ch.eventLoop(), 2, TimeUnit.SECONDS, () -> ran.add("b"));
        timers.schedule(ch.eventLoop(), 3, TimeUnit.SECONDS, () -> ran.add("c"));
        timers.schedule(ch.eventLoop(), 9, TimeUnit.SECONDS, () -> ran.add("late"));
        cancelled.cancel();
        clock.advance(Duration.ofSeconds(3));
        ch.runPendingTasks();
        assertEquals(List.of("b", "c"), ran);
    }
}
