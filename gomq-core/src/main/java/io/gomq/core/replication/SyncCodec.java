package io.gomq.core.replication;

import io.gomq.core.log.RecordBatch;
import io.gomq.core.log.RecordCodec;
import io.gomq.core.replication.SyncPacket.SyncAck;
import io.gomq.core.replication.SyncPacket.SyncOffset;
import io.gomq.core.replication.SyncPacket.SyncReq;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Encodes and decodes {@link SyncPacket}s as plain {@link ByteBuffer}s (no Netty in core).
 * Framing as MQTT: one type byte (250-252, flags 0), the remaining length as an MQTT
 * variable-length integer, then the body, big endian. The record bytes inside a SYNCACK are
 * the log's own little-endian records as stored (with their CRC32C, see {@link RecordBatch}),
 * LZ4-compressed as one block when that shrinks them.
 *
 * <p>Not thread-safe (scratch buffers): one codec per connection.
 */
public final class SyncCodec {
    /** Default largest packet accepted: 64 MB (a SYNCACK batch is capped far below). */
    public static final int DEFAULT_MAX_PACKET_BYTES = 64 << 20;
    private static final LZ4Compressor LZ4 = LZ4Factory.fastestInstance().fastCompressor();
    private static final LZ4SafeDecompressor UNLZ4 = LZ4Factory.fastestInstance().safeDecompressor();
    /** LZ4 block format: one byte of input yields at most 255 bytes of output (plus a few for the last literals). */
    private static final int MAX_LZ4_RATIO = 256;
    /** A batch is sent compressed only when LZ4 saves at least 1/this of it: else the member's decompression costs more than it saves. */
    private static final int MIN_LZ4_SAVING = 8;

    /** SYNCREQ's optional last byte: the member asks to be streamed to. */
    private static final byte STREAM_FLAG = 1;

    private final int maxPacketBytes;
    /** Where a batch is compressed before it is copied into its packet. */
    private byte[] scratch = new byte[64 * 1024];

    public SyncCodec() {
        this(DEFAULT_MAX_PACKET_BYTES);
    }

    public SyncCodec(int maxPacketBytes) {
        this.maxPacketBytes = maxPacketBytes;
    }

    // ------------------------------------------------------------------ encode

    /** The whole packet, header included, ready to write (position 0, limit = length). */
    public ByteBuffer encode(SyncPacket p) {
        ByteBuffer body;
        if (p instanceof SyncReq r) {
            byte[] id = r.nodeId().getBytes(StandardCharsets.UTF_8);
            if (id.length > 0xFFFF) {
                throw new IllegalArgumentException("node id too long");
            }
            body = ByteBuffer.allocate(2 + id.length + 8 + 8 + 4 + (r.stream() ? 1 : 0));
            body.putShort((short) id.length).put(id).putLong(r.lastEpoch()).putLong(r.fromOffset()).putInt(r.maxBytes());
            if (r.stream()) {
                body.put(STREAM_FLAG); // absent for a pull: a pull request reads as it always did
            }
        } else if (p instanceof SyncOffset o) {
            body = ByteBuffer.allocate(8 + 2 + 8);
            body.putLong(o.offset()).putShort(o.memberId()).putLong(o.epoch());
        } else {
            body = encodeAck((SyncAck) p);
        }
        body.flip();
        int len = body.remaining();
        ByteBuffer out = ByteBuffer.allocate(1 + varIntSize(len) + len);
        out.put((byte) p.type());
        writeVarInt(out, len);
        out.put(body).flip();
        return out;
    }

    /**
     * The records as the log stored them, LZ4-compressed as one block when that makes them
     * clearly smaller; else they travel as they are, told by a compressed length equal to the
     * raw one (a compressed block is always shorter).
     */
    private ByteBuffer encodeAck(SyncAck a) {
        RecordBatch records = a.records();
        int rawLen = records.length();
        byte[] data = records.array();
        int dataLen = rawLen;
        if (rawLen > 0) {
            int maxComp = LZ4.maxCompressedLength(rawLen);
            ensureScratch(maxComp);
            int compLen = LZ4.compress(data, 0, rawLen, scratch, 0, maxComp);
            if (compLen < rawLen - rawLen / MIN_LZ4_SAVING) {
                data = scratch;
                dataLen = compLen;
            }
        }
        ByteBuffer body = ByteBuffer.allocate(8 * 4 + 4 + 4 + 4 + dataLen);
        body.putLong(a.epoch()).putLong(a.leaderEnd()).putLong(a.highWatermark()).putLong(a.truncateTo())
                .putInt(records.size()).putInt(rawLen).putInt(dataLen).put(data, 0, dataLen);
        return body;
    }

    private void ensureScratch(int n) {
        if (scratch.length < n) {
            scratch = new byte[Math.max(n, scratch.length * 2)];
        }
    }

    // ------------------------------------------------------------------ decode

