package io.gomq.junit;

import io.gomq.client.Delivery;
import io.gomq.client.MessageHandler;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * The messages a test broker received, in arrival order, for tests to wait on. Each await
 * takes the oldest message that matches and removes it, so two awaits on one topic return its
 * first and second message. Holds at most {@link #CAPACITY} messages: beyond that the oldest
 * is dropped (and counted), so a test that publishes millions stays within its heap.
 */
public final class ReceivedMessages {
    /** The most messages kept; older ones are dropped first. */
    public static final int CAPACITY = 10_000;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final Deque<Delivery> messages = new ArrayDeque<>();
    private long dropped;

    ReceivedMessages() {
    }

    /** The broker-side subscriber that fills this recorder (runs on a dispatcher thread). */
    MessageHandler handler() {
        return this::add;
    }

    private void add(Delivery delivery) {
        lock.lock();
        try {
            if (messages.size() == CAPACITY) {
                messages.pollFirst();
                dropped++;
            }
            messages.addLast(delivery);
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits for a message on exactly {@code topic} (no wildcards) and takes it.
     *
     * @param topic   the topic name the message was published to
     * @param timeout how long to wait
     * @return the oldest such message not taken yet
     * @throws AssertionError when none arrives in time; it lists the topics that did arrive
     */
    public Delivery awaitMessage(String topic, Duration timeout) {
        return awaitMessage("a message on topic '" + topic + "'", d -> d.topic().equals(topic), timeout);
    }

    /**
     * Waits for a message that {@code condition} accepts and takes it.
     *
     * @param what      how the failure message names what was awaited
     * @param condition which message to take
     * @param timeout   how long to wait
     * @return the oldest accepted message not taken yet
     * @throws AssertionError when none arrives in time
     */
    public Delivery awaitMessage(String what, Predicate<Delivery> condition, Duration timeout) {
        return awaitMessages(what, condition, 1, timeout).get(0);
    }

    /**
     * Waits until {@code count} messages on {@code topic} arrived and takes them.
     *
     * @param topic   the topic name the messages were published to
     * @param count   how many
     * @param timeout how long to wait for all of them
     * @return the messages in arrival order
     * @throws AssertionError when fewer arrive in time
     */
    public List<Delivery> awaitMessages(String topic, int count, Duration timeout) {
        return awaitMessages(count + " messages on topic '" + topic + "'", d -> d.topic().equals(topic), count, timeout);
    }

    private List<Delivery> awaitMessages(String what, Predicate<Delivery> condition, int count, Duration timeout) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be >= 1, was " + count);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (true) {
                List<Delivery> found = matching(condition, count);
                if (found.size() == count) {
                    Set<Delivery> taken = Collections.newSetFromMap(new IdentityHashMap<>());
                    taken.addAll(found);
                    messages.removeIf(taken::contains);
                    return found;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no " + what + " within " + timeout.toMillis() + " ms ("
                            + found.size() + " matched); received: " + summary());
                }
                arrived.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + what, e);
        } finally {
            lock.unlock();
        }
    }

    private List<Delivery> matching(Predicate<Delivery> condition, int count) {
        List<Delivery> found = new ArrayList<>(Math.min(count, 16));
        for (Iterator<Delivery> it = messages.iterator(); it.hasNext() && found.size() < count; ) {
            Delivery d = it.next();
            if (condition.test(d)) {
                found.add(d);
            }
        }
        return found;
    }

    /**
     * The messages received and not taken yet.
     *
     * @return a snapshot, oldest first
     */
    public List<Delivery> all() {
        lock.lock();
        try {
            return List.copyOf(messages);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Messages dropped because more than {@link #CAPACITY} were waiting.
     *
     * @return how many since the broker started
     */
    public long dropped() {
        lock.lock();
        try {
            return dropped;
        } finally {
            lock.unlock();
        }
    }

    /** Forgets every message received so far (the extension does so before each test). */
    public void clear() {
        lock.lock();
        try {
            messages.clear();
        } finally {
            lock.unlock();
        }
    }

    private String summary() {
        StringBuilder s = new StringBuilder().append(messages.size()).append(" message(s)");
        int shown = 0;
        for (Delivery d : messages) {
            s.append(shown == 0 ? ": " : ", ").append(d.topic());
            if (++shown == 10) {
                s.append(", ...");
                break;
            }
        }
        return s.toString();
    }
}
