package io.gomq.launcher.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code list}: the topic's stored messages over HTTP GET /messages, one {@code offset<TAB>key<TAB>body} line each. */
@Command(name = "list", description = "Show the topic's stored messages (HTTP GET /messages),"
        + " one 'offset<TAB>key<TAB>body' line each.")
final class ListCommand implements Callable<Integer> {
    @ParentCommand
    GomqCtl ctl;
    @Mixin
    HelpOption help;
    @Spec
    CommandSpec spec;
    @Option(names = "--from", paramLabel = "earliest|OFFSET", description = "first offset (default earliest)")
    String from;
    @Option(names = "--limit", paramLabel = "N", description = "show at most N messages")
    Long limit;

    @Override
    public Integer call() {
        String topic = ctl.topic();
        StartOffset start;
        try {
            start = from == null ? StartOffset.EARLIEST : StartOffset.parse(from);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (start.latest()) {
            return ExitCode.OK; // nothing is stored after the latest message
        }
        if (limit != null && limit <= 0) {
            throw new ParameterException(spec.commandLine(), "--limit must be > 0");
        }
        PrintWriter out = spec.commandLine().getOut();
        long[] remaining = {limit == null ? Long.MAX_VALUE : limit};
        MessageReplay.replay(ctl.httpApi(), topic, start.offset(), m -> {
            out.println(m.offset() + "\t" + (m.key() == null ? "" : m.key()) + "\t" + m.body());
            return --remaining[0] > 0;
        });
        out.flush();
        return ExitCode.OK;
    }
}
