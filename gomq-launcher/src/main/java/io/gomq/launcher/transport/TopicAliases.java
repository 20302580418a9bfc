package io.gomq.launcher.transport;

import java.util.HashMap;
import java.util.Map;

/**
 * One MQTT 5 connection's topic aliases, both ways (section 3.3.2.3.4). Inbound: the client
 * names a topic once with an alias, then sends the alias alone; at most the broker's Topic
 * Alias Maximum. Outbound: the broker gives a topic an alias the first time it sends it, while
 * the client's maximum allows, and later sends only the alias; a topic of one or two bytes is
 * not worth an alias. Both maps are bounded by their maximum. Event loop only.
 */
final class TopicAliases {
    /** Outbound aliases stop here whatever the client allows: each costs a map entry. */
    static final int OUTBOUND_CAP = 1024;

    private final int inboundMax;
    private final int outboundMax;
    private final Map<Integer, String> inbound = new HashMap<>();
    private final Map<String, Integer> outbound = new HashMap<>();

    TopicAliases(int inboundMax, int clientMax) {
        this.inboundMax = inboundMax;
        this.outboundMax = Math.min(clientMax, OUTBOUND_CAP);
    }

    /** Why an inbound alias is refused (DISCONNECT 0x94), or null. */
    String checkInbound(int alias) {
        return alias < 1 || alias > inboundMax
                ? "topic alias " + alias + " outside 1.." + inboundMax : null;
    }

    /**
     * The topic of a PUBLISH: {@code topic} itself, remembered under {@code alias} (0 = none),
     * or, for an empty topic, the one the alias stands for; null when an empty topic names an
     * alias that was never set (a protocol error).
     */
    String resolve(String topic, int alias) {
        if (alias == 0) {
            return topic;
        }
        if (topic.isEmpty()) {
            return inbound.get(alias);
        }
        inbound.put(alias, topic);
        return topic;
    }

    /** The alias to send {@code topic} with, or 0; {@link #known} tells whether the client has it already. */
    int outboundAlias(String topic) {
        Integer alias = outbound.get(topic);
        if (alias != null) {
            return alias;
        }
        if (outbound.size() >= outboundMax || topic.length() <= 2) {
            return 0;
        }
        int next = outbound.size() + 1;
        outbound.put(topic, -next); // negative: assigned, the client learns it with this PUBLISH
        return -next;
    }

    /** After the PUBLISH that carried topic and alias went out: later ones send the alias alone. */
    void sent(String topic, int alias) {
        if (alias < 0) {
            outbound.put(topic, -alias);
        }
    }
}
