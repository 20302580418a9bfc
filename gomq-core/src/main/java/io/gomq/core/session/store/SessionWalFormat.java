package io.gomq.core.session.store;

import io.gomq.core.log.LogException;
import io.gomq.core.message.Message;
import io.gomq.core.topic.SubscriptionOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.CRC32C;

import static io.gomq.core.session.store.SessionStateCodec.intString;

/**
 * The bytes of {@code sessions.wal} (layout in gomq-core/LOG.md, "Session store"): its header,
 * its CRC-framed updates (one op each), how they apply to the sessions, and the replay at load.
 * A whole state ({@code STATE}) is a {@link SessionStateCodec} state; the {@code PUT} of WALs
 * written before is still read ({@link SessionStateCodec#decodeUnversioned}).
 *
 * <p>Thread rules: stateless; encoding on any thread, replay on the loading one.
 */
final class SessionWalFormat {
    private static final Logger LOG = LoggerFactory.getLogger(SessionWalFormat.class);
    static final int WAL_MAGIC = 0x57514D47;  // "GMQW"
    /** {@code int magic, long generation}. */
    static final int WAL_HEADER_BYTES = 12;
    /** A whole state in the unversioned layout: read, no longer written (replaced by {@link #OP_STATE}). */
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
    /** A whole state, versioned ({@link SessionStateCodec#writeWithId}). */
    private static final byte OP_STATE = 13;

    private SessionWalFormat() {
    }

    /** The body of one WAL update, written when it is framed. */
    interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    // ------------------------------------------------------------------ updates

    static Body state(SessionState state) {
        return out -> {
            out.writeByte(OP_STATE);
            SessionStateCodec.writeWithId(out, state);
        };
    }

    static Body expiry(String clientId, long expirySeconds, long disconnectedAtMillis) {
        return out -> {
            op(out, OP_EXPIRY, clientId);
            out.writeLong(expirySeconds);
            out.writeLong(disconnectedAtMillis);
        };
    }

    /** The session's will ({@code will} null: it has none any more). */
    static Body will(String clientId, Message will, long delaySeconds) {
        return out -> {
            op(out, OP_WILL, clientId);
            SessionStateCodec.writeWill(out, will, delaySeconds);
        };
    }

    static Body sharedAssigned(String clientId, long offset) {
        return out -> {
            op(out, OP_SHARED, clientId);
            out.writeLong(offset);
        };
    }

    static Body remove(String clientId) {
        return out -> op(out, OP_REMOVE, clientId);
    }

    static Body commit(String clientId, long offset) {
        return out -> {
            op(out, OP_COMMIT, clientId);
            out.writeLong(offset);
        };
    }

    static Body subscribe(String clientId, String filter, SubscriptionOptions options) {
        return out -> {
            op(out, OP_SUBSCRIBE, clientId);
            intString(out, filter);
            StoredSubscription.write(out, options);
        };
    }

    static Body unsubscribe(String clientId, String filter) {
        return out -> {
            op(out, OP_UNSUBSCRIBE, clientId);
            intString(out, filter);
        };
    }

    static Body inflight(String clientId, int packetId, long offset, InflightState state) {
        return out -> {
            op(out, OP_INFLIGHT, clientId);
            out.writeShort(packetId);
            out.writeLong(offset);
            out.writeByte(state.ordinal());
        };
    }

    static Body inflightDone(String clientId, int packetId) {
        return out -> {
            op(out, OP_INFLIGHT_DONE, clientId);
            out.writeShort(packetId);
        };
    }

    static Body inbound(String clientId, int packetId, Message message) {
        return out -> {
            op(out, OP_INBOUND, clientId);
            out.writeShort(packetId);
            SessionStateCodec.writeMessage(out, message);
        };
    }

    static Body inboundDone(String clientId, int packetId) {
        return out -> {
            op(out, OP_INBOUND_DONE, clientId);
            out.writeShort(packetId);
        };
    }

    private static void op(DataOutputStream out, byte op, String clientId) throws IOException {
        out.writeByte(op);
        intString(out, clientId);
    }

