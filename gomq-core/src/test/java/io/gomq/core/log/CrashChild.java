package io.gomq.core.log;

import io.gomq.core.topic.SubscriptionOptions;
import io.gomq.core.config.BrokerConfig;
import io.gomq.core.config.Durability;
import io.gomq.core.session.store.InflightState;
import io.gomq.core.session.store.SessionStore;
import io.gomq.core.message.Message;
import io.gomq.core.message.Qos;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Run in a child JVM by the kill -9 tests: appends (or updates sessions) as fast as it can and
 * prints "ACK ..." for every acknowledged operation until it is killed.
 */
public final class CrashChild {
    private CrashChild() {
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[1]);
        BrokerConfig config = BrokerConfig.defaults().dataDir(dir).durability(Durability.WRITE)
                .segmentBytes(256 * 1024).compactionIntervalMs(3_600_000).retentionMs(0);
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false);
        if (args[0].equals("log")) {
            MessageLog log = MessageLog.open(config);
            for (long i = 0; ; i++) {
                Message m = Message.builder("crash/" + (i % 50)).payload("seq-" + i).qos(Qos.AT_LEAST_ONCE)
                        .retain(i % 10 == 0).build();
                long offset = log.append(m);
                out.println("ACK " + offset + " " + i);
                if (i % 64 == 0) {
                    out.flush();
                }
            }
        } else {
            SessionStore store = SessionStore.open(config);
            store.subscribe("c1", "crash/#", SubscriptionOptions.of(Qos.AT_LEAST_ONCE));
            for (int i = 0; ; i++) {
                store.commitOffset("c1", i);
                store.putInflight("c2", 1 + i % 1000, i, InflightState.SENT);
                store.putInbound("c3", 1 + i % 100, Message.of("in/" + i, ("q2-" + i).getBytes(), Qos.EXACTLY_ONCE, false));
                if (i % 64 == 63) {
                    store.durable().join(); // acknowledged once written, as the broker's acks are
                    for (int a = i - 63; a <= i; a++) {
                        out.println("ACK " + a);
                    }
                    out.flush();
                }
            }
        }
    }
}
