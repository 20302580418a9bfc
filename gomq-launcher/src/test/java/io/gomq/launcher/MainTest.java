package io.gomq.launcher;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MainTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(Map<String, String> env, String... args) {
        return Main.run(args, env, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void helpListsFlagsAndKeysWithoutFlags() {
        assertEquals(0, run(Map.of(), "--help"));
        assertTrue(out.toString().contains("--data-dir"), out.toString());
        assertTrue(out.toString().contains("segment-bytes"), out.toString());
    }

    @Test
    void badSettingExitsWithTwoAndNamesTheKey() {
        assertEquals(2, run(Map.of("GOMQ_PORT", "x")));
        assertTrue(err.toString().contains("GOMQ_PORT"), err.toString());
    }

    @Test
    void unknownFlagExitsWithTwo() {
        assertEquals(2, run(Map.of(), "--nope"));
        assertTrue(err.toString().contains("--nope"), err.toString());
    }

    @Test
    void validConfigurationIsPrinted() {
        assertEquals(0, run(Map.of(), "--port", "0"));
        assertTrue(out.toString().contains("port=0"), out.toString());
    }
}
