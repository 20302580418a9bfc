package io.gomq.core.session.store;

import io.gomq.core.topic.SubscriptionOptions;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * How the session store and the replicated session state keep one subscription's options: the
 * MQTT 5 options byte (QoS in bits 0-1, so a plain QoS byte written before MQTT 5 reads back
 * the same), bit 6 set when a four-byte Subscription Identifier follows.
 */
public final class StoredSubscription {
    private static final int HAS_ID = 0x40;

    private StoredSubscription() {
    }

    public static void write(DataOutputStream out, SubscriptionOptions o) throws IOException {
        out.writeByte(o.optionsByte() | (o.subscriptionId() != 0 ? HAS_ID : 0));
        if (o.subscriptionId() != 0) {
            out.writeInt(o.subscriptionId());
        }
    }

    public static SubscriptionOptions read(ByteBuffer in) {
        int b = in.get() & 0xFF;
        int id = (b & HAS_ID) != 0 ? in.getInt() : 0;
        return SubscriptionOptions.fromOptionsByte(b & 0x3F, id);
    }
}
