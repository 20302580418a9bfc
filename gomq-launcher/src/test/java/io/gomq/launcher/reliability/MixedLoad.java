package io.gomq.launcher.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import static io.gomq.launcher.testing.Await.await;

/**
 * The mixed load of the crash loop and the soak: a QoS 1 and a QoS 2 publisher on
 * {@code load/q1} and {@code load/q2}, a QoS 1 publisher of retained messages over 16 topics
 * (keys for compaction), a persistent subscriber (QoS 2) and a clean one (QoS 1) on
 * {@code load/#}. Every client reconnects by itself to the addresses {@code uris} gives. The
 * publishers start once both subscriptions stand: every acknowledged message is the persistent
 * subscriber's.
 */
final class MixedLoad implements AutoCloseable {
    static final int WINDOW = 20;
    /** Broker flags: small segments that roll every few seconds; retention and compaction run every second. */
    static final List<String> SMALL_LOG = List.of("--segment-bytes", "131072", "--segment-roll-ms", "3000",
            "--retention-ms", "60000", "--retention-bytes", "8388608", "--compaction-interval-ms", "1000",
            "--tombstone-retention-ms", "1000");

    final LoadPublisher qos1;
    final LoadPublisher qos2;
    final LoadPublisher retained;
    final LoadSubscriber persistent;
    final LoadSubscriber clean;

    /** @param rate publishes per second of each publisher */
    MixedLoad(String name, int rate, Supplier<String[]> uris) {
        persistent = new LoadSubscriber(name + "-persistent", false, "load/#", 2, uris);
        clean = new LoadSubscriber(name + "-clean", true, "load/#", 1, uris);
        await("subscribers subscribed", Duration.ofSeconds(60), () -> persistent.subscribed() && clean.subscribed());
        qos1 = new LoadPublisher(name + "-q1", "load/q1", 1, false, WINDOW, rate, uris);
        qos2 = new LoadPublisher(name + "-q2", "load/q2", 2, false, WINDOW, rate, uris);
        retained = new LoadPublisher(name + "-r1", "state", 1, true, WINDOW, Math.max(1, rate / 10), uris);
    }

    List<LoadPublisher> publishers() {
        return List.of(qos1, qos2, retained);
    }

    /** The ids of load/# acknowledged so far (QoS 1 and QoS 2). */
    Set<String> acknowledged() {
        Set<String> s = new HashSet<>(qos1.acked());
        s.addAll(qos2.acked());
        return s;
    }

    long acknowledgedCount() {
        long n = 0;
        for (LoadPublisher p : publishers()) {
            n += p.acked().size();
        }
        return n;
    }

    /** Acknowledged ids the persistent subscriber has not received (yet). */
    List<String> missingAtPersistent(Set<String> acknowledged) {
        return persistent.missing(acknowledged);
    }

    /** QoS 2 messages the persistent subscriber received more than once, completed (PUBCOMP) or not. */
    List<String> qos2Duplicates() {
        return persistent.duplicates(qos2.clientId() + "-");
    }

    /** Completed QoS 2 messages (PUBCOMP) the persistent subscriber received more than once. */
    List<String> completedQos2Duplicates() {
        List<String> out = new ArrayList<>();
        for (String id : qos2.acked()) {
            if (persistent.count(id) > 1) {
                out.add(id);
            }
        }
        return out;
    }

    /** Stops the publishers and waits until every publish has its outcome (acknowledged or failed). */
    void stopAndDrain(Duration timeout) throws InterruptedException {
        for (LoadPublisher p : publishers()) {
            p.stopPublishing();
        }
        try {
            await("publishers drained", timeout, () -> publishers().stream().allMatch(LoadPublisher::drained));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + ": " + publishers(), e);
        }
    }

    boolean allConnected() {
        return publishers().stream().allMatch(LoadPublisher::isConnected) && persistent.isConnected()
                && clean.isConnected();
    }

    /** Reconnects of the persistent subscriber that found no session (a lost publisher session fails its in-flight publishes). */
    long sessionsLost() {
        return persistent.sessionsLost();
    }

    @Override
    public void close() {
        for (LoadPublisher p : publishers()) {
            p.close();
        }
        persistent.close();
        clean.close();
    }
}
