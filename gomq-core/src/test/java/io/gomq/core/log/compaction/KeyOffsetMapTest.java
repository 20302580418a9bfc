package io.gomq.core.log.compaction;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyOffsetMapTest {

    @Test
    void shouldKeepTheNewestOffsetPerKeyAcrossGrowth() {
        KeyOffsetMap map = new KeyOffsetMap(8L << 20);
        int keys = 100_000; // far past the first table: it doubles several times
        for (int round = 0; round < 2; round++) {
            for (int k = 0; k < keys; k++) {
                assertTrue(map.put(k * 31L + 7, k, round * keys + k, 1000 + k, k % 10 == 0));
            }
        }
        assertEquals(keys, map.size());
        for (int k = 0; k < keys; k++) {
            assertEquals(keys + k, map.offset(k * 31L + 7, k));
        }
        assertEquals(-1, map.offset(-5, -5));
        assertTrue(map.expiredTombstone(7, 0, 1001), "key 0 ends in a tombstone stamped 1000");
        assertFalse(map.expiredTombstone(7, 0, 1000), "not older than the deadline");
        assertFalse(map.expiredTombstone(31 + 7, 1, 5000), "key 1 is no tombstone");
    }

    @Test
    void shouldRefuseNewKeysWhenFullButStillUpdateKnownOnes() {
        KeyOffsetMap map = new KeyOffsetMap(4096); // 128 slots
        int n = 0;
        while (map.put(n + 1, n, n, 0, false)) {
            n++;
        }
        assertEquals(map.capacity(), n);
        assertEquals(96, n);
        assertTrue(map.put(1, 0, 500, 0, false), "a known key is updated in place");
        assertEquals(500, map.offset(1, 0));
        assertEquals(-1, map.offset(n + 1, n), "the refused key left nothing behind");
    }

    @Test
    void shouldTellTheTwoHashHalvesApart() {
        KeyOffsetMap map = new KeyOffsetMap(1 << 16);
        map.put(42, 1, 10, 0, false);
        map.put(42, 2, 20, 0, false); // same first half, other key
        assertEquals(10, map.offset(42, 1));
        assertEquals(20, map.offset(42, 2));
        map.put(0, 0, 30, 0, false); // the empty-slot marker is remapped, not lost
        assertEquals(30, map.offset(0, 0));
    }
}
