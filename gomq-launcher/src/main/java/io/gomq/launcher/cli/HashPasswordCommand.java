package io.gomq.launcher.cli;

import io.gomq.launcher.auth.PasswordHasher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;

/**
 * {@code hash-password NAME}: prints a {@code name:hash} line for the broker's --users file.
 * The password comes from --password, else the terminal (asked twice), else one stdin line.
 */
@Command(name = "hash-password", description = {"Print a users-file line 'NAME:HASH' (PBKDF2-HMAC-SHA256) for gomq --users.",
        "The password: --password, else asked on the terminal, else the first line of stdin."})
final class HashPasswordCommand implements Callable<Integer> {
    @ParentCommand
    GomqCtl ctl;
    @Mixin
    HelpOption help;
    @Spec
    CommandSpec spec;
    @Parameters(index = "0", paramLabel = "NAME", description = "user name (no ':')")
    String name;
    @Option(names = "--iterations", paramLabel = "N", description = "PBKDF2 iterations (default ${DEFAULT-VALUE})")
    int iterations = PasswordHasher.DEFAULT_ITERATIONS;

    @Override
    public Integer call() {
        if (name.isBlank() || name.contains(":") || !name.equals(name.strip())) {
            throw new ParameterException(spec.commandLine(), "NAME must be non-empty, without ':' or surrounding spaces");
        }
        PasswordHasher hasher;
        try {
            hasher = new PasswordHasher(iterations);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--iterations: " + e.getMessage());
        }
        char[] password = readPassword();
        try {
            if (password.length == 0) {
                throw new CtlException(ExitCode.USAGE, "empty password");
            }
            spec.commandLine().getOut().println(name + ":" + hasher.hash(password));
        } finally {
            Arrays.fill(password, '\0');
        }
        return ExitCode.OK;
    }

    private char[] readPassword() {
        if (ctl.password() != null) {
            return ctl.password().clone();
        }
        Console console = System.console();
        if (console != null && ctl.in == System.in) {
            char[] first = console.readPassword("password for %s: ", name);
            char[] again = console.readPassword("again: ");
            if (first == null || !Arrays.equals(first, again)) {
                throw new CtlException(ExitCode.USAGE, "passwords differ");
            }
            return first;
        }
        try {
            String line = new BufferedReader(new InputStreamReader(ctl.in, StandardCharsets.UTF_8)).readLine();
            return line == null ? new char[0] : line.toCharArray();
        } catch (IOException e) {
            throw new CtlException(ExitCode.FAILED, "reading stdin: " + e.getMessage());
        }
    }
}
