package io.gomq.bench;

import io.gomq.client.PublishReceipt;
import io.gomq.core.config.BrokerConfig;
import io.gomq.core.engine.EngineMetrics;
import io.gomq.core.message.Message;
import io.gomq.core.message.Qos;
import org.jctools.queues.MpscArrayQueue;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One producer thread, one subscriber, QoS 0 messages of {@value #PAYLOAD_BYTES} bytes: the
 * embedded broker ({@link #embedded}) against its limit, a bare JCTools {@link MpscArrayQueue}
 * of the broker's queue capacity with one thread polling it ({@link #rawQueue}).
 *
 * <p>Read the secondary score {@code :delivered}: messages the subscriber received per second.
 * The primary score counts publishes (offers); the two agree unless the broker dropped messages,
 * which the trial's end reports (and a message neither delivered nor counted as dropped fails it).
 * Both sides publish one pre-built message instance (QoS 0 messages are immutable and routed by
 * reference), so neither measures message allocation.
 *
 * <p>Thread layout, the same on both sides: the JMH thread publishes; one other thread receives
 * (the broker's single dispatcher thread running the consumer's handler, or the raw side's
 * polling thread). A full queue holds the producer back on both sides until it has drained to a
 * quarter: the broker paces it through the publish future, the raw side waits for it. Waiting
 * threads give their core away on both sides ({@link #idle}).
 */
public class OneProducerOneSubscriberBenchmark extends ForkedBenchmark {
    static final String TOPIC = "bench/a";
    static final int PAYLOAD_BYTES = 100;
    /** The broker's default subscriber-queue capacity; the raw queue gets the same. */
    static final int QUEUE_CAPACITY = 4096;
    private static final long DRAIN_TIMEOUT_MS = 5_000;
    private static final int SPINS_BEFORE_YIELD = 100;
    /** Where the raw producer resumes after finding the queue full: the broker's low watermark (1/4). */
    private static final int RESUME_SIZE = QUEUE_CAPACITY / 4;

    @Benchmark
    public PublishReceipt embedded(EmbeddedPath path) {
        path.published++;
        CompletableFuture<PublishReceipt> f = path.b.producer.publishCore(path.message);
        if (!f.isDone()) {
            path.pacedWaits++; // the subscriber queue is congested: wait for room, as a real producer must
        }
        return f.join(); // at once unless paced; rethrows a failed publish
    }

    @Benchmark
    public void rawQueue(RawQueuePath path) {
        path.published++;
        while (!path.queue.offer(path.message)) {
            path.fullWaits++;
            // full: wait until it has drained to a quarter, as the broker's pacing does (it pauses a
            // producer at 3/4 and resumes it at 1/4). Retrying for every free slot would keep both
            // threads on the same cache lines and cost the limit up to ten times.
            for (int attempt = 0; path.queue.size() > RESUME_SIZE; attempt++) {
                idle(attempt);
            }
        }
    }

    /** The embedded broker: memory-only, one dispatcher thread, one consumer with a counting handler. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class EmbeddedPath {
        private CountingBroker b;
        private Message message;
        private long published;
        private long pacedWaits;

        @Setup(Level.Trial)
        public void start() {
            b = new CountingBroker(BrokerConfig.defaults().persistent(false).maxQueuedMessages(QUEUE_CAPACITY), TOPIC);
            message = newMessage();
        }

        @Setup(Level.Iteration)
        public void markIteration() {
            b.counter.markIteration();
        }

        /** Messages the consumer's handler received this iteration: JMH reports it per second. */
        public long delivered() {
            return b.counter.sinceMark();
        }

        @TearDown(Level.Trial)
        public void stop() {
            EngineMetrics m = b.broker.engine().metrics();
            DeliveryCounter counter = b.counter;
            boolean drained = counter.awaitTotal(published - m.droppedQos0.sum() - m.droppedQos1.sum());
            long dropped = m.droppedQos0.sum() + m.droppedQos1.sum();
            System.out.printf("%nembedded: published=%d delivered=%d droppedQos0=%d droppedQos1=%d pacedPublishes=%d"
                            + " pacedWaits=%d handlerErrors=%d%n", published, counter.total(), m.droppedQos0.sum(),
                    m.droppedQos1.sum(), m.pacedPublishers.sum(), pacedWaits, b.consumer.handlerErrors());
            if (dropped != 0) {
                System.out.printf("WARNING: the broker dropped %d of %d messages although the producer honoured pacing;"
                        + " only the delivered rate is a fair figure%n", dropped, published);
            }
            b.close();
            if (!drained) {
                throw new IllegalStateException("messages unaccounted for: published " + published + ", delivered "
                        + counter.total() + ", dropped " + dropped);
            }
        }
    }

    /** The limit: a bare MPSC array queue and one thread polling it (spin, then yield). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class RawQueuePath {
        private final DeliveryCounter counter = new DeliveryCounter();
        private MpscArrayQueue<Message> queue;
        private Message message;
        private Thread subscriber;
        private volatile boolean running;
        private long published;
        private long fullWaits;

        @Setup(Level.Trial)
        public void start() {
            queue = new MpscArrayQueue<>(QUEUE_CAPACITY);
            message = newMessage();
            running = true;
            subscriber = new Thread(this::pollUntilStopped, "raw-subscriber");
            subscriber.setDaemon(true);
            subscriber.start();
        }

        private void pollUntilStopped() {
            int attempt = 0;
            while (running) {
                Message m = queue.poll();
                if (m != null) {
                    counter.increment();
                    attempt = 0;
                } else {
                    idle(attempt++);
                }
            }
        }

        @Setup(Level.Iteration)
        public void markIteration() {
            counter.markIteration();
        }

        /** Messages the polling thread received this iteration: JMH reports it per second. */
        public long delivered() {
            return counter.sinceMark();
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            boolean drained = counter.awaitTotal(published);
            running = false;
            subscriber.join(DRAIN_TIMEOUT_MS);
            System.out.printf("%nrawQueue: published=%d delivered=%d fullWaits=%d%n", published, counter.total(), fullWaits);
            if (!drained) {
                throw new IllegalStateException("raw queue: published " + published + ", delivered " + counter.total());
            }
        }
    }

    /**
     * How a side waits for room or for work: spin briefly, then yield the core. The broker's
     * threads park while they wait; a raw side that only spins would, on two cores shared with
     * anything else, burn its time slice while the other side waits for a core, and measure the
     * scheduler instead of the queue.
     */
    static void idle(int attempt) {
        if (attempt < SPINS_BEFORE_YIELD) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
    }

    static Message newMessage() {
        byte[] payload = new byte[PAYLOAD_BYTES];
        Arrays.fill(payload, (byte) 'x');
        return Message.wrap(TOPIC, null, payload, Qos.AT_MOST_ONCE, false, System.currentTimeMillis());
    }

    public static void main(String[] args) throws RunnerException {
        new Runner(new OptionsBuilder().include(OneProducerOneSubscriberBenchmark.class.getName()).build()).run();
    }
}
