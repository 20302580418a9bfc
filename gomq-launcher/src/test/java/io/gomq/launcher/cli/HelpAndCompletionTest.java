package io.gomq.launcher.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
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

    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = GomqCtl.run(args, Map.of(), new ByteArrayInputStream(new byte[0]), new PrintWriter(out, true),
                new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void everySubcommandAnswersHelpBothWays() {
        Map<String, CommandLine> subcommands = GomqCtl.commandLine(System.in, Map.of()).getSubcommands();
        assertTrue(subcommands.keySet().containsAll(java.util.List.of("pub", "sub", "list", "version", "hash-password",
                "completion", "help")), subcommands.keySet().toString());
        for (String name : subcommands.keySet()) {
            Result flag = run(name, "--help");
            assertEquals(0, flag.code(), name + " --help: " + flag.err());
            assertTrue(flag.out().contains("Usage: gomqctl " + name + " "), flag.out());
            assertEquals("", flag.err(), name);
            Result short_ = run(name, "-h");
            assertEquals(flag.out(), short_.out(), name + " -h");
            Result help = run("help", name);
            assertEquals(0, help.code(), "help " + name);
            assertEquals(flag.out(), help.out(), "help " + name);
        }
    }

    @Test
    void helpOfASubcommandNeedsNoneOfItsRequiredArguments() {
        assertEquals(0, run("hash-password", "--help").code());
        Result pub = run("pub", "--help");
        assertTrue(pub.out().contains("--user-property") && pub.out().contains("--protocol"), pub.out());
    }

    @Test
    void completionPrintsPicocliBashScript() {
        Result r = run("completion");
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