    /**
     * Decodes one packet from {@code in} if it holds a whole one: returns it and advances the
     * position past it; returns null (position unchanged) if more bytes are needed. Throws
     * {@link SyncProtocolException} for a bad type, a length over the limit (checked as soon as
     * the header is read, before buffering the body) or a malformed body.
     */
    public SyncPacket decode(ByteBuffer in) {
        int start = in.position();
        if (in.remaining() < 2) {
            return null;
        }
        int type = in.get(start) & 0xFF;
        if (type != SyncPacket.SYNCREQ && type != SyncPacket.SYNCACK && type != SyncPacket.SYNCOFFSET) {
            throw new SyncProtocolException("not a replication packet: first byte " + type);
        }
        int len = 0;
        int shift = 0;
        int i = start + 1;
        while (true) {
            if (i >= in.limit()) {
                return null;
            }
            if (i - start > 4) {
                throw new SyncProtocolException("remaining length longer than 4 bytes");
            }
            int b = in.get(i++) & 0xFF;
            len |= (b & 0x7F) << shift;
            shift += 7;
            if ((b & 0x80) == 0) {
                break;
            }
        }
        if (len > maxPacketBytes) {
            throw new SyncProtocolException("packet of " + len + " bytes exceeds the limit of " + maxPacketBytes);
        }
        if (in.limit() - i < len) {
            return null;
        }
        ByteBuffer body = in.duplicate().order(ByteOrder.BIG_ENDIAN);
        body.position(i).limit(i + len);
        in.position(i + len);
        try {
            SyncPacket p = switch (type) {
                case SyncPacket.SYNCREQ -> decodeReq(body);
                case SyncPacket.SYNCOFFSET -> new SyncOffset(body.getLong(), body.getShort(), body.getLong());
                default -> decodeAck(body);
            };
            if (body.hasRemaining()) {
                throw new SyncProtocolException("packet " + type + " has " + body.remaining() + " trailing bytes");
            }
            return p;
        } catch (java.nio.BufferUnderflowException e) {
            throw new SyncProtocolException("packet " + type + " body shorter than its fields");
        }
    }

    private static SyncReq decodeReq(ByteBuffer b) {
        int idLen = b.getShort() & 0xFFFF;
        if (idLen > b.remaining()) {
            throw new SyncProtocolException("SYNCREQ node id length " + idLen + " beyond the packet");
        }
        byte[] id = new byte[idLen];
        b.get(id);
        String nodeId = new String(id, StandardCharsets.UTF_8);
        long lastEpoch = b.getLong();
        long from = b.getLong();
        int maxBytes = b.getInt();
        boolean stream = false;
        if (b.hasRemaining()) {
            byte flags = b.get();
            if (flags != STREAM_FLAG) {
                throw new SyncProtocolException("SYNCREQ flags " + flags + " unknown");
            }
            stream = true;
        }
        return new SyncReq(nodeId, lastEpoch, from, maxBytes, stream);
    }

    private SyncAck decodeAck(ByteBuffer b) {
        long epoch = b.getLong();
        long end = b.getLong();
        long hw = b.getLong();
        long truncateTo = b.getLong();
        int count = b.getInt();
        int rawLen = b.getInt();
        int compLen = b.getInt();
        // each record takes at least its length and a minimal record, and LZ4 expands at most
        // MAX_LZ4_RATIO times: a batch claiming more is refused before anything is sized by it;
        // a batch is compressed only when that makes it shorter (else compLen == rawLen)
        if (count < 0 || rawLen < 0 || compLen < 0 || compLen != b.remaining() || compLen > rawLen || rawLen > maxPacketBytes
                || rawLen > (long) compLen * MAX_LZ4_RATIO || count > rawLen / (4 + RecordCodec.MIN_RECORD)) {
            throw new SyncProtocolException("SYNCACK batch lengths inconsistent: count " + count + ", raw " + rawLen
                    + ", compressed " + compLen + ", bytes left " + b.remaining());
        }
        byte[] raw = new byte[rawLen]; // the batch keeps it: the member appends from it
        int at = b.arrayOffset() + b.position();
        if (compLen == rawLen) {
            System.arraycopy(b.array(), at, raw, 0, rawLen); // sent as it is
        } else if (rawLen > 0) {
            int n;
            try {
                n = UNLZ4.decompress(b.array(), at, compLen, raw, 0, rawLen);
            } catch (LZ4Exception e) {
                throw new SyncProtocolException("SYNCACK batch does not decompress: " + e.getMessage());
            }
            if (n != rawLen) {
                throw new SyncProtocolException("SYNCACK batch decompressed to " + n + " bytes, header says " + rawLen);
            }
        }
        b.position(b.limit());
        RecordBatch records;
        try {
            records = RecordBatch.received(raw, rawLen, count);
        } catch (IllegalArgumentException e) {
            throw new SyncProtocolException("SYNCACK " + e.getMessage());
        }
        return new SyncAck(epoch, end, hw, truncateTo, records);
    }

    // ------------------------------------------------------------------ var int

    static int varIntSize(int v) {
        return v < 128 ? 1 : v < 16_384 ? 2 : v < 2_097_152 ? 3 : 4;
    }

    static void writeVarInt(ByteBuffer out, int v) {
        if (v < 0 || v > 268_435_455) {
            throw new IllegalArgumentException("remaining length out of range: " + v);
        }
        do {
            int digit = v & 0x7F;
            v >>>= 7;
            out.put((byte) (v > 0 ? digit | 0x80 : digit));
        } while (v > 0);
    }
}
