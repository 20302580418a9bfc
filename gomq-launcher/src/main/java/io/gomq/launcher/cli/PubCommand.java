package io.gomq.launcher.cli;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** {@code pub WORDS...}: one message, the words joined by spaces (as GoMQ); {@code pub -}: one message per stdin line. */
@Command(name = "pub", description = {"Publish a message: the words joined with spaces.",
        "'pub -' publishes each line of stdin as a message (empty lines are skipped).",
        "With --key the message goes through HTTP POST /pub (MQTT 3.1.1 has no key field)."})
final class PubCommand implements Callable<Integer> {
    @ParentCommand
    GomqCtl ctl;
    @Parameters(arity = "1..*", paramLabel = "WORDS", description = "message words, or - for stdin lines")
    List<String> words;

    @Override
    public Integer call() {
        String topic = ctl.topic();
        int qos = ctl.qos();
        boolean retain = ctl.retain();
        boolean fromStdin = words.size() == 1 && words.get(0).equals("-");
        if (ctl.key() != null) {
            HttpBrokerApi api = ctl.httpApi();
            forEachMessage(fromStdin, body -> api.publish(topic, body, qos, retain, ctl.key()));
            return ExitCode.OK;
        }
        MqttClient client = ctl.mqtt().connect();
        try {
            forEachMessage(fromStdin, body -> publish(client, topic, body, qos, retain));
        } finally {
            MqttConnector.closeQuietly(client);
        }
        return ExitCode.OK;
    }

    private void forEachMessage(boolean fromStdin, Consumer<String> publish) {
        if (!fromStdin) {
            publish.accept(String.join(" ", words));
            return;
        }
        BufferedReader reader = new BufferedReader(new InputStreamReader(ctl.in, StandardCharsets.UTF_8));
        try (Stream<String> lines = reader.lines()) {
            lines.filter(line -> !line.isEmpty()).forEach(publish);
        } catch (UncheckedIOException e) {
            throw new CtlException(ExitCode.FAILED, "reading stdin: " + e.getCause().getMessage());
        }
    }

    private static void publish(MqttClient client, String topic, String body, int qos, boolean retain) {
        try {
            client.publish(topic, MqttConnector.utf8(body), qos, retain);
        } catch (MqttException e) {
            throw new CtlException(ExitCode.FAILED, "publish to '" + topic + "' failed: " + e.getMessage(), e);
        }
    }
}
