package io.gomq.core.log;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class OffsetListTest {

    @Test
    void shouldKeepEveryOffsetAcrossChunksAndFindByValue() {
        OffsetList l = new OffsetList(16);
        int n = OffsetList.CHUNK * 5 + 7;
        for (int i = 0; i < n; i++) {
            l.add(i * 3L);
        }
        assertEquals(n, l.size());
        for (int i = 0; i < n; i++) {
            assertEquals(i * 3L, l.get(i));
        }
        assertEquals(0, l.firstAtLeast(-1));
        assertEquals(1, l.firstAtLeast(1));
        assertEquals(1000, l.firstAtLeast(3000));
        assertEquals(n, l.firstAtLeast(n * 3L));
    }

    @Test
    void shouldDropAPrefixAndKeepAppending() {
        OffsetList l = new OffsetList(4);
        int n = OffsetList.CHUNK * 3 + 100;
        for (int i = 0; i < n; i++) {
            l.add(i);
        }
        int cut = OffsetList.CHUNK * 2 + 50; // drops two whole chunks and part of the third
        l.dropBefore(cut);
        assertEquals(n - cut, l.size());
        assertEquals(cut, l.get(0));
        for (int i = n; i < n + OffsetList.CHUNK * 2; i++) {
            l.add(i);
        }
        for (int i = 0; i < l.size(); i++) {
            assertEquals(cut + i, l.get(i));
        }
        l.dropBefore(l.size() + 10); // beyond the end: empty, still usable
        assertEquals(0, l.size());
        l.add(7);
        assertEquals(7, l.get(0));
    }

    @Test
    void shouldGiveReadersAViewThatLaterCutsDoNotChange() {
        OffsetList l = new OffsetList(16);
        for (int i = 0; i < 3000; i++) {
            l.add(i);
        }
        OffsetList.View before = l.view();
        l.dropBefore(2500);
        l.truncate(100);
        assertEquals(3000, before.size());
        assertEquals(1234, before.get(1234));
        assertEquals(2500, l.get(0));
        assertEquals(100, l.size());
        l.add(9999);
        assertEquals(101, l.size());
        assertEquals(9999, l.get(100));
    }

    @Test
    void shouldRetainOnlyAcceptedOffsetsWhileAnEarlierViewStaysAsItWas() {
        OffsetList l = new OffsetList(16);
        for (int i = 0; i < 5000; i++) {
            l.add(i);
        }
        OffsetList.View before = l.view();
        l.retain(o -> o % 1000 == 7);
        assertEquals(5, l.size());
        assertEquals(4007, l.get(4));
        assertEquals(5000, before.size());
        l.add(6000);
        assertEquals(6, l.size());
        assertEquals(5, l.firstAtLeast(5000));
    }
}