    /** Frames a body as int length, int CRC32C(body), body. */
    static byte[] frame(Body body) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(0);
            out.writeInt(0);
            body.write(out);
            byte[] b = bytes.toByteArray();
            CRC32C crc = new CRC32C();
            crc.update(b, 8, b.length - 8);
            ByteBuffer.wrap(b).putInt(0, b.length - 8).putInt(4, (int) crc.getValue());
            return b;
        } catch (IOException e) {
            throw new LogException("cannot encode session update", e);
        }
    }

    /** Applies one update (a frame's body) to {@code sessions}. */
    private static void apply(ByteBuffer in, Map<String, MutableSession> sessions) {
        byte op = in.get();
        if (op == OP_PUT || op == OP_STATE) {
            MutableSession m = op == OP_PUT ? SessionStateCodec.decodeUnversioned(in)
                    : MutableSession.of(SessionStateCodec.decodeWithId(in));
            sessions.put(m.clientId, m);
            return;
        }
        String id = intString(in);
        switch (op) {
            case OP_REMOVE -> sessions.remove(id);
            case OP_COMMIT -> session(sessions, id).commit(in.getLong());
            case OP_SUBSCRIBE -> {
                String f = intString(in);
                session(sessions, id).subscriptions.put(f, StoredSubscription.read(in));
            }
            case OP_UNSUBSCRIBE -> session(sessions, id).subscriptions.remove(intString(in));
            case OP_INFLIGHT -> {
                int p = Short.toUnsignedInt(in.getShort());
                session(sessions, id).inflight.put(p, new InflightEntry(p, in.getLong(), InflightState.values()[in.get()]));
            }
            case OP_INFLIGHT_DONE -> session(sessions, id).inflight.remove(Short.toUnsignedInt(in.getShort()));
            case OP_INBOUND -> {
                int p = Short.toUnsignedInt(in.getShort());
                session(sessions, id).inbound.put(p, SessionStateCodec.readMessage(in));
            }
            case OP_INBOUND_DONE -> session(sessions, id).inbound.remove(Short.toUnsignedInt(in.getShort()));
            case OP_EXPIRY -> {
                MutableSession m = session(sessions, id);
                m.expirySeconds = in.getLong();
                m.disconnectedAtMillis = in.getLong();
            }
            case OP_WILL -> SessionStateCodec.readWill(in, session(sessions, id));
            case OP_SHARED -> session(sessions, id).sharedOffsets.add(in.getLong());
            default -> throw new IllegalStateException("unknown session op " + op);
        }
    }

    private static MutableSession session(Map<String, MutableSession> sessions, String clientId) {
        return sessions.computeIfAbsent(clientId, MutableSession::new);
    }

    // ------------------------------------------------------------------ file

    /** The header of an empty WAL of {@code generation}. */
    static byte[] header(long generation) {
        return ByteBuffer.allocate(WAL_HEADER_BYTES).putInt(WAL_MAGIC).putLong(generation).array();
    }

    /** Where a WAL replay ended (-1: the WAL was ignored) and whether it found damage. */
    record Replay(long end, boolean damaged) {
    }

    /**
     * Applies the updates of {@code walPath} to {@code sessions} if its generation is
     * {@code generation} (otherwise the snapshot contains it already), up to the first damaged
     * frame (WARN with its position) or the preallocated zeros after the last frame. With
     * {@code knownOnly} (the snapshot lost sessions) an update to a session neither in
     * {@code sessions} nor created by the WAL is skipped, so a lost session does not come back
     * as a fragment.
     */
    static Replay replay(Path walPath, long generation, Map<String, MutableSession> sessions, boolean knownOnly)
            throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(walPath));
        if (b.remaining() < WAL_HEADER_BYTES || b.getInt(0) != WAL_MAGIC) {
            LOG.warn("session WAL {} has no valid header at position 0; ignored", walPath);
            return new Replay(-1, true);
        }
        long gen = b.getLong(4);
        if (gen == generation - 1) {
            // the crash came between the new snapshot's rename and the new WAL's
            LOG.info("session WAL {} (generation {}) is already in snapshot generation {}; ignored", walPath, gen, generation);
            return new Replay(-1, false);
        }
        if (gen != generation) {
            LOG.warn("session WAL {} damaged at position 4: generation {} does not follow snapshot generation {};"
                    + " ignored", walPath, gen, generation);
            return new Replay(-1, true);
        }
        b.position(WAL_HEADER_BYTES);
        CRC32C crc = new CRC32C();
        int applied = 0;
        while (b.hasRemaining()) {
            int at = b.position();
            String bad = null;
            if (b.remaining() >= 8 && b.getLong(at) == 0) {
                int stray = firstNonZero(b, at);
                if (stray < 0) {
                    return new Replay(at, false); // the zeros the store allocated ahead: the clean end
                }
                LOG.warn("session WAL {} damaged at position {} (zeros, then data again at position {}); {} updates"
                        + " recovered, the rest ignored", walPath, at, stray, applied);
                return new Replay(at, true);
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
                return new Replay(at, true);
            }
            applied++;
        }
        if (applied > 0) {
            // the store allocates zeros ahead of its frames (only a frame over a whole step fills
            // the file to its end), so a file that ends right after a frame was cut short
            LOG.warn("session WAL {} ends at position {} right after an update, without the zeros allocated after"
                    + " it: the file was probably cut short; {} updates recovered", walPath, b.position(), applied);
            return new Replay(b.position(), true);
        }
        return new Replay(b.position(), false);
    }

    private static boolean isKnownOrCreated(ByteBuffer body, Map<String, MutableSession> sessions) {
        ByteBuffer in = body.duplicate();
        byte op = in.get();
        return op == OP_PUT || op == OP_STATE || sessions.containsKey(intString(in));
    }

    private static int firstNonZero(ByteBuffer b, int from) {
        for (int i = from; i < b.limit(); i++) {
            if (b.get(i) != 0) {
                return i;
            }
        }
        return -1;
    }
}
