package io.gomq.core.log;

import java.util.Arrays;

/**
 * A growable, sorted array of offsets with one writer and many readers. The writer stores the
 * element (growing into a new array when full) before publishing the new size through a
 * volatile write; a reader reads the size first, then the array, so it never sees a hole.
 */
final class OffsetList {
    private volatile long[] values;
    private volatile int size;

    OffsetList(int capacity) {
        values = new long[Math.max(capacity, 2)];
    }

    /** Single writer only. */
    void add(long v) {
        int n = size;
        long[] a = values;
        if (n == a.length) {
            a = Arrays.copyOf(a, n + (n >> 1) + 2);
            values = a;
        }
        a[n] = v;
        size = n + 1;
    }

    /** Single writer only: keeps the elements at index >= {@code from}. */
    void dropBefore(int from) {
        if (from <= 0) {
            return;
        }
        int n = size;
        long[] a = Arrays.copyOfRange(values, Math.min(from, n), Math.max(n, from + 2));
        values = a;
        size = Math.max(0, n - from);
    }

    /** Single writer only: keeps the elements {@code keep} accepts, in order. */
    void retain(java.util.function.LongPredicate keep) {
        int n = size;
        long[] src = values;
        long[] a = new long[Math.max(2, n)];
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (keep.test(src[i])) {
                a[m++] = src[i];
            }
        }
        values = a;
        size = m;
    }

    /** Single writer only: keeps the first {@code n} elements. */
    void truncate(int n) {
        if (n < size) {
            size = Math.max(0, n);
        }
    }

    int size() {
        return size;
    }

    long get(int i) {
        return values[i];
    }

    /** Index of the first element >= {@code v}, or size() if none. */
    int firstAtLeast(long v) {
        int n = size;
        long[] a = values;
        int i = Arrays.binarySearch(a, 0, n, v);
        return i >= 0 ? i : -i - 1;
    }

    /** A consistent view for a reader: the array and its valid length. */
    long[] snapshot(int[] lengthOut) {
        int n = size;
        lengthOut[0] = n;
        return values;
    }
}
