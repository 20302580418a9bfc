package io.gomq.launcher.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code gomqctl CMD --help}, {@code gomqctl help CMD} and the bash completion script. */
@Timeout(30)
class HelpAndCompletionTest {
    @TempDir
    Path dir;

    private static CtlRun run(String... args) {
        return CtlRun.of(Map.of(), args);
    }

    @Test
    void everySubcommandAnswersHelpBothWays() {
        Map<String, CommandLine> subcommands = GomqCtl.commandLine(System.in, Map.of()).getSubcommands();
        assertTrue(subcommands.keySet().containsAll(java.util.List.of("pub", "sub", "list", "version", "hash-password",
                "completion", "help")), subcommands.keySet().toString());
        for (String name : subcommands.keySet()) {
            CtlRun flag = run(name, "--help");
            assertEquals(0, flag.code(), name + " --help: " + flag.err());
            assertTrue(flag.out().contains("Usage: gomqctl " + name + " "), flag.out());
            assertEquals("", flag.err(), name);
            CtlRun short_ = run(name, "-h");
            assertEquals(flag.out(), short_.out(), name + " -h");
            CtlRun help = run("help", name);
            assertEquals(0, help.code(), "help " + name);
            assertEquals(flag.out(), help.out(), "help " + name);
        }
    }

    @Test
    void helpOfASubcommandNeedsNoneOfItsRequiredArguments() {
        assertEquals(0, run("hash-password", "--help").code());
        CtlRun pub = run("pub", "--help");
        assertTrue(pub.out().contains("--user-property") && pub.out().contains("--protocol"), pub.out());
    }

    @Test
    void completionPrintsPicocliBashScript() {
        CtlRun r = run("completion");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("complete -F _complete_gomqctl") && r.out().contains("hash-password"), r.out());
        assertEquals(r.out(), run("completion", "bash").out());
        assertEquals(ExitCode.USAGE, run("completion", "fish").code());
    }

    @Test
    void completionScriptCompletesCommandsAndOptionsInBash() throws IOException, InterruptedException {
        Path script = dir.resolve("gomqctl.bash");
        Files.writeString(script, run("completion").out());
        assertEquals("list", complete(script, "gomqctl", "li"));
        assertEquals("--share", complete(script, "gomqctl", "sub", "--sh"));
    }

    /** What bash completes the last word to, with the script sourced. */
    private static String complete(Path script, String... words) throws IOException, InterruptedException {
        String line = String.join(" ", words);
        String cmd = "source '" + script + "'; COMP_WORDS=(" + line + "); COMP_CWORD=" + (words.length - 1)
                + "; COMP_LINE='" + line + "'; COMP_POINT=${#COMP_LINE}; _complete_gomqctl; echo \"${COMPREPLY[*]}\"";
        // stderr: compopt complains outside a real completion; only COMPREPLY matters
        Process p = new ProcessBuilder("bash", "-c", cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertTrue(p.waitFor(10, TimeUnit.SECONDS));
            return out;
        } finally {
            p.destroyForcibly();
        }
    }
}
