package io.gomq.core.log.session;

import io.gomq.core.topic.SubscriptionOptions;
import io.gomq.core.log.LogException;
import io.gomq.core.log.RecordCodec;
import io.gomq.core.message.Message;
import io.gomq.core.message.Qos;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The bytes of {@code sessions.snap} and {@code sessions.wal} (layout in gomq-core/LOG.md,
 * "Session store"): the WAL's header, its CRC-framed updates (one op each) and how they apply
 * to the sessions, the snapshot, and a session's state inside both. Strings are
 * {@code int length + UTF-8}; a stored message uses the log record layout ({@link RecordCodec}).
 *
 * <p>Thread rules: not thread-safe (reused buffers); used under {@link SessionStore}'s lock.
 */
final class SessionFormat {
    private static final Logger LOG = LoggerFactory.getLogger(SessionFormat.class);
    /** Snapshot version 1: one CRC32C over the whole file (still read). */
    static final int SNAP_MAGIC = 0x53514D47; // "GMQS"
    /** Snapshot version 2: a CRC32C over the header and one per session, so a damaged file keeps its intact prefix. */
    static final int SNAP_MAGIC_V2 = 0x32514D47; // "GMQ2"
    /** {@code int magic, long generation, int count, int CRC32C} of version 2. */
    static final int SNAP_HEADER_BYTES = 20;
    static final int WAL_MAGIC = 0x57514D47;  // "GMQW"
    /** {@code int magic, long generation}. */
    static final int WAL_HEADER_BYTES = 12;
    private static final byte OP_PUT = 1;
    private static final byte OP_REMOVE = 2;
    private static final byte OP_COMMIT = 3;
    private static final byte OP_SUBSCRIBE = 4;
    private static final byte OP_UNSUBSCRIBE = 5;
    private static final byte OP_INFLIGHT = 6;
    private static final byte OP_INFLIGHT_DONE = 7;
    private static final byte OP_INBOUND = 8;
    private static final byte OP_INBOUND_DONE = 9;
    private static final byte OP_EXPIRY = 10;
    private static final byte OP_WILL = 11;
    private static final byte OP_SHARED = 12;

    private final RecordCodec codec = new RecordCodec();
    private final CRC32C crc = new CRC32C();

    /** The body of one WAL update, written when it is framed. */
    interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    // ------------------------------------------------------------------ WAL updates

    Body put(SessionState state) {
        return out -> {
            out.writeByte(OP_PUT);
            writeState(out, state);
        };
    }

    Body expiry(String clientId, long expirySeconds, long disconnectedAtMillis) {
        return out -> {
            out.writeByte(OP_EXPIRY);
            writeString(out, clientId);
            out.writeLong(expirySeconds);
            out.writeLong(disconnectedAtMillis);
        };
    }

    /** The session's will ({@code will} null: it has none any more). */
    Body will(String clientId, Message will, long delaySeconds) {
        return out -> {
            out.writeByte(OP_WILL);
            writeString(out, clientId);
            writeWill(out, will, delaySeconds);
        };
    }

    Body sharedAssigned(String clientId, long offset) {
        return out -> {
            out.writeByte(OP_SHARED);
            writeString(out, clientId);
            out.writeLong(offset);
        };
    }

    Body remove(String clientId) {
        return out -> {
            out.writeByte(OP_REMOVE);
            writeString(out, clientId);
        };
    }

    Body commit(String clientId, long offset) {
        return out -> {
            out.writeByte(OP_COMMIT);
            writeString(out, clientId);
            out.writeLong(offset);
        };
    }

    Body subscribe(String clientId, String filter, SubscriptionOptions options) {
        return out -> {
            out.writeByte(OP_SUBSCRIBE);
            writeString(out, clientId);
            writeString(out, filter);
            StoredSubscription.write(out, options);
        };
    }

    Body unsubscribe(String clientId, String filter) {
        return out -> {
            out.writeByte(OP_UNSUBSCRIBE);
            writeString(out, clientId);
            writeString(out, filter);
        };
    }

