package io.gomq.launcher.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * {@code sub}: prints {@code topic<TAB>payload} per message. With --from, first replays the
 * topic's stored messages over HTTP, then continues live over MQTT.
 * Design note: the live subscription is made before the replay and buffered, so nothing
 * published during the replay is lost; a message published in that window may print twice
 * (MQTT deliveries carry no offset to de-duplicate by). Retained deliveries are skipped with
 * --from because the replay already holds them.
 */
@Command(name = "sub", description = {"Subscribe and print 'topic<TAB>payload' lines.",
        "--from replays stored messages (HTTP GET /messages) before going live.",
        "-v adds a message's MQTT 5 properties as TAB-separated name=value fields",
        "(content-type, response-topic, correlation-data, expiry, user-property=KEY=VALUE)."})
final class SubCommand implements Callable<Integer> {
    @ParentCommand
    GomqCtl ctl;
    @Mixin
    HelpOption help;
    @Spec
    CommandSpec spec;
    @Option(names = "--count", paramLabel = "N", description = "exit after N messages")
    Long count;
    @Option(names = "--from", paramLabel = "earliest|latest|OFFSET",
            description = "replay from the first stored message, skip stored ones (latest), or start at OFFSET")
    String from;
    @Option(names = "--share", paramLabel = "GROUP",
            description = "shared subscription ($share/GROUP/TOPIC): the group's subscribers take turns")
    String share;
    @Option(names = {"-v", "--verbose"}, description = "also print each message's MQTT 5 properties")
    boolean verbose;

    /** A live delivery, or the end of the connection (cause != null). */
    private record Event(MqttLink.Received message, Throwable cause) {
    }

    @Override
    public Integer call() throws InterruptedException {
        String topic = ctl.topic();
        int qos = ctl.qos();
        StartOffset start = parseFrom();
        if (count != null && count <= 0) {
            throw new ParameterException(spec.commandLine(), "--count must be > 0");
        }
        String filter = sharedFilter(topic);
        PrintWriter out = spec.commandLine().getOut();
        long[] remaining = {count == null ? Long.MAX_VALUE : count};
        BlockingQueue<Event> live = new LinkedBlockingQueue<>();
        try (MqttLink link = ctl.mqtt().connect()) {
            link.subscribe(filter, qos, new MqttLink.Listener() {
                @Override
                public void message(MqttLink.Received m) {
                    if (start == null || !m.retained()) {
                        live.add(new Event(m, null));
                    } else {
                        m.ack().run(); // a retained copy of what the replay prints
                    }
                }

                @Override
                public void lost(Throwable cause) {
                    live.add(new Event(null, cause));
                }
            });
            if (start != null && !start.latest()) {
                boolean more = MessageReplay.replay(ctl.httpApi(), topic, start.offset(),
                        m -> print(out, topic + "\t" + m.body(), remaining));
                if (!more) {
                    return ExitCode.OK;
                }
            }
            while (true) {
                Event e = live.take();
                if (e.cause() != null) {
                    throw new CtlException(ExitCode.FAILED, "connection lost: " + e.cause().getMessage());
                }
                boolean more = print(out, line(e.message()), remaining);
                e.message().ack().run(); // printed: before the exit's DISCONNECT, never for one left unprinted
                if (!more) {
                    return ExitCode.OK;
                }
            }
        }
    }

    private String line(MqttLink.Received m) {
        String line = m.topic() + "\t" + new String(m.payload(), StandardCharsets.UTF_8);
        return verbose && !m.properties().isEmpty() ? line + "\t" + String.join("\t", m.properties().describe()) : line;
    }

    /** @return false once --count messages have been printed */
    private static boolean print(PrintWriter out, String line, long[] remaining) {
        out.println(line);
        out.flush();
        return --remaining[0] > 0;
    }

    /** The filter to subscribe to: {@code $share/GROUP/TOPIC} with --share (MQTT 5 section 4.8.2; brokers take it over 3.1.1 too). */
    private String sharedFilter(String topic) {
        if (share == null) {
            return topic;
        }
        if (share.isEmpty() || share.contains("/") || share.contains("+") || share.contains("#")) {
            throw new ParameterException(spec.commandLine(), "--share GROUP must be non-empty, without /, + or #");
        }
        return "$share/" + share + "/" + topic;
    }

    private StartOffset parseFrom() {
        if (from == null) {
            return null;
        }
        try {
            return StartOffset.parse(from);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
