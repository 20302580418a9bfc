package io.gomq.core.codec;

import io.gomq.core.message.MessageProperties.UserProperty;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The MQTT 5 properties of a packet other than the message-level ones (those are
 * {@link io.gomq.core.message.MessageProperties} on PUBLISH and the will). Immutable; an absent
 * property reads as -1 (numbers and 0/1 flags), null (strings, binary) or an empty list (user
 * properties). Which of them a packet may carry is {@link PropertyId#allowedOn}; the decoder
 * enforces it and the encoder refuses a packet that breaks it.
 */
public final class PacketProperties {
    /** No property: what every MQTT 3.1.1 packet has. */
    public static final PacketProperties NONE = new Builder().buildNew();
    /** {@code PropertyId.values()} once: records check their properties on every construction. */
    private static final PropertyId[] IDS = PropertyId.values();

    private final long sessionExpiryInterval;
    private final int receiveMaximum;
    private final long maximumPacketSize;
    private final int topicAliasMaximum;
    private final int requestResponseInformation;
    private final int requestProblemInformation;
    private final String authenticationMethod;
    private final byte[] authenticationData;
    private final String assignedClientIdentifier;
    private final int serverKeepAlive;
    private final String responseInformation;
    private final String serverReference;
    private final String reasonString;
    private final int maximumQos;
    private final int retainAvailable;
    private final int wildcardSubscriptionAvailable;
    private final int subscriptionIdentifierAvailable;
    private final int sharedSubscriptionAvailable;
    private final int subscriptionIdentifier;
    private final List<UserProperty> userProperties;

    private PacketProperties(Builder b) {
        sessionExpiryInterval = b.sessionExpiryInterval;
        receiveMaximum = b.receiveMaximum;
        maximumPacketSize = b.maximumPacketSize;
        topicAliasMaximum = b.topicAliasMaximum;
        requestResponseInformation = b.requestResponseInformation;
        requestProblemInformation = b.requestProblemInformation;
        authenticationMethod = b.authenticationMethod;
        authenticationData = b.authenticationData;
        assignedClientIdentifier = b.assignedClientIdentifier;
        serverKeepAlive = b.serverKeepAlive;
        responseInformation = b.responseInformation;
        serverReference = b.serverReference;
        reasonString = b.reasonString;
        maximumQos = b.maximumQos;
        retainAvailable = b.retainAvailable;
        wildcardSubscriptionAvailable = b.wildcardSubscriptionAvailable;
        subscriptionIdentifierAvailable = b.subscriptionIdentifierAvailable;
        sharedSubscriptionAvailable = b.sharedSubscriptionAvailable;
        subscriptionIdentifier = b.subscriptionIdentifier;
        userProperties = List.copyOf(b.userProperties);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Seconds, 0..4294967295, or -1. */
    public long sessionExpiryInterval() { return sessionExpiryInterval; }
    /** 1..65535, or -1. */
    public int receiveMaximum() { return receiveMaximum; }
    /** Bytes, 1..4294967295, or -1. */
    public long maximumPacketSize() { return maximumPacketSize; }
    public int topicAliasMaximum() { return topicAliasMaximum; }
    /** 0 or 1, or -1. */
    public int requestResponseInformation() { return requestResponseInformation; }
    /** 0 or 1, or -1. */
    public int requestProblemInformation() { return requestProblemInformation; }
    public String authenticationMethod() { return authenticationMethod; }
    /** A copy of the Authentication Data, or null. */
    public byte[] authenticationData() { return authenticationData == null ? null : authenticationData.clone(); }
    public String assignedClientIdentifier() { return assignedClientIdentifier; }
    public int serverKeepAlive() { return serverKeepAlive; }
    public String responseInformation() { return responseInformation; }
    public String serverReference() { return serverReference; }
    public String reasonString() { return reasonString; }
    /** 0 or 1, or -1 (absent means QoS 2 is supported). */
    public int maximumQos() { return maximumQos; }
    public int retainAvailable() { return retainAvailable; }
    public int wildcardSubscriptionAvailable() { return wildcardSubscriptionAvailable; }
    public int subscriptionIdentifierAvailable() { return subscriptionIdentifierAvailable; }
    public int sharedSubscriptionAvailable() { return sharedSubscriptionAvailable; }
    /** SUBSCRIBE's Subscription Identifier, 1..268435455, or -1. */
    public int subscriptionIdentifier() { return subscriptionIdentifier; }
    /** In the sender's order; names may repeat. */
    public List<UserProperty> userProperties() { return userProperties; }

    byte[] authenticationDataUnsafe() { return authenticationData; }

    public boolean isEmpty() {
        return this == NONE || equals(NONE);
    }

    /** Whether the property {@code id} is present (User Property: at least one). */
    public boolean has(PropertyId id) {
        return switch (id) {
            case SESSION_EXPIRY_INTERVAL -> sessionExpiryInterval >= 0;
            case RECEIVE_MAXIMUM -> receiveMaximum >= 0;
            case MAXIMUM_PACKET_SIZE -> maximumPacketSize >= 0;
            case TOPIC_ALIAS_MAXIMUM -> topicAliasMaximum >= 0;
            case REQUEST_RESPONSE_INFORMATION -> requestResponseInformation >= 0;
            case REQUEST_PROBLEM_INFORMATION -> requestProblemInformation >= 0;
            case AUTHENTICATION_METHOD -> authenticationMethod != null;
            case AUTHENTICATION_DATA -> authenticationData != null;
            case ASSIGNED_CLIENT_IDENTIFIER -> assignedClientIdentifier != null;
            case SERVER_KEEP_ALIVE -> serverKeepAlive >= 0;
            case RESPONSE_INFORMATION -> responseInformation != null;
            case SERVER_REFERENCE -> serverReference != null;
            case REASON_STRING -> reasonString != null;
            case MAXIMUM_QOS -> maximumQos >= 0;
            case RETAIN_AVAILABLE -> retainAvailable >= 0;
            case WILDCARD_SUBSCRIPTION_AVAILABLE -> wildcardSubscriptionAvailable >= 0;
            case SUBSCRIPTION_IDENTIFIER_AVAILABLE -> subscriptionIdentifierAvailable >= 0;
            case SHARED_SUBSCRIPTION_AVAILABLE -> sharedSubscriptionAvailable >= 0;
            case SUBSCRIPTION_IDENTIFIER -> subscriptionIdentifier >= 0;
            case USER_PROPERTY -> !userProperties.isEmpty();
            default -> false; // message-level properties live in MessageProperties
        };
    }

    /** The first property present that {@code packet} may not carry, or null. */
    PropertyId firstNotAllowedOn(PacketType packet) {
        if (this == NONE) {
            return null; // the common case on every acknowledgement: no scan
        }
        for (PropertyId id : IDS) {
            if (!id.allowedOn(packet) && has(id)) {
                return id;
            }
        }
        return null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PacketProperties p && sessionExpiryInterval == p.sessionExpiryInterval
                && receiveMaximum == p.receiveMaximum && maximumPacketSize == p.maximumPacketSize
                && topicAliasMaximum == p.topicAliasMaximum && requestResponseInformation == p.requestResponseInformation
                && requestProblemInformation == p.requestProblemInformation && serverKeepAlive == p.serverKeepAlive
                && maximumQos == p.maximumQos && retainAvailable == p.retainAvailable
                && wildcardSubscriptionAvailable == p.wildcardSubscriptionAvailable
                && subscriptionIdentifierAvailable == p.subscriptionIdentifierAvailable
                && sharedSubscriptionAvailable == p.sharedSubscriptionAvailable
                && subscriptionIdentifier == p.subscriptionIdentifier
                && Objects.equals(authenticationMethod, p.authenticationMethod)
                && Arrays.equals(authenticationData, p.authenticationData)
                && Objects.equals(assignedClientIdentifier, p.assignedClientIdentifier)
                && Objects.equals(responseInformation, p.responseInformation)
                && Objects.equals(serverReference, p.serverReference) && Objects.equals(reasonString, p.reasonString)
                && userProperties.equals(p.userProperties);
    }

    @Override
    public int hashCode() {
        return Objects.hash(sessionExpiryInterval, receiveMaximum, maximumPacketSize, topicAliasMaximum, serverKeepAlive,
                subscriptionIdentifier, authenticationMethod, reasonString, userProperties) * 31 + Arrays.hashCode(authenticationData);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("{");
        for (PropertyId id : IDS) {
            if (has(id)) {
                b.append(id.name().toLowerCase()).append(' ');
            }
        }
        if (reasonString != null) {
            b.append("reason='").append(reasonString).append("' ");
        }
        return b.toString().trim() + '}';
    }

    /**
     * Builds properties, checking each value's range (IllegalArgumentException);
     * {@link #build()} returns {@link #NONE} when nothing was set.
     */
    public static final class Builder {
        private long sessionExpiryInterval = -1;
        private int receiveMaximum = -1;
        private long maximumPacketSize = -1;
        private int topicAliasMaximum = -1;
        private int requestResponseInformation = -1;
        private int requestProblemInformation = -1;
        private String authenticationMethod;
        private byte[] authenticationData;
        private String assignedClientIdentifier;
        private int serverKeepAlive = -1;
        private String responseInformation;
        private String serverReference;
        private String reasonString;
        private int maximumQos = -1;
        private int retainAvailable = -1;
        private int wildcardSubscriptionAvailable = -1;
        private int subscriptionIdentifierAvailable = -1;
        private int sharedSubscriptionAvailable = -1;
        private int subscriptionIdentifier = -1;
        private final List<UserProperty> userProperties = new ArrayList<>(0);

        private Builder() {
        }

        public Builder sessionExpiryInterval(long s) { sessionExpiryInterval = range(s, 0, 0xFFFF_FFFFL, "session expiry"); return this; }
        public Builder receiveMaximum(int n) { receiveMaximum = (int) range(n, 1, 0xFFFF, "receive maximum"); return this; }
        public Builder maximumPacketSize(long n) { maximumPacketSize = range(n, 1, 0xFFFF_FFFFL, "maximum packet size"); return this; }
        public Builder topicAliasMaximum(int n) { topicAliasMaximum = (int) range(n, 0, 0xFFFF, "topic alias maximum"); return this; }
        public Builder requestResponseInformation(int f) { requestResponseInformation = flag(f); return this; }
        public Builder requestProblemInformation(int f) { requestProblemInformation = flag(f); return this; }
        public Builder authenticationMethod(String m) { authenticationMethod = m; return this; }
        public Builder authenticationData(byte[] d) { authenticationData = d == null ? null : d.clone(); return this; }
        public Builder assignedClientIdentifier(String id) { assignedClientIdentifier = id; return this; }
        public Builder serverKeepAlive(int s) { serverKeepAlive = (int) range(s, 0, 0xFFFF, "server keep alive"); return this; }
        public Builder responseInformation(String s) { responseInformation = s; return this; }
        public Builder serverReference(String s) { serverReference = s; return this; }
        public Builder reasonString(String s) { reasonString = s; return this; }
        public Builder maximumQos(int q) { maximumQos = flag(q); return this; }
        public Builder retainAvailable(int f) { retainAvailable = flag(f); return this; }
        public Builder wildcardSubscriptionAvailable(int f) { wildcardSubscriptionAvailable = flag(f); return this; }
        public Builder subscriptionIdentifierAvailable(int f) { subscriptionIdentifierAvailable = flag(f); return this; }
        public Builder sharedSubscriptionAvailable(int f) { sharedSubscriptionAvailable = flag(f); return this; }

        public Builder subscriptionIdentifier(int id) {
            subscriptionIdentifier = (int) range(id, 1, MqttDecoder.MAX_REMAINING_LENGTH, "subscription identifier");
            return this;
        }

        public Builder userProperty(String name, String value) {
            userProperties.add(new UserProperty(name, value));
            return this;
        }

        public Builder userProperties(List<UserProperty> props) {
            userProperties.addAll(props);
            return this;
        }

        /** Takes {@code data} without a copy (the decoder's fresh array). */
        Builder authenticationDataOwned(byte[] d) { authenticationData = d; return this; }

        public PacketProperties build() {
            PacketProperties p = buildNew();
            return NONE != null && p.equals(NONE) ? NONE : p;
        }

        private PacketProperties buildNew() {
            return new PacketProperties(this);
        }

        private static long range(long v, long min, long max, String what) {
            if (v < min || v > max) {
                throw new IllegalArgumentException(what + " must be " + min + ".." + max + ", was " + v);
            }
            return v;
        }

        private static int flag(int v) {
            return (int) range(v, 0, 1, "a 0/1 property");
        }
    }
}
