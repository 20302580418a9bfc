package io.gomq.launcher.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** {@code pub WORDS...}: one message, the words joined by spaces (as GoMQ); {@code pub -}: one message per stdin line. */
@Command(name = "pub", description = {"Publish a message: the words joined with spaces.",
        "'pub -' publishes each line of stdin as a message (empty lines are skipped).",
        "With --key the message goes through HTTP POST /pub (MQTT 3.1.1 has no key field).",
        "--user-property, --expiry, --response-topic and --content-type need --protocol 5."})
final class PubCommand implements Callable<Integer> {
    @ParentCommand
    GomqCtl ctl;
    @Mixin
    HelpOption help;
    @Spec
    CommandSpec spec;
    @Parameters(arity = "1..*", paramLabel = "WORDS", description = "message words, or - for stdin lines")
    List<String> words;
    @Option(names = "--user-property", paramLabel = "KEY=VALUE", description = "MQTT 5 user property; repeatable")
    List<String> userProperties;
    @Option(names = "--expiry", paramLabel = "SECONDS", description = "MQTT 5 message expiry: undelivered after this long, the broker drops it")
    Long expirySeconds;
    @Option(names = "--response-topic", paramLabel = "T", description = "MQTT 5 response topic (request/response)")
    String responseTopic;
    @Option(names = "--content-type", paramLabel = "TYPE", description = "MQTT 5 content type, e.g. application/json")
    String contentType;

    @Override
    public Integer call() {
        String topic = ctl.topic();
        int qos = ctl.qos();
        boolean retain = ctl.retain();
        PublishProperties properties = properties();
        boolean fromStdin = words.size() == 1 && words.get(0).equals("-");
        if (ctl.key() != null) {
            if (!properties.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "--key publishes over HTTP, which takes no MQTT 5 properties");
            }
            HttpBrokerApi api = ctl.httpApi();
            forEachMessage(fromStdin, body -> api.publish(topic, body, qos, retain, ctl.key()));
            return ExitCode.OK;
        }
        if (!properties.isEmpty() && ctl.protocol() != MqttProtocol.V5) {
            throw new ParameterException(spec.commandLine(), "message properties need --protocol 5 (MQTT 3.1.1 has none)");
        }
        try (MqttLink link = ctl.mqtt().connect()) {
            forEachMessage(fromStdin, body -> link.publish(topic, MqttConnector.utf8(body), qos, retain, properties));
        }
        return ExitCode.OK;
    }

    private PublishProperties properties() {
        List<Map.Entry<String, String>> user = new ArrayList<>();
        try {
            for (String p : userProperties == null ? List.<String>of() : userProperties) {
                user.add(PublishProperties.parseUserProperty(p));
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (expirySeconds != null && (expirySeconds < 1 || expirySeconds > PublishProperties.MAX_EXPIRY_SECONDS)) {
            throw new ParameterException(spec.commandLine(), "--expiry must be 1.." + PublishProperties.MAX_EXPIRY_SECONDS + " seconds");
        }
        if (responseTopic != null && (responseTopic.isEmpty() || responseTopic.contains("+") || responseTopic.contains("#"))) {
            throw new ParameterException(spec.commandLine(), "--response-topic must be a topic name, without + or #");
        }
        return new PublishProperties(user, expirySeconds, responseTopic, contentType, null);
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
}
