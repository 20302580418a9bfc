package io.gomq.core.codec;

import io.gomq.core.message.MessageProperties;
import io.gomq.core.message.Qos;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Random but valid MQTT 5 packets, for round-trip fuzzing: each field and property present or not at random. */
final class RandomPackets5 {
    private static final String[] WORDS = {"a", "b/c", "\u00e9t\u00e9", "\uD83D\uDE00", "x/y/z", "long-" + "w".repeat(300), ""};
    private final Random random;

    RandomPackets5(Random random) {
        this.random = random;
    }

    MqttPacket next() {
        PacketType type = PacketType.values()[random.nextInt(PacketType.values().length)];
        return switch (type) {
            case CONNECT -> Connect.mqtt5(random.nextBoolean(), random.nextInt(65_536), word(),
                    random.nextBoolean() ? null : new Connect.Will(topic(), bytes(), qos(), random.nextBoolean(), message(),
                            random.nextBoolean() ? 0 : random.nextLong(0xFFFF_FFFFL + 1)),
                    random.nextBoolean() ? word() : null, random.nextBoolean() ? bytes() : null, properties(type));
            case CONNACK -> {
                ReasonCode reason = reason(type);
                yield ConnAck.v5(!reason.isError() && random.nextBoolean(), reason, properties(type));
            }
            case PUBLISH -> {
                Qos qos = qos();
                int alias = random.nextInt(3) == 0 ? 0 : 1 + random.nextInt(65_535);
                String topic = alias != 0 && random.nextBoolean() ? "" : topic();
                int[] ids = new int[random.nextInt(3)];
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = 1 + random.nextInt(MqttDecoder.MAX_REMAINING_LENGTH);
                }
                yield new Publish(qos != Qos.AT_MOST_ONCE && random.nextBoolean(), qos, random.nextBoolean(), topic,
                        qos == Qos.AT_MOST_ONCE ? 0 : id(), bytes(), message(), alias, ids);
            }
            case PUBACK -> new PubAck(id(), reason(type), properties(type));
            case PUBREC -> new PubRec(id(), reason(type), properties(type));
            case PUBREL -> new PubRel(id(), reason(type), properties(type));
            case PUBCOMP -> new PubComp(id(), reason(type), properties(type));
            case SUBSCRIBE -> {
                List<Subscribe.Subscription> subs = new ArrayList<>();
                for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
                    subs.add(new Subscribe.Subscription(word(), qos(), random.nextBoolean(), random.nextBoolean(), random.nextInt(3)));
                }
                yield new Subscribe(id(), subs, properties(type));
            }
            case SUBACK -> SubAck.v5(id(), reasons(type), properties(type));
            case UNSUBSCRIBE -> new Unsubscribe(id(), List.of(word(), word()), properties(type));
            case UNSUBACK -> new UnsubAck(id(), reasons(type), properties(type));
            case PINGREQ -> PingReq.INSTANCE;
            case PINGRESP -> PingResp.INSTANCE;
            case DISCONNECT -> new Disconnect(reason(type), properties(type));
            case AUTH -> new Auth(reason(type), properties(type));
        };
    }

    private PacketProperties properties(PacketType type) {
        PacketProperties.Builder b = PacketProperties.builder();
        for (PropertyId id : PropertyId.values()) {
            if (!id.allowedOn(type) || random.nextInt(3) != 0 || id == PropertyId.SUBSCRIPTION_IDENTIFIER && type != PacketType.SUBSCRIBE) {
                continue;
            }
            switch (id) {
                case SESSION_EXPIRY_INTERVAL -> b.sessionExpiryInterval(random.nextLong(0xFFFF_FFFFL + 1));
                case RECEIVE_MAXIMUM -> b.receiveMaximum(1 + random.nextInt(65_535));
                case MAXIMUM_PACKET_SIZE -> b.maximumPacketSize(1 + random.nextLong(0xFFFF_FFFFL));
                case TOPIC_ALIAS_MAXIMUM -> b.topicAliasMaximum(random.nextInt(65_536));
                case REQUEST_RESPONSE_INFORMATION -> b.requestResponseInformation(random.nextInt(2));
                case REQUEST_PROBLEM_INFORMATION -> b.requestProblemInformation(random.nextInt(2));
                case AUTHENTICATION_METHOD -> b.authenticationMethod(word());
                case AUTHENTICATION_DATA -> b.authenticationMethod("m").authenticationData(bytes());
                case ASSIGNED_CLIENT_IDENTIFIER -> b.assignedClientIdentifier(word());
                case SERVER_KEEP_ALIVE -> b.serverKeepAlive(random.nextInt(65_536));
                case RESPONSE_INFORMATION -> b.responseInformation(word());
                case SERVER_REFERENCE -> b.serverReference(word());
                case REASON_STRING -> b.reasonString(word());
                case MAXIMUM_QOS -> b.maximumQos(random.nextInt(2));
                case RETAIN_AVAILABLE -> b.retainAvailable(random.nextInt(2));
                case WILDCARD_SUBSCRIPTION_AVAILABLE -> b.wildcardSubscriptionAvailable(random.nextInt(2));
                case SUBSCRIPTION_IDENTIFIER_AVAILABLE -> b.subscriptionIdentifierAvailable(random.nextInt(2));
                case SHARED_SUBSCRIPTION_AVAILABLE -> b.sharedSubscriptionAvailable(random.nextInt(2));
                case SUBSCRIPTION_IDENTIFIER -> b.subscriptionIdentifier(1 + random.nextInt(MqttDecoder.MAX_REMAINING_LENGTH));
                case USER_PROPERTY -> b.userProperty(word(), word()).userProperty(word(), word());
                default -> { }
            }
        }
        return b.build();
    }

    private MessageProperties message() {
        MessageProperties.Builder b = MessageProperties.builder();
        if (random.nextBoolean()) {
            b.payloadUtf8(random.nextBoolean());
        }
        if (random.nextBoolean()) {
            b.messageExpirySeconds(random.nextLong(0xFFFF_FFFFL + 1));
        }
        if (random.nextBoolean()) {
            b.contentType(word()).responseTopic(topic()).correlationData(bytes());
        }
        if (random.nextBoolean()) {
            b.userProperty(word(), word()).userProperty("dup", "1").userProperty("dup", "2");
        }
        return b.build();
    }

    private ReasonCode reason(PacketType type) {
        List<ReasonCode> valid = new ArrayList<>();
        for (ReasonCode c : ReasonCode.values()) {
            if (c.isValidOn(type)) {
                valid.add(c);
            }
        }
        return valid.get(random.nextInt(valid.size()));
    }

    private List<ReasonCode> reasons(PacketType type) {
        List<ReasonCode> codes = new ArrayList<>();
        for (int i = 0, n = 1 + random.nextInt(4); i < n; i++) {
            codes.add(reason(type));
        }
        return codes;
    }

    private String word() {
        return WORDS[random.nextInt(WORDS.length)];
    }

    private String topic() {
        String w = word();
        return w.isEmpty() ? "t" : w;
    }

    private byte[] bytes() {
        byte[] b = new byte[random.nextInt(20)];
        random.nextBytes(b);
        return b;
    }

    private Qos qos() {
        return Qos.of(random.nextInt(3));
    }

    private int id() {
        return 1 + random.nextInt(65_535);
    }
}
