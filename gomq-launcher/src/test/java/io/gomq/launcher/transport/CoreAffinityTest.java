package io.gomq.launcher.transport;

import io.gomq.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Auto spin follows the cores the process may use: a JVM started under taskset spins, one with every core does not. */
@Timeout(60)
class CoreAffinityTest {
    @Test
    void countsTheCpusOfALinuxList() {
        assertEquals(1, CoreAffinity.count("0"));
        assertEquals(2, CoreAffinity.count("0-1\n"));
        assertEquals(7, CoreAffinity.count("0-3,8,10-11"));
    }

    @Test
    void aProcessPinnedToOneCoreSpinsAndOneOnEveryCoreDoesNot() throws Exception {
        assumeTrue(Runtime.getRuntime().availableProcessors() >= 2 && !CoreAffinity.confined(),
                "needs two cores and a test JVM that may use all of them");
        assertEquals(TransportOptions.IO_SPIN_MICROS + "", spinOfChild(List.of("taskset", "-c", "0")));
        assertEquals("0", spinOfChild(List.of()));
    }

    private static String spinOfChild(List<String> prefix) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(ChildJvm.command(PrintAutoSpin.class));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor(30, TimeUnit.SECONDS);
            return out;
        } finally {
            p.destroyForcibly();
        }
    }

    /** The child: prints the spin window the defaults give it. */
    public static final class PrintAutoSpin {
        public static void main(String[] args) {
            System.out.println(TransportOptions.defaults().effectiveIoSpinMicros());
        }
    }
}
