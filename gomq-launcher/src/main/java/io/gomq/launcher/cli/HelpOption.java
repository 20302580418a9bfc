package io.gomq.launcher.cli;

import picocli.CommandLine.Option;

/** {@code -h/--help} for every subcommand ({@code gomqctl list --help}); the root has picocli's standard pair. */
final class HelpOption {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
    boolean help;
}
