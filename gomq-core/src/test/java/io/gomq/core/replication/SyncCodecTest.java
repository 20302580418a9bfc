package io.gomq.core.replication;

import io.gomq.core.log.LogRecord;
import io.gomq.core.log.RecordBatch;
import io.gomq.core.log.RecordCodec;
import io.gomq.core.replication.SyncPacket.SyncAck;
import io.gomq.core.replication.SyncPacket.SyncOffset;
import io.gomq.core.replication.SyncPacket.SyncReq;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static io.gomq.core.replication.ReplicationTestSupport.msg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SyncCodecTest {
    private final SyncCodec codec = new SyncCodec();

    @Test
    void syncReqRoundTripsWithGoMqTypeByte() {
        ByteBuffer b = codec.encode(new SyncReq("node-1", 7, 12345, 1 << 20));
        assertEquals(250, b.get(0) & 0xFF);
        assertEquals(new SyncReq("node-1", 7, 12345, 1 << 20), codec.decode(b));
        assertEquals(0, b.remaining());
    }

    @Test
    void aStreamRequestCarriesOneFlagByteAPullNone() {
        ByteBuffer pull = codec.encode(new SyncReq("n", 1, 2, 3));
        ByteBuffer stream = codec.encode(new SyncReq("n", 1, 2, 3, true));
        assertEquals(pull.remaining() + 1, stream.remaining());
        assertEquals(new SyncReq("n", 1, 2, 3, true), codec.decode(stream));
        assertFalse(((SyncReq) codec.decode(pull)).stream());
    }

    @Test
    void anUnknownSyncReqFlagIsRefused() {
        ByteBuffer b = codec.encode(new SyncReq("n", 1, 2, 3, true));
        b.put(b.limit() - 1, (byte) 2);
        assertThrows(SyncProtocolException.class, () -> codec.decode(b));
    }

    @Test
    void syncOffsetKeepsGoMqLayoutOfOffsetThenTwoByteId() {
        ByteBuffer b = codec.encode(new SyncOffset(0x0102030405060708L, (short) 0x0A0B, 3));
        assertEquals(252, b.get(0) & 0xFF);
        assertEquals(18, b.get(1));                     // remaining length
        assertEquals(0x0102030405060708L, b.getLong(2)); // 8-byte offset, big endian
        assertEquals(0x0A0B, b.getShort(10));            // 2-byte id
        assertEquals(new SyncOffset(0x0102030405060708L, (short) 0x0A0B, 3), codec.decode(b));
    }

    @Test
    void syncAckCarriesCompressedRecordsWithTheirOffsets() {
        List<LogRecord> recs = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            recs.add(new LogRecord(i * 2L, msg("sensors/" + (i % 10), "payload payload payload " + i)));
        }
        ByteBuffer b = codec.encode(new SyncAck(5, 2000, 1500, -1, RecordBatch.of(recs)));
        assertEquals(251, b.get(0) & 0xFF);
        assertTrue(b.remaining() < 1000 * 40, "LZ4 compresses the batch: " + b.remaining());
        SyncAck a = (SyncAck) codec.decode(b);
        assertEquals(5, a.epoch());
        assertEquals(2000, a.leaderEnd());
        assertEquals(1500, a.highWatermark());
        assertEquals(1000, a.records().size());
        List<LogRecord> got = a.records().toList();
        assertEquals(1998, got.get(999).offset());
        assertEquals("payload payload payload 999", got.get(999).message().payloadAsString());
    }

    @Test
    void aBatchLz4CannotShrinkTravelsAsStoredAndItsCrcIsStillChecked() {
        java.util.Random random = new java.util.Random(7);
        List<LogRecord> recs = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            byte[] noise = new byte[200];
            random.nextBytes(noise);
            recs.add(new LogRecord(i, io.gomq.core.message.Message.builder("t/" + i).payload(noise).build()));
        }
        RecordBatch batch = RecordBatch.of(recs);
        ByteBuffer b = codec.encode(new SyncAck(2, 50, 0, -1, batch));
        int compLenAt = b.limit() - batch.length() - 4; // the compressed length, then the records as they are
        assertEquals(batch.length(), b.getInt(compLenAt), "sent uncompressed: the compressed length equals the raw one");
        SyncAck a = (SyncAck) codec.decode(b.duplicate());
        assertEquals(50, a.records().size());
        assertEquals(49, a.records().lastOffset());
        assertEquals(recs.get(17).message().payload(), a.records().toList().get(17).message().payload());
        int inRecord = b.limit() - batch.length() + 4 + RecordCodec.FIXED_HEADER + 2; // the first record's topic
        b.put(inRecord, (byte) (b.get(inRecord) ^ 0x01));
        SyncProtocolException e = assertThrows(SyncProtocolException.class, () -> codec.decode(b));
        assertTrue(e.getMessage().contains("CRC32C"), e.getMessage());
    }

    @Test
    void aCompressedLengthAboveTheRawOneIsRefused() {
        ByteBuffer body = ByteBuffer.allocate(8 * 4 + 12 + 10);
        body.putLong(1).putLong(1).putLong(0).putLong(-1).putInt(0).putInt(5).putInt(10).position(body.capacity());
        body.flip();
        ByteBuffer packet = ByteBuffer.allocate(2 + body.remaining());
        packet.put((byte) 251).put((byte) body.remaining()).put(body).flip();
        SyncProtocolException e = assertThrows(SyncProtocolException.class, () -> codec.decode(packet));
        assertTrue(e.getMessage().contains("inconsistent"), e.getMessage());
    }

    @Test
    void offsetsThatDoNotIncreaseAreRefused() {
        ByteBuffer b = codec.encode(new SyncAck(1, 9, 0, -1, RecordBatch.of(List.of(new LogRecord(5, msg("a", "x")),
                new LogRecord(5, msg("a", "y"))))));
        SyncProtocolException e = assertThrows(SyncProtocolException.class, () -> codec.decode(b));
        assertTrue(e.getMessage().contains("not increasing"), e.getMessage());
    }

    @Test
    void emptySyncAckIsAHeartbeat() {
        SyncAck a = (SyncAck) codec.decode(codec.encode(new SyncAck(1, 0, 0, SyncAck.NO_TRUNCATE, RecordBatch.empty())));
        assertTrue(a.records().isEmpty());
        assertEquals(-1, a.truncateTo());
    }

    @Test
    void partialPacketNeedsMoreBytes() {
        ByteBuffer whole = codec.encode(new SyncReq("n", 1, 2, 3));
        ByteBuffer part = whole.duplicate().limit(whole.limit() - 1);
        assertNull(codec.decode(part));
        assertEquals(0, part.position());
    }

    @Test
    void mqttTypeByteIsRejected() {
        ByteBuffer b = ByteBuffer.wrap(new byte[] {0x10, 0x00});
        assertThrows(SyncProtocolException.class, () -> codec.decode(b));
    }

    @Test
    void lengthOverLimitIsRejectedBeforeTheBodyArrives() {
        SyncCodec small = new SyncCodec(100);
        ByteBuffer header = ByteBuffer.wrap(new byte[] {(byte) 251, (byte) 0xE8, 0x07}); // 1000 bytes announced
        SyncProtocolException e = assertThrows(SyncProtocolException.class, () -> small.decode(header));
        assertTrue(e.getMessage().contains("exceeds"));
    }

    @Test
    void corruptRecordInsideABatchIsRejected() {
        ByteBuffer b = codec.encode(new SyncAck(1, 1, 0, -1, RecordBatch.of(List.of(new LogRecord(0, msg("a", "b"))))));
        b.put(b.limit() - 1, (byte) (b.get(b.limit() - 1) ^ 0x55));
        assertThrows(SyncProtocolException.class, () -> codec.decode(b));
    }

    @Test
    void truncatedBodyIsRejected() {
        ByteBuffer b = ByteBuffer.wrap(new byte[] {(byte) 252, 4, 0, 0, 0, 1});
        assertThrows(SyncProtocolException.class, () -> codec.decode(b));
    }
}
