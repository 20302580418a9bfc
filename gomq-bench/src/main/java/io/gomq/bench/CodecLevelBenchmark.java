package io.gomq.bench;

import io.gomq.core.codec.Connect;
import io.gomq.core.codec.DecodeResult;
import io.gomq.core.codec.MqttDecoder;
import io.gomq.core.codec.MqttEncoder;
import io.gomq.core.codec.Publish;
import io.gomq.core.message.Message;
import io.gomq.core.message.Qos;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

import java.nio.ByteBuffer;

/**
 * The broker's per-message protocol work at MQTT 3.1.1 (level 4) against MQTT 5 (level 5)
 * without properties: decoding a QoS 1 PUBLISH of {@value #PAYLOAD_BYTES} bytes as it comes
 * from a publisher, and encoding the delivery of a stored message to a subscriber. The load
 * generator cannot separate this from its own client's cost (the HiveMQ v5 client is heavier
 * than its v3 client and shares the cores); this does, on one thread.
 */
public class CodecLevelBenchmark extends ForkedBenchmark {
    static final int PAYLOAD_BYTES = 100;

    @Param({"4", "5"})
    public int level;

    private MqttDecoder decoder;
    private ByteBuffer publishBytes;
    private Message stored;
    private ByteBuffer out;
    private long now;

    @Setup
    public void setUp() {
        decoder = new MqttDecoder(1 << 20);
        Connect connect = level == 5
                ? Connect.mqtt5(true, 60, "bench", null, null, null, io.gomq.core.codec.PacketProperties.NONE)
                : Connect.of("bench", true, 60);
        DecodeResult r = decoder.decode(MqttEncoder.encode(connect));
        if (!r.isPacket()) {
            throw new IllegalStateException("CONNECT did not decode: " + r);
        }
        Publish p = new Publish(false, Qos.AT_LEAST_ONCE, false, "bench/topic/a", 7, new byte[PAYLOAD_BYTES]);
        publishBytes = MqttEncoder.encode(p, level);
        stored = Message.builder("bench/topic/a").payload(new byte[PAYLOAD_BYTES]).qos(Qos.AT_LEAST_ONCE).build();
        out = ByteBuffer.allocate(1024);
        now = System.currentTimeMillis();
    }

    @Benchmark
    public Object decodePublish() {
        publishBytes.rewind();
        return decoder.decode(publishBytes);
    }

    @Benchmark
    public int encodeDelivery() {
        out.clear();
        if (level == 5) {
            MqttEncoder.encodePublish(out, stored, 7, false, Qos.AT_LEAST_ONCE, false, 5, 0, false, now);
        } else {
            MqttEncoder.encodePublish(out, stored, 7, false, Qos.AT_LEAST_ONCE, false);
        }
        return out.position();
    }
}
