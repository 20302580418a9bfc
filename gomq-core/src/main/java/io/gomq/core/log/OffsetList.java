package io.gomq.core.log;

import io.gomq.core.concurrent.FieldHandles;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * A growable, sorted list of offsets with one writer and many readers, stored in chunks of
 * {@value #CHUNK} so that growing never copies the elements (a single hot topic holds millions
 * of offsets: doubling one big array cost a copy of all of them, on the append path).
 *
 * <p>Readers take a {@link View}: a consistent state (chunks, first and end index) that later
 * cuts ({@link #dropBefore}, {@link #truncate}) do not change; appends only add elements
 * beyond a view's end and publish them with a release store of the end.
 */
final class OffsetList {
    static final int CHUNK_BITS = 10;
    static final int CHUNK = 1 << CHUNK_BITS;
    private static final int MASK = CHUNK - 1;

    private volatile View view;

    /** @param capacity the first chunk's size (it grows by doubling up to {@value #CHUNK}) */
    OffsetList(int capacity) {
        view = new View(new long[][] {new long[Math.min(CHUNK, Math.max(capacity, 2))]}, 0, 0);
    }

    /** Single writer only. */
    void add(long v) {
        View w = view;
        int p = w.end;
        long[][] chunks = w.chunks;
        int c = p >>> CHUNK_BITS;
        if (c == chunks.length || chunks[c] == null) {
            w = grow(w, c);
            chunks = w.chunks;
        } else if ((p & MASK) == chunks[c].length) {
            w = growFirst(w); // only the first chunk is ever shorter than CHUNK
            chunks = w.chunks;
        }
        chunks[c][p & MASK] = v;
        END.setRelease(w, p + 1); // publishes the element to readers' volatile read of end; no store fence
    }

    private View grow(View w, int c) {
        long[][] chunks = c < w.chunks.length ? w.chunks : Arrays.copyOf(w.chunks, c + (c >> 1) + 2);
        chunks[c] = new long[CHUNK];
        if (chunks == w.chunks) {
            return w; // the new chunk lies beyond every reader's end
        }
        View grown = new View(chunks, w.start, w.end);
        view = grown;
        return grown;
    }

    private View growFirst(View w) {
        long[][] chunks = w.chunks.clone();
        chunks[0] = Arrays.copyOf(w.chunks[0], Math.min(CHUNK, w.chunks[0].length * 2));
        View grown = new View(chunks, w.start, w.end);
        view = grown;
        return grown;
    }

    /** Single writer only: keeps the elements at index >= {@code from}. */
    void dropBefore(int from) {
        View w = view;
        if (from <= 0) {
            return;
        }
        int newStart = w.start + Math.min(from, w.size());
        int whole = newStart >>> CHUNK_BITS; // chunks entirely before the new start go
        long[][] chunks = whole == 0 ? w.chunks : Arrays.copyOfRange(w.chunks, whole, Math.max(w.chunks.length, whole + 1));
        int shift = whole << CHUNK_BITS;
        view = new View(chunks, newStart - shift, w.end - shift);
    }

    /**
     * Single writer only: keeps the elements {@code keep} accepts, in order. Readers holding an
     * earlier {@link View} keep seeing the old elements.
     */
    void retain(java.util.function.LongPredicate keep) {
        View w = view;
        OffsetList kept = new OffsetList(Math.min(CHUNK, Math.max(2, w.size())));
        for (int i = 0; i < w.size(); i++) {
            long v = w.get(i);
            if (keep.test(v)) {
                kept.add(v);
            }
        }
        view = kept.view;
    }

    /** Single writer only: keeps the first {@code n} elements. */
    void truncate(int n) {
        View w = view;
        if (n < w.size()) {
            view = new View(w.chunks, w.start, w.start + Math.max(0, n));
        }
    }

    /** The current state, for a reader that makes several calls. */
    View view() {
        return view;
    }

    int size() {
        return view.size();
    }

    long get(int i) {
        return view.get(i);
    }

    /** Index of the first element >= {@code v}, or size() if none. */
    int firstAtLeast(long v) {
        return view.firstAtLeast(v);
    }

    /** A consistent state of the list; its size only grows (by appends). */
    static final class View {
        private final long[][] chunks;
        private final int start;
        private volatile int end;

        private View(long[][] chunks, int start, int end) {
            this.chunks = chunks;
            this.start = start;
            this.end = end;
        }

        int size() {
            return end - start;
        }

        long get(int i) {
            int p = start + i;
            return chunks[p >>> CHUNK_BITS][p & MASK];
        }

        /** Index of the first element >= {@code v}, or size() if none. */
        int firstAtLeast(long v) {
            int lo = 0;
            int hi = size();
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (get(mid) < v) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }
    }

    private static final VarHandle END =
            FieldHandles.of(MethodHandles.lookup(), View.class, "end", int.class);
}
