package io.gomq.launcher.jvm;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JvmSizingTest {
    private static final long MIB = 1L << 20;

    @Test
    void theDefaultBudgetGetsHalfForHeapAndTheSerialCollector() {
        List<String> flags = new JvmSizing(256 * MIB).flags(List.of());
        assertEquals(List.of("-Xms64m", "-Xmx128m", "-XX:MaxDirectMemorySize=32m", "-XX:ReservedCodeCacheSize=32m",
                "-XX:+UseSerialGC", "-XX:NewSize=32m"), flags);
    }

    @Test
    void theYoungGenerationStartsAtAQuarterOfTheHeapUpTo64Mib() {
        assertEquals(24 * MIB, new JvmSizing(192 * MIB).initialYoungBytes());
        assertEquals(64 * MIB, new JvmSizing(4096 * MIB).initialYoungBytes());
        assertTrue(new JvmSizing(4096 * MIB).flags(List.of()).containsAll(List.of("-Xms96m", "-XX:NewSize=64m")));
        List<String> smallest = new JvmSizing(JvmSizing.MIN_BUDGET_BYTES).flags(List.of());
        assertTrue(smallest.containsAll(List.of("-Xms44m", "-Xmx48m", "-XX:NewSize=12m")), smallest.toString());
    }

    @Test
    void aHeapAboveOneGibGetsTheParallelCollector() {
        assertTrue(new JvmSizing(2048 * MIB).flags(List.of()).contains("-XX:+UseSerialGC"), "1 GiB of heap: still serial");
        List<String> flags = new JvmSizing(4096 * MIB).flags(List.of());
        assertTrue(flags.contains("-XX:+UseParallelGC"), flags.toString());
        assertFalse(flags.contains("-XX:+UseSerialGC"), flags.toString());
        assertTrue(flags.contains("-XX:ReservedCodeCacheSize=48m"), flags.toString());
    }

    @Test
    void aCollectorTheUserChoseIsTheOnlyOne() {
        List<String> flags = new JvmSizing(256 * MIB).flags(List.of("-XX:+UseG1GC", "-Xlog:gc"));
        assertTrue(flags.stream().noneMatch(f -> f.matches("-XX:[+-]Use\\w+GC")), flags.toString());
        assertTrue(flags.stream().noneMatch(f -> f.startsWith("-XX:NewSize")), "no young size for G1: " + flags);
        assertEquals("-Xmx128m", flags.get(1));
    }

    @Test
    void aBudgetBelowTheMinimumIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new JvmSizing(JvmSizing.MIN_BUDGET_BYTES - 1));
    }
}
