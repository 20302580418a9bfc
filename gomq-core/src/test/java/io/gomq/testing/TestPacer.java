package io.gomq.testing;

import io.gomq.core.queue.Pacer;

import java.util.concurrent.atomic.AtomicInteger;

/** Tests: a publisher that is paced on its own thread, as the transport's is; counts its pauses and resumes. */
public final class TestPacer extends Pacer {
    public final AtomicInteger pauses = new AtomicInteger();
    public final AtomicInteger resumes = new AtomicInteger();

    /** @param holdLimit the most refused copies it holds (0: none) */
    public TestPacer(int holdLimit) {
        super(holdLimit);
    }

    @Override
    protected void onPause() {
        pauses.incrementAndGet();
    }

    @Override
    protected void onResume() {
        resumes.incrementAndGet();
    }
}
