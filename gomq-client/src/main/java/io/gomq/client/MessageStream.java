package io.gomq.client;

import java.time.Duration;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The deliveries of a polling consumer as a blocking {@link Iterable} (the Java form of GoMQ's
 * {@code for m := range consumer.Subscribe(...)}). Iteration blocks until a delivery arrives
 * and ends when the consumer is closed. Closing the stream closes the consumer.
 */
public final class MessageStream implements Iterable<Delivery>, AutoCloseable {
    private static final Duration WAIT = Duration.ofMillis(200);
    private final Consumer consumer;

    /**
     * The stream of a consumer that polls.
     *
     * @param consumer the consumer whose deliveries it reads
     */
    public MessageStream(Consumer consumer) {
        this.consumer = consumer;
    }

    /**
     * Waits up to {@code timeout} for the next delivery; see {@link Consumer#poll}.
     *
     * @param timeout how long to wait
     * @return the delivery, or null on timeout or after close
     */
    public Delivery poll(Duration timeout) {
        return consumer.poll(timeout);
    }

    @Override
    public Iterator<Delivery> iterator() {
        return new Iterator<>() {
            private Delivery next;

            @Override
            public boolean hasNext() {
                while (next == null && !consumer.isClosed()) {
                    next = consumer.poll(WAIT);
                }
                return next != null;
            }

            @Override
            public Delivery next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("consumer closed");
                }
                Delivery d = next;
                next = null;
                return d;
            }
        };
    }

    /** {@return the deliveries as a sequential, blocking stream that ends when the consumer closes} */
    public Stream<Delivery> stream() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator(), Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    /** Closes the consumer. */
    @Override
    public void close() {
        consumer.close();
    }
}
