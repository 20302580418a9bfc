package io.gomq.launcher.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code completion [bash]}: prints the bash completion script picocli generates from the command tree. */
@Command(name = "completion", description = {"Print the bash completion script (zsh: after 'autoload -U bashcompinit; bashcompinit').",
        "  source <(gomqctl completion bash)"})
final class CompletionCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;
    @Spec
    CommandSpec spec;
    @Parameters(arity = "0..1", paramLabel = "SHELL", description = "bash (the default; the only one)")
    String shell = "bash";

    @Override
    public Integer call() {
        if (!shell.equals("bash")) {
            throw new ParameterException(spec.commandLine(), "completion: only bash is supported, not '" + shell + "'");
        }
        spec.commandLine().getOut().print(AutoComplete.bash(spec.root().name(), spec.root().commandLine()));
        spec.commandLine().getOut().flush();
        return ExitCode.OK;
    }
}
