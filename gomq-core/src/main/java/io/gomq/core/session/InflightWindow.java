package io.gomq.core.session;

import io.gomq.core.message.Message;

/**
 * Outgoing QoS 1/2 messages awaiting acknowledgement, in send order, at most {@code limit}.
 * Owner thread only. Arrays and a linear search: the window is small (tens), acks arrive
 * mostly in order, and nothing is boxed or allocated per message.
 */
public final class InflightWindow {
    /** Waiting for PUBACK (QoS 1) or PUBREC (QoS 2). */
    public static final byte SENT = 1;
    /** QoS 2: PUBREC received, PUBREL sent, waiting for PUBCOMP. */
    public static final byte RELEASED = 2;

    private final int limit;
    private final int[] ids;
    private final Message[] messages;
    private final byte[] states;
    private int count;
    private int nextId = 1;

    public InflightWindow(int limit) {
        this.limit = limit;
        this.sendLimit = limit;
        this.ids = new int[limit];
        this.messages = new Message[limit];
        this.states = new byte[limit];
    }

    /** MQTT 5 Receive Maximum of the attached client (at most {@link #limit()}): it may be below the window's size. */
    private int sendLimit;

    public boolean isFull() { return count >= sendLimit; }

    /**
     * Sends stop at {@code n} unacknowledged messages (the client's Receive Maximum), at most
     * the window's limit; messages already in flight above it stay until acknowledged. Owner thread.
     */
    public void sendLimit(int n) { sendLimit = Math.max(1, Math.min(n, limit)); }
    public int sendLimit() { return sendLimit; }
    public int size() { return count; }
    public int limit() { return limit; }

    /** Assigns a free packet id to {@code message} and records it as SENT. Requires {@code !isFull()}. */
    public int add(Message message) {
        if (isFull()) {
            throw new IllegalStateException("in-flight window full (" + limit + ")");
        }
        int id = nextFreeId();
        ids[count] = id;
        messages[count] = message;
        states[count] = SENT;
        count++;
        return id;
    }

    /** Re-adds an entry restored from storage, keeping its id and state. */
    public void restore(int packetId, Message message, byte state) {
        if (count >= limit || indexOf(packetId) >= 0) {
            throw new IllegalStateException("cannot restore packet id " + packetId);
        }
        ids[count] = packetId;
        messages[count] = message;
        states[count] = state;
        count++;
        nextId = packetId % 65_535 + 1;
    }

    /** PUBACK: removes a QoS 1 entry. Returns the message, or null if the id is unknown. */
    public Message acknowledge(int packetId) {
        int i = indexOf(packetId);
        if (i < 0 || states[i] != SENT || messages[i].qos().value() != 1) {
            return null;
        }
        return removeAt(i);
    }

    /** PUBREC: marks a QoS 2 entry released. Returns false if the id is unknown (the caller still sends PUBREL). */
    public boolean received(int packetId) {
        int i = indexOf(packetId);
        if (i < 0 || messages[i].qos().value() != 2) {
            return false;
        }
        states[i] = RELEASED;
        return true;
    }

    /** PUBCOMP: removes a released QoS 2 entry. Returns the message, or null if unknown. */
    public Message complete(int packetId) {
        int i = indexOf(packetId);
        if (i < 0 || states[i] != RELEASED) {
            return null;
        }
        return removeAt(i);
    }

    /** Whether a message stored at {@code offset} is in flight. */
    public boolean containsOffset(long offset) {
        for (int i = 0; i < count; i++) {
            if (messages[i].offset() == offset) {
                return true;
            }
        }
        return false;
    }

    /**
     * The lowest log offset in flight, or {@code Long.MAX_VALUE}. Owner thread only, like the
     * rest: the compaction thread reads the floor its owner publishes ({@code Session.committedFloor}).
     */
    public long lowestOffset() {
        long low = Long.MAX_VALUE;
        for (int i = 0; i < count; i++) {
            long offset = messages[i].offset();
            if (offset >= 0 && offset < low) {
                low = offset;
            }
        }
        return low;
    }

    public int idAt(int i) { return ids[i]; }
    public Message messageAt(int i) { return messages[i]; }
    public byte stateAt(int i) { return states[i]; }

    public void clear() {
        java.util.Arrays.fill(messages, 0, count, null);
        count = 0;
    }

    private int nextFreeId() {
        while (true) {
            int id = nextId;
            nextId = id == 65_535 ? 1 : id + 1;
            if (indexOf(id) < 0) {
                return id;
            }
        }
    }

    private int indexOf(int packetId) {
        for (int i = 0; i < count; i++) {
            if (ids[i] == packetId) {
                return i;
            }
        }
        return -1;
    }

    private Message removeAt(int i) {
        Message m = messages[i];
        int tail = count - i - 1;
        System.arraycopy(ids, i + 1, ids, i, tail);
        System.arraycopy(messages, i + 1, messages, i, tail);
        System.arraycopy(states, i + 1, states, i, tail);
        count--;
        messages[count] = null;
        return m;
    }
}
