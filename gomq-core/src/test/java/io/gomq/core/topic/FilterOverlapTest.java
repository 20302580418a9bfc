package io.gomq.core.topic;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FilterOverlapTest {
    @ParameterizedTest(name = "{0} covers {1}: {2}")
    @CsvSource({
            "#, a/b, true",
            "#, #, true",
            "a/#, a, true",
            "a/#, a/+/c, true",
            "a/#, b/#, false",
            "a/+, a/b, true",
            "a/+, a/+, true",
            "a/+, a/#, false",
            "a/b, a/+, false",
            "a/b, a/b, true",
            "a/b, a/b/c, false",
            "a/b/c, a/b, false",
            "+/b, $SYS/b, false",
            "#, $SYS/x, false",
            "$SYS/#, $SYS/x, true",
    })
    void covers(String outer, String inner, boolean expected) {
        assertEquals(expected, FilterOverlap.covers(outer, inner));
    }

    @ParameterizedTest(name = "{0} meets {1}: {2}")
    @CsvSource({
            "#, a/b, true",
            "users/alice/#, users/#, true",
            "users/alice/#, users/+/x, true",
            "users/alice/#, users/bob/#, false",
            "a/#, a, true",
            "a, a/#, true",
            "a/b, a/+/c, false",
            "+/+, a, false",
            "a/+, +/b, true",
            "#, $SYS/x, false",
            "$SYS/#, #, false",
            "$SYS/#, $SYS/+, true",
    })
    void intersects(String a, String b, boolean expected) {
        assertEquals(expected, FilterOverlap.intersects(a, b));
        assertEquals(expected, FilterOverlap.intersects(b, a), "symmetric");
    }
}
