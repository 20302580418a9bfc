package io.gomq.core.engine;

import io.gomq.core.config.BrokerConfig;
import io.gomq.core.message.Message;
import io.gomq.core.message.Qos;
import io.gomq.core.session.RecordingOutput;
import io.gomq.core.session.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Shared subscriptions: each message to one member of the group; a leaving member's share goes to the others. */
@Timeout(10)
class SharedSubscriptionTest {
    private final BrokerEngine engine = new BrokerEngine(BrokerConfig.defaults().persistent(false).maxInflight(4));

    @AfterEach
    void close() {
        engine.close();
    }

    private static Message msg(String topic, String body) {
        return Message.builder(topic).payload(body).qos(Qos.AT_LEAST_ONCE).build();
    }

    private static List<String> bodies(RecordingOutput out) {
        return out.publishes().stream().map(p -> p.message().payloadAsString()).toList();
    }

    @Test
    void eachMessageGoesToExactlyOneMemberInTurn() {
        List<RecordingOutput> outs = new ArrayList<>();
        List<Session> members = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            RecordingOutput out = new RecordingOutput();
            Session s = engine.connect("m" + i, true, null, out).session();
            int[] codes = engine.subscribe(s, List.of("$share/g/jobs/+"), List.of(Qos.AT_LEAST_ONCE));
            assertEquals(1, codes[0]);
            outs.add(out);
            members.add(s);
        }
        RecordingOutput plain = new RecordingOutput();
        Session other = engine.connect("plain", true, null, plain).session();
        engine.subscribe(other, List.of("jobs/#"), List.of(Qos.AT_MOST_ONCE));
        for (int i = 0; i < 9; i++) {
            Publishing.stored(engine, msg("jobs/" + i, "j" + i));
        }
        members.forEach(s -> s.drain(100));
        other.drain(100);
        List<String> all = new ArrayList<>();
        for (RecordingOutput out : outs) {
            assertEquals(3, out.publishes().size(), "round robin over idle members");
            all.addAll(bodies(out));
        }
        assertEquals(9, all.stream().distinct().count(), "no message twice within the group");
        assertEquals(9, plain.publishes().size(), "an ordinary subscription still gets every message");
    }

    @Test
    void persistentMembersKeepTheirShareAcrossARestart(@TempDir Path dir) {
        BrokerConfig config = BrokerConfig.defaults().dataDir(dir);
        try (BrokerEngine durable = BrokerEngine.open(config)) {
            for (String id : List.of("w0", "w1")) {
                RecordingOutput out = new RecordingOutput();
                Session s = durable.connect(id, false, null, out).session();
                durable.subscribe(s, List.of("$share/workers/jobs/#"), List.of(Qos.AT_LEAST_ONCE));
                durable.disconnect(s, out, true);
            }
            for (int i = 0; i < 10; i++) {
                Publishing.stored(durable, msg("jobs/" + i, "j" + i)); // both offline: the group gives each to one of them
            }
        }
        try (BrokerEngine durable = BrokerEngine.open(config)) {
            List<String> all = new ArrayList<>();
            for (String id : List.of("w0", "w1")) {
                RecordingOutput out = new RecordingOutput();
                Session s = durable.connect(id, false, null, out).session();
                s.drain(100);
                assertTrue(out.publishes().size() >= 1, id + " gets its share");
                all.addAll(bodies(out));
            }
            assertEquals(10, all.size(), "every message once within the group: " + all);
            assertEquals(10, all.stream().distinct().count());
        }
    }

    @Test
    void aLeavingMemberHandsItsUnacknowledgedMessagesToTheOthers() {
        RecordingOutput leaverOut = new RecordingOutput();
        RecordingOutput stayerOut = new RecordingOutput();
        Session leaver = engine.connect("leaver", true, null, leaverOut).session();
        Session stayer = engine.connect("stayer", true, null, stayerOut).session();
        engine.subscribe(leaver, List.of("$share/g/t"), List.of(Qos.AT_LEAST_ONCE));
        engine.subscribe(stayer, List.of("$share/g/t"), List.of(Qos.AT_LEAST_ONCE));
        for (int i = 0; i < 6; i++) {
            Publishing.stored(engine, msg("t", "m" + i));
        }
        leaver.drain(100); // the leaver's three are in flight, never acknowledged
        assertEquals(3, leaverOut.publishes().size());
        engine.disconnect(leaver, leaverOut, false);
        for (int round = 0; round < 3; round++) {
            stayer.drain(100);
            stayerOut.publishes().forEach(p -> stayer.onPubAck(p.packetId())); // a window of 4: acknowledge as a client does
        }
        List<String> got = bodies(stayerOut);
        assertEquals(6, got.size(), "its own three and the leaver's three: " + got);
        assertTrue(got.containsAll(bodies(leaverOut)));
    }

    @Test
    void anInvalidShareIsRefusedAndRetainedMessagesAreNotSentToAShare() {
        Publishing.stored(engine, Message.builder("r").payload("kept").retain(true).build());
        RecordingOutput out = new RecordingOutput();
        Session s = engine.connect("s", true, null, out).session();
        int[] codes = engine.subscribe(s, List.of("$share/g/r", "$share//r", "$share/g+/r", "$share/g"),
                List.of(Qos.AT_MOST_ONCE, Qos.AT_MOST_ONCE, Qos.AT_MOST_ONCE, Qos.AT_MOST_ONCE));
        assertEquals(List.of(0, 0x80, 0x80, 0x80), java.util.Arrays.stream(codes).boxed().toList());
        s.drain(10);
        assertEquals(0, out.publishes().size());
    }
}
