package io.gomq.core.replication;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.gomq.core.testing.FuzzInvariants;

import java.nio.ByteBuffer;

/**
 * Coverage-guided fuzzing (Jazzer) of the replication SYNC codec: the input is a byte stream
 * from a peer, decoded packet by packet until more bytes are needed. Only
 * {@link SyncProtocolException} may escape, a packet always consumes bytes, and one input
 * allocates in proportion to its own size (LZ4 expands at most ~255x), never to a length it claims.
 */
class SyncCodecCoverageFuzzTest {
    private static final int LIMIT = 1 << 20;

    @FuzzTest(maxDuration = "")
    void decode(byte[] data) {
        FuzzInvariants.withinAllocation((1 << 20) + 600L * data.length, "SYNC decoding", () -> {
            decodeAll(data);
            return null;
        });
    }

    private static void decodeAll(byte[] data) {
        SyncCodec codec = new SyncCodec(LIMIT);
        ByteBuffer in = ByteBuffer.wrap(data);
        FuzzInvariants.onlyThrows(SyncProtocolException.class, () -> {
            while (in.hasRemaining()) {
                int before = in.position();
                if (codec.decode(in) == null) {
                    if (in.position() != before) {
                        throw new AssertionError("an incomplete packet consumed bytes");
                    }
                    return;
                }
                if (in.position() <= before) {
                    throw new AssertionError("a packet consumed no bytes");
                }
            }
        });
    }
}
