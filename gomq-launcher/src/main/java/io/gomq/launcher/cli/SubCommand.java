package io.gomq.launcher.cli;

import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import picocli.CommandLine.Command;
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
        "--from replays stored messages (HTTP GET /messages) before going live."})
final class SubCommand implements Callable<Integer> {
    @ParentCommand
    GomqCtl ctl;
    @Spec
    CommandSpec spec;
    @Option(names = "--count", paramLabel = "N", description = "exit after N messages")
    Long count;
    @Option(names = "--from", paramLabel = "earliest|latest|OFFSET",
            description = "replay from the first stored message, skip stored ones (latest), or start at OFFSET")
    String from;

    /** A live delivery, or the end of the connection (cause != null). */
    private record Event(String topic, byte[] payload, Throwable cause) {
    }

    @Override
    public Integer call() throws InterruptedException {
        String topic = ctl.topic();
        int qos = ctl.qos();
        StartOffset start = parseFrom();
        if (count != null && count <= 0) {
            throw new ParameterException(spec.commandLine(), "--count must be > 0");
        }
        PrintWriter out = spec.commandLine().getOut();
        long[] remaining = {count == null ? Long.MAX_VALUE : count};
        BlockingQueue<Event> live = new LinkedBlockingQueue<>();
        MqttClient client = ctl.mqtt().connect();
        try {
            client.setCallback(new MqttCallback() {
                @Override
                public void connectionLost(Throwable cause) {
                    live.add(new Event(null, null, cause));
                }

                @Override
                public void messageArrived(String t, MqttMessage m) {
                    if (start == null || !m.isRetained()) {
                        live.add(new Event(t, m.getPayload(), null));
                    }
                }

                @Override
                public void deliveryComplete(IMqttDeliveryToken token) {
                }
            });
            subscribe(client, topic, qos);
            if (start != null && !start.latest()) {
                boolean more = MessageReplay.replay(ctl.httpApi(), topic, start.offset(),
                        m -> print(out, topic, m.body(), remaining));
                if (!more) {
                    return ExitCode.OK;
                }
            }
            while (true) {
                Event e = live.take();
                if (e.cause() != null) {
                    throw new CtlException(ExitCode.FAILED, "connection lost: " + e.cause().getMessage());
                }
                if (!print(out, e.topic(), new String(e.payload(), StandardCharsets.UTF_8), remaining)) {
                    return ExitCode.OK;
                }
            }
        } finally {
            MqttConnector.closeQuietly(client);
        }
    }

    /** @return false once --count messages have been printed */
    private static boolean print(PrintWriter out, String topic, String payload, long[] remaining) {
        out.println(topic + "\t" + payload);
        out.flush();
        return --remaining[0] > 0;
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

    private static void subscribe(MqttClient client, String topic, int qos) {
        try {
            client.subscribe(topic, qos);
        } catch (MqttException e) {
            throw new CtlException(ExitCode.FAILED, "subscribe to '" + topic + "' failed: " + e.getMessage(), e);
        }
    }
}
