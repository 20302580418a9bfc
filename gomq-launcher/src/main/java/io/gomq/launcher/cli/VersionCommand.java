package io.gomq.launcher.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code version}: gomqctl's version; with --server also the broker's (HTTP GET /version). */
@Command(name = "version", description = "Print gomqctl's version (--server: also the broker's, over HTTP).")
final class VersionCommand implements Callable<Integer> {
    @ParentCommand
    GomqCtl ctl;
    @Mixin
    HelpOption help;
    @Spec
    CommandSpec spec;
    @Option(names = "--server", description = "also ask the broker (HTTP GET /version)")
    boolean server;

    @Override
    public Integer call() {
        spec.commandLine().getOut().println("gomqctl " + GomqVersion.current());
        if (server) {
            spec.commandLine().getOut().println("server " + ctl.httpApi().version());
        }
        return ExitCode.OK;
    }
}
