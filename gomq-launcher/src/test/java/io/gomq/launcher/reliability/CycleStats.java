package io.gomq.launcher.reliability;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Durations (ms) measured once per crash cycle, summarised as max and median. */
final class CycleStats {
    private final List<Long> values = new ArrayList<>();

    synchronized void add(long millis) {
        values.add(millis);
    }

    synchronized long max() {
        return values.isEmpty() ? 0 : Collections.max(values);
    }

    synchronized long median() {
        if (values.isEmpty()) {
            return 0;
        }
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    @Override
    public synchronized String toString() {
        return "max " + max() + " ms, median " + median() + " ms over " + values.size();
    }
}
