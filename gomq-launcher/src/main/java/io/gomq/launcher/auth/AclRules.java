package io.gomq.launcher.auth;

import io.gomq.core.auth.Principal;
import io.gomq.core.topic.InvalidTopicException;
import io.gomq.core.topic.Topics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Topic rules in Mosquitto's {@code acl_file} syntax, read as they are:
 * <pre>
 * topic read public/#            # before any user line: applies to every client, anonymous ones too
 * pattern readwrite devices/%c/# # every client; %u = user name, %c = client id
 * user alice
 * topic readwrite alice/#        # alice only
 * topic deny alice/secret
 * client sensor-7                # extension: rules for one client id, whoever logs in with it
 * topic write telemetry/7
 * </pre>
 * {@code topic FILTER} without an access word means readwrite. Blank lines and {@code #}
 * comments are ignored; anything else is an error naming the line.
 *
 * <p>Immutable and thread-safe: a reload builds a new instance.
 */
public final class AclRules {
    private final String source;
    private final List<AclRule> everyone;
    private final List<AclRule> patterns;
    private final Map<String, List<AclRule>> byUser;
    private final Map<String, List<AclRule>> byClient;

    private AclRules(String source, List<AclRule> everyone, List<AclRule> patterns, Map<String, List<AclRule>> byUser,
                     Map<String, List<AclRule>> byClient) {
        this.source = source;
        this.everyone = List.copyOf(everyone);
        this.patterns = List.copyOf(patterns);
        this.byUser = Map.copyOf(byUser);
        this.byClient = Map.copyOf(byClient);
    }

    /** @throws AclException when the file cannot be read or has a bad line */
    public static AclRules load(Path file) {
        try {
            return parse(file.toString(), Files.readAllLines(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AclException(file.toString(), 0, "cannot read: " + e);
        }
    }

    /** @param source names the rules in error messages */
    public static AclRules parse(String source, List<String> lines) {
        List<AclRule> everyone = new ArrayList<>();
        List<AclRule> patterns = new ArrayList<>();
        Map<String, List<AclRule>> byUser = new HashMap<>();
        Map<String, List<AclRule>> byClient = new HashMap<>();
        List<AclRule> section = everyone;
        for (int i = 0; i < lines.size(); i++) {
            int lineNumber = i + 1;
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] words = line.split("\\s+", 2);
            String rest = words.length > 1 ? words[1].strip() : "";
            switch (words[0]) {
                case "user" -> section = byUser.computeIfAbsent(named(source, lineNumber, "user", rest), k -> new ArrayList<>());
                case "client" -> section = byClient.computeIfAbsent(named(source, lineNumber, "client", rest), k -> new ArrayList<>());
                case "topic" -> section.add(rule(source, lineNumber, rest));
                case "pattern" -> patterns.add(rule(source, lineNumber, rest));
                default -> throw new AclException(source, lineNumber, "expected user, client, topic or pattern, found '"
                        + words[0] + "'");
            }
        }
        return new AclRules(source, everyone, patterns, byUser, byClient);
    }

    private static String named(String source, int lineNumber, String what, String name) {
        if (name.isEmpty()) {
            throw new AclException(source, lineNumber, what + " without a name");
        }
        return name;
    }

    private static AclRule rule(String source, int lineNumber, String rest) {
        String[] words = rest.split("\\s+", 2);
        if (words.length == 1 && AclRule.parse(words[0], "") != null) {
            throw new AclException(source, lineNumber, "topic filter missing after '" + words[0] + "'");
        }
        AclRule rule = words.length == 2 ? AclRule.parse(words[0], words[1].strip()) : null;
        if (rule == null) {
            rule = new AclRule(rest, true, true, false); // no access word: readwrite, the whole rest is the filter
        }
        if (rule.filter().isEmpty()) {
            throw new AclException(source, lineNumber, "topic filter missing");
        }
        try {
            Topics.validateFilter(rule.filter());
        } catch (InvalidTopicException e) {
            throw new AclException(source, lineNumber, e.getMessage());
        }
        return rule;
    }

    /** The rules that apply to {@code p}, patterns substituted. */
    public AclPermissions permissionsOf(Principal p) {
        List<String> denies = new ArrayList<>();
        List<String> reads = new ArrayList<>();
        List<String> writes = new ArrayList<>();
        addAll(everyone, denies, reads, writes);
        if (p.username() != null) {
            addAll(byUser.getOrDefault(p.username(), List.of()), denies, reads, writes);
        }
        addAll(byClient.getOrDefault(p.clientId(), List.of()), denies, reads, writes);
        for (AclRule r : patterns) {
            AclRule s = PatternSubstitution.apply(r, p);
            if (s != null) {
                add(s, denies, reads, writes);
            }
        }
        return new AclPermissions(denies, reads, writes);
    }

    private static void addAll(List<AclRule> rules, List<String> denies, List<String> reads, List<String> writes) {
        for (AclRule r : rules) {
            add(r, denies, reads, writes);
        }
    }

    private static void add(AclRule r, List<String> denies, List<String> reads, List<String> writes) {
        if (r.deny()) {
            denies.add(r.filter());
        }
        if (r.read()) {
            reads.add(r.filter());
        }
        if (r.write()) {
            writes.add(r.filter());
        }
    }

    public String source() {
        return source;
    }

    /** Rule lines in all (for the log line after a load). */
    public int size() {
        int n = everyone.size() + patterns.size();
        for (List<AclRule> l : byUser.values()) {
            n += l.size();
        }
        for (List<AclRule> l : byClient.values()) {
            n += l.size();
        }
        return n;
    }

    @Override
    public String toString() {
        return "acl " + source + " (" + size() + " rules, " + byUser.size() + " users, " + byClient.size() + " clients)";
    }
}