    Body inflight(String clientId, int packetId, long offset, InflightState state) {
        return out -> {
            out.writeByte(OP_INFLIGHT);
            writeString(out, clientId);
            out.writeShort(packetId);
            out.writeLong(offset);
            out.writeByte(state.ordinal());
        };
    }

    Body inflightDone(String clientId, int packetId) {
        return out -> {
            out.writeByte(OP_INFLIGHT_DONE);
            writeString(out, clientId);
            out.writeShort(packetId);
        };
    }

    Body inbound(String clientId, int packetId, Message message) {
        return out -> {
            out.writeByte(OP_INBOUND);
            writeString(out, clientId);
            out.writeShort(packetId);
            writeMessage(out, message);
        };
    }

    Body inboundDone(String clientId, int packetId) {
        return out -> {
            out.writeByte(OP_INBOUND_DONE);
            writeString(out, clientId);
            out.writeShort(packetId);
        };
    }

    /** Frames a body as int length, int CRC32C(body), body. */
    byte[] frame(Body body) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(0);
            out.writeInt(0);
            body.write(out);
            byte[] b = bytes.toByteArray();
            ByteBuffer bb = ByteBuffer.wrap(b);
            crc.reset();
            crc.update(b, 8, b.length - 8);
            bb.putInt(0, b.length - 8).putInt(4, (int) crc.getValue());
            return b;
        } catch (IOException e) {
            throw new LogException("cannot encode session update", e);
        }
    }

    /** Applies one update (a frame's body) to {@code sessions}. */
    private void apply(ByteBuffer in, Map<String, MutableSession> sessions) {
        byte op = in.get();
        if (op == OP_PUT) {
            MutableSession m = readState(in);
            sessions.put(m.clientId, m);
            return;
        }
        String id = readString(in);
        switch (op) {
            case OP_REMOVE -> sessions.remove(id);
            case OP_COMMIT -> session(sessions, id).commit(in.getLong());
            case OP_SUBSCRIBE -> {
                String f = readString(in);
                session(sessions, id).subscriptions.put(f, StoredSubscription.read(in));
            }
            case OP_UNSUBSCRIBE -> session(sessions, id).subscriptions.remove(readString(in));
            case OP_INFLIGHT -> {
                int p = Short.toUnsignedInt(in.getShort());
                session(sessions, id).inflight.put(p, new InflightEntry(p, in.getLong(), InflightState.values()[in.get()]));
            }
            case OP_INFLIGHT_DONE -> session(sessions, id).inflight.remove(Short.toUnsignedInt(in.getShort()));
            case OP_INBOUND -> {
                int p = Short.toUnsignedInt(in.getShort());
                session(sessions, id).inbound.put(p, readMessage(in));
            }
            case OP_INBOUND_DONE -> session(sessions, id).inbound.remove(Short.toUnsignedInt(in.getShort()));
            case OP_EXPIRY -> {
                MutableSession m = session(sessions, id);
                m.expirySeconds = in.getLong();
                m.disconnectedAtMillis = in.getLong();
            }
            case OP_WILL -> readWill(in, session(sessions, id));
            case OP_SHARED -> session(sessions, id).sharedOffsets.add(in.getLong());
            default -> throw new IllegalStateException("unknown session op " + op);
        }
    }

    private static MutableSession session(Map<String, MutableSession> sessions, String clientId) {
        return sessions.computeIfAbsent(clientId, MutableSession::new);
    }

    // ------------------------------------------------------------------ files

    /** The header of an empty WAL of {@code generation}. */
    static byte[] walHeader(long generation) {
        return ByteBuffer.allocate(WAL_HEADER_BYTES).putInt(WAL_MAGIC).putLong(generation).array();
    }

    /**
     * Applies the updates of {@code walPath} to {@code sessions} if its generation is
     * {@code generation} (otherwise the snapshot contains it already), up to the first damaged
     * frame (WARN with its position) or the preallocated zeros after the last frame. Returns the
     * position after the last applied frame, or -1 when the WAL was ignored.
     */
    long replayWal(Path walPath, long generation, Map<String, MutableSession> sessions) throws IOException {
        return replayWal(walPath, generation, sessions, false).end();
    }

    /** Where a WAL replay ended and whether it found damage. */
    record WalReplay(long end, boolean damaged) {
    }

    /**
     * Like {@link #replayWal(Path, long, Map)}; with {@code knownOnly} (the snapshot lost
     * sessions) an update to a session neither in {@code sessions} nor created by the WAL is
     * skipped, so a lost session does not come back as a fragment.
     */
    WalReplay replayWal(Path walPath, long generation, Map<String, MutableSession> sessions, boolean knownOnly)
            throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(walPath));
        if (b.remaining() < WAL_HEADER_BYTES || b.getInt(0) != WAL_MAGIC) {
            LOG.warn("session WAL {} has no valid header at position 0; ignored", walPath);
            return new WalReplay(-1, true);
        }
        long gen = b.getLong(4);
        if (gen == generation - 1) {
            // the crash came between the new snapshot's rename and the new WAL's
            LOG.info("session WAL {} (generation {}) is already in snapshot generation {}; ignored", walPath, gen, generation);
            return new WalReplay(-1, false);
        }
        if (gen != generation) {
            LOG.warn("session WAL {} damaged at position 4: generation {} does not follow snapshot generation {};"
                    + " ignored", walPath, gen, generation);
            return new WalReplay(-1, true);
        }
        b.position(WAL_HEADER_BYTES);
        int applied = 0;
        while (b.hasRemaining()) {
            int at = b.position();
            String bad = null;
            if (b.remaining() >= 8 && b.getLong(at) == 0) {
                int stray = firstNonZero(b, at);
                if (stray < 0) {
                    return new WalReplay(at, false); // the zeros the store allocated ahead: the clean end
                }
                LOG.warn("session WAL {} damaged at position {} (zeros, then data again at position {}); {} updates"
                        + " recovered, the rest ignored", walPath, at, stray, applied);
                return new WalReplay(at, true);
            }
            if (b.remaining() < 8) {
                bad = "truncated frame header";
            } else {
                int len = b.getInt();
                int sum = b.getInt();
                if (len < 1 || len > b.remaining()) {
                    bad = "truncated or bad record length " + len;
                } else {
                    crc.reset();
                    crc.update(b.array(), b.position(), len);
                    if ((int) crc.getValue() != sum) {
                        bad = "CRC32C mismatch";
                    } else {
                        try {
                            ByteBuffer body = b.slice(b.position(), len);
                            if (!knownOnly || isKnownOrCreated(body, sessions)) {
                                apply(body, sessions);
                            }
                        } catch (RuntimeException e) {
                            bad = "undecodable record: " + e.getMessage();
                        }
                        b.position(b.position() + len);
                    }
                }
            }
            if (bad != null) {
                LOG.warn("session WAL {} damaged at position {} ({}); {} updates recovered, the rest ignored",
                        walPath, at, bad, applied);
                return new WalReplay(at, true);
            }
            applied++;
        }
        if (applied > 0) {
            // the store allocates zeros ahead of its frames (only a frame over a whole step fills
            // the file to its end), so a file that ends right after a frame was cut short
            LOG.warn("session WAL {} ends at position {} right after an update, without the zeros allocated after"
                    + " it: the file was probably cut short; {} updates recovered", walPath, b.position(), applied);
            return new WalReplay(b.position(), true);
        }
        return new WalReplay(b.position(), false);
    }

    private static boolean isKnownOrCreated(ByteBuffer body, Map<String, MutableSession> sessions) {
        ByteBuffer in = body.duplicate();
        return in.get() == OP_PUT || sessions.containsKey(readString(in));
    }

    private static int firstNonZero(ByteBuffer b, int from) {
        for (int i = from; i < b.limit(); i++) {
            if (b.get(i) != 0) {
                return i;
            }
        }
        return -1;
    }

    /**
     * What reading a snapshot gave: its generation (-1 when its header is unreadable, so no WAL
     * can be matched to it) and, for a damaged file, where and why it stopped.
     */
    record SnapshotRead(long generation, long damagedAt, String damage) {
        boolean damaged() {
            return damage != null;
        }
    }

    /**
     * Reads the snapshot {@code snap} into {@code sessions}. A damaged version 2 file yields
     * every session before the damage (each has its own CRC32C); a damaged version 1 file
     * (one CRC32C for all) yields none.
     */
    SnapshotRead readSnapshot(Path snap, Map<String, MutableSession> sessions) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(snap));
        if (b.remaining() >= 4 && b.getInt(0) == SNAP_MAGIC) {
            return readSnapshotV1(b, sessions);
        }
        if (b.remaining() < SNAP_HEADER_BYTES + 4 || b.getInt(0) != SNAP_MAGIC_V2) {
            return new SnapshotRead(-1, 0, "not a session snapshot (bad magic or shorter than its header)");
        }
        if (crc(b, 0, SNAP_HEADER_BYTES - 4) != b.getInt(SNAP_HEADER_BYTES - 4)) {
            return new SnapshotRead(-1, 0, "header fails its CRC32C check");
        }
        long generation = b.getLong(4);
        int n = b.getInt(12);
        int end = b.limit() - 4;
        int at = SNAP_HEADER_BYTES;
        for (int i = 0; i < n; i++) {
            if (at + 8 > end) {
                return new SnapshotRead(generation, at, "truncated: " + i + " of " + n + " sessions present");
            }
            int len = b.getInt(at);
            if (len < 0 || len > b.limit() - at - 8) { // limit, not end: a truncated file has no CRC at its end
                return new SnapshotRead(generation, at, "bad session length " + len);
            }
            if (crc(b, at + 8, len) != b.getInt(at + 4)) {
                return new SnapshotRead(generation, at, "session " + i + " fails its CRC32C check");
            }
            try {
                MutableSession m = readState(b.slice(at + 8, len));
                sessions.put(m.clientId, m);
            } catch (RuntimeException e) {
                return new SnapshotRead(generation, at, "session " + i + " undecodable: " + e);
            }
            at += 8 + len;
        }
        if (at != end || crc(b, 0, end) != b.getInt(end)) {
            return new SnapshotRead(generation, at, "trailing bytes or file CRC32C mismatch after all " + n + " sessions");
        }
        return new SnapshotRead(generation, -1, null);
    }

    private SnapshotRead readSnapshotV1(ByteBuffer b, Map<String, MutableSession> sessions) {
        if (b.remaining() < 20 || crc(b, 0, b.limit() - 4) != b.getInt(b.limit() - 4)) {
            return new SnapshotRead(-1, 0, "version 1 snapshot fails its CRC32C check (no per-session checks to keep a part)");
        }
        b.position(4);
        long generation = b.getLong();
        int n = b.getInt();
        for (int i = 0; i < n; i++) {
            int len = b.getInt();
            ByteBuffer rec = b.slice(b.position(), len);
            b.position(b.position() + len);
            MutableSession m = readState(rec);
            sessions.put(m.clientId, m);
        }
        return new SnapshotRead(generation, -1, null);
    }

    private int crc(ByteBuffer b, int from, int len) {
        crc.reset();
        crc.update(b.array(), from, len);
        return (int) crc.getValue();
    }

    /** The whole snapshot file (version 2) of {@code generation} holding {@code sessions}. */
    byte[] snapshot(long generation, Collection<MutableSession> sessions) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
        DataOutputStream out = new DataOutputStream(bytes);
        byte[] header = ByteBuffer.allocate(SNAP_HEADER_BYTES - 4).putInt(SNAP_MAGIC_V2).putLong(generation)
                .putInt(sessions.size()).array();
        out.write(header);
        crc.reset();
        crc.update(header);
        out.writeInt((int) crc.getValue());
        for (MutableSession m : sessions) {
            ByteArrayOutputStream one = new ByteArrayOutputStream(128);
            writeState(new DataOutputStream(one), m.freeze());
            byte[] state = one.toByteArray();
            crc.reset();
            crc.update(state);
            out.writeInt(state.length);
            out.writeInt((int) crc.getValue());
            out.write(state);
        }
        out.flush();
        byte[] b = bytes.toByteArray();
        crc.reset();
        crc.update(b, 0, b.length);
        return ByteBuffer.allocate(b.length + 4).put(b).putInt((int) crc.getValue()).array();
    }

    // ------------------------------------------------------------------ state, strings, messages

    private void writeState(DataOutputStream out, SessionState s) throws IOException {
        writeString(out, s.clientId());
        out.writeLong(s.committedOffset());
        out.writeInt(s.subscriptions().size());
        for (Map.Entry<String, SubscriptionOptions> e : s.subscriptions().entrySet()) {
            writeString(out, e.getKey());
            StoredSubscription.write(out, e.getValue());
        }
        out.writeInt(s.inflight().size());
        for (InflightEntry e : s.inflight().values()) {
            out.writeShort(e.packetId());
            out.writeLong(e.offset());
            out.writeByte(e.state().ordinal());
        }
        out.writeInt(s.inbound().size());
        for (Map.Entry<Integer, Message> e : s.inbound().entrySet()) {
            out.writeShort(e.getKey());
            writeMessage(out, e.getValue());
        }
        out.writeLong(s.expirySeconds());
        out.writeLong(s.disconnectedAtMillis());
        writeWill(out, s.will(), s.willDelaySeconds());
        out.writeInt(s.sharedOffsets().size());
        for (long o : s.sharedOffsets()) {
            out.writeLong(o);
        }
    }

    private void writeWill(DataOutputStream out, Message will, long delaySeconds) throws IOException {
        out.writeByte(will == null ? 0 : 1);
        if (will != null) {
            out.writeLong(delaySeconds);
            writeMessage(out, will);
        }
    }

    private void readWill(ByteBuffer in, MutableSession m) {
        boolean present = in.get() == 1;
        m.willDelaySeconds = present ? in.getLong() : 0;
        m.will = present ? readMessage(in) : null;
    }

    private MutableSession readState(ByteBuffer in) {
        MutableSession m = new MutableSession(readString(in));
        m.committed = in.getLong();
        for (int n = in.getInt(); n > 0; n--) {
            m.subscriptions.put(readString(in), StoredSubscription.read(in));
        }
        for (int n = in.getInt(); n > 0; n--) {
            int id = Short.toUnsignedInt(in.getShort());
            m.inflight.put(id, new InflightEntry(id, in.getLong(), InflightState.values()[in.get()]));
        }
        for (int n = in.getInt(); n > 0; n--) {
            int id = Short.toUnsignedInt(in.getShort());
            m.inbound.put(id, readMessage(in));
        }
        m.expirySeconds = in.getLong();
        m.disconnectedAtMillis = in.getLong();
        if (in.hasRemaining()) { // states written before wills were stored end here
            readWill(in, m);
            for (int n = in.getInt(); n > 0; n--) {
                m.sharedOffsets.add(in.getLong());
            }
        }
        return m;
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(ByteBuffer in) {
        byte[] b = new byte[in.getInt()];
        in.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private void writeMessage(DataOutputStream out, Message m) throws IOException {
        int len = codec.encode(-1, m);
        out.writeInt(len);
        out.write(codec.array(), 0, len);
    }

    private Message readMessage(ByteBuffer in) {
        int len = in.getInt();
        byte[] b = new byte[len];
        in.get(b);
        String bad = codec.validate(b, 0, len);
        if (bad != null) {
            throw new IllegalStateException("stored message invalid: " + bad);
        }
        return RecordCodec.decode(b, 0, null);
    }
}
