package io.gomq.core.engine;

import io.gomq.core.concurrent.FieldHandles;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Messages, bytes and queued copies counted on the publish path without atomic instructions:
 * each publishing thread adds to its own cell (single writer, opaque stores); a reader sums the
 * cells and may be a moment behind.
 *
 * <p>Design note: LongAdder costs a locked CAS per update even uncontended; three of them per
 * publish were the largest cost on the embedded path in the profile (JMH -prof jfr).
 */
public final class PublishCounters {
    private static final VarHandle VALUE =
            FieldHandles.of(MethodHandles.lookup(), Cell.class, "messages", long.class);

    private final CopyOnWriteArrayList<Cell> cells = new CopyOnWriteArrayList<>();
    private final ThreadLocal<Cell> mine = ThreadLocal.withInitial(() -> {
        Cell c = new Cell();
        cells.add(c);
        return c;
    });

    /** One message of {@code bytes} payload bytes came in. */
    public void record(int bytes) {
        Cell c = mine.get();
        VALUE.setOpaque(c, c.messages + 1);
        c.bytes += bytes;
    }

    /** {@code copies} copies of the last message went into subscriber queues. */
    public void queued(int copies) {
        mine.get().queued += copies;
    }

    public long messages() {
        long sum = 0;
        for (Cell c : cells) {
            sum += (long) VALUE.getOpaque(c);
        }
        return sum;
    }

    public long bytes() {
        long sum = 0;
        for (Cell c : cells) {
            sum += c.bytes;
        }
        return sum;
    }

    public long queued() {
        long sum = 0;
        for (Cell c : cells) {
            sum += c.queued;
        }
        return sum;
    }

    private static final class Cell {
        long messages;
        long bytes;
        long queued;
    }
}
