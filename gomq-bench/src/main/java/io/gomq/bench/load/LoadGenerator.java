package io.gomq.bench.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * The network load generator: publishers and subscribers over real MQTT 3.1.1 connections
 * (the HiveMQ client, so every broker is measured with the same third-party client) against
 * any broker on this machine. Reports acknowledged publishes and deliveries per second over
 * the measured interval, end-to-end latency percentiles, and every message lost or delivered
 * twice; exits 1 when a QoS 1/2 message that was acknowledged never arrived.
 *
 * <pre>java -jar gomq-bench/target/benchmarks.jar load --url tcp://127.0.0.1:1883 --qos 1</pre>
 *
 * {@code gomq-bench/compare-brokers.sh} runs the same load against GoMQ and Mosquitto.
 */
@Command(name = "load", mixinStandardHelpOptions = true, sortOptions = false,
        description = "MQTT load against a broker on this machine: throughput, latency, losses.")
public final class LoadGenerator implements Callable<Integer> {
    private static final long CONNECT_TIMEOUT_S = 10;
    private static final long DRAIN_IDLE_MS = 3_000;

    @Mixin
    LoadOptions o;
    /** The last run's figures (tests). */
    Result result;

    public static void main(String[] args) {
        System.exit(new CommandLine(new LoadGenerator()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        String problem = o.problem();
        if (problem != null) {
            System.err.println("load: " + problem);
            return 2;
        }
        String run = Long.toHexString(System.nanoTime());
        String prefix = "gomq-load/" + run + "/";
        List<LoadClient> clients = new ArrayList<>();
        List<LoadSubscriber> subscribers = new ArrayList<>();
        List<LoadPublisher> publishers = new ArrayList<>();
        try {
            for (int i = 0; i < o.subscribers; i++) {
                LoadSubscriber s = new LoadSubscriber(o.publishers, o.latencyLog == null ? null : LatencyLog.sizedFor(o));
                LoadClient c = LoadClient.connect(o, "load-" + run + "-s" + i, CONNECT_TIMEOUT_S, o.persistentSubscribers);
                clients.add(c);
                c.subscribe(prefix + "#", MqttQos.fromCode(o.qos), s::onMessage).get(CONNECT_TIMEOUT_S, TimeUnit.SECONDS);
                subscribers.add(s);
            }
            for (int i = 0; i < o.publishers; i++) {
                LoadClient c = LoadClient.connect(o, "load-" + run + "-p" + i, CONNECT_TIMEOUT_S);
                clients.add(c);
                publishers.add(new LoadPublisher(c, i, prefix + (i % o.topicCount()), o));
            }
            publishers.forEach(LoadPublisher::start);
            Thread.sleep(o.warmup.toMillis());

            long acked0 = acked(publishers);
            long received0 = received(subscribers);
            subscribers.forEach(LoadSubscriber::measure);
            long t0 = System.nanoTime();
            Thread.sleep(o.duration.toMillis());
            long t1 = System.nanoTime();
            long acked1 = acked(publishers);
            long received1 = received(subscribers);
            Histogram latency = new Histogram(3);
            for (LoadSubscriber s : subscribers) {
                latency.add(s.stopMeasuring());
            }

            for (LoadPublisher p : publishers) {
                p.stop(5_000);
            }
            boolean answered = true;
            for (LoadPublisher p : publishers) {
                answered &= p.awaitAnswers(10_000);
            }
            long acked = acked(publishers);
            awaitDeliveries(subscribers, acked);
            if (o.latencyLog != null) { // once nothing more arrives: the ring holds still
                LatencyLog.write(o.latencyLog, subscribers.stream().map(LoadSubscriber::log).toList(), t0);
            }
            Result r = new Result(o, (t1 - t0) / 1e9, acked1 - acked0, received1 - received0, latency, acked,
                    publishers.stream().mapToLong(LoadPublisher::failed).sum(), subscribers, answered);
            r.print();
            result = r;
            return o.qos > 0 && r.lost > 0 ? 1 : 0;
        } finally {
            for (LoadClient c : clients) {
                try {
                    c.disconnect().get(2, TimeUnit.SECONDS);
                } catch (Exception ignored) {
                    // the run is over; a broker that went away takes its connections with it
                }
            }
        }
    }

    /** Waits until every subscriber has every acknowledged message, or nothing arrived for a while. */
    private static void awaitDeliveries(List<LoadSubscriber> subscribers, long acked) throws InterruptedException {
        long last = -1;
        long idleSince = System.nanoTime();
        while (true) {
            long min = Long.MAX_VALUE;
            long total = 0;
            for (LoadSubscriber s : subscribers) {
                min = Math.min(min, s.unique());
                total += s.received();
            }
            if (subscribers.isEmpty() || min >= acked) {
                return;
            }
            if (total != last) {
                last = total;
                idleSince = System.nanoTime();
            } else if (System.nanoTime() - idleSince > TimeUnit.MILLISECONDS.toNanos(DRAIN_IDLE_MS)) {
                return;
            }
            Thread.sleep(20);
        }
    }

    private static long acked(List<LoadPublisher> publishers) {
        return publishers.stream().mapToLong(LoadPublisher::acked).sum();
    }

    private static long received(List<LoadSubscriber> subscribers) {
        return subscribers.stream().mapToLong(LoadSubscriber::received).sum();
    }

    /** What one run measured. */
    static final class Result {
        final LoadOptions o;
        final double seconds;
        final double publishedPerSecond;
        final double deliveredPerSecond;
        final Histogram latency;
        final long acked;
        final long failed;
        final long lost;
        final long duplicates;
        /** Distinct messages all subscribers together received, counted after the drain. */
        final long deliveredDistinct;
        final boolean answered;

        Result(LoadOptions o, double seconds, long published, long delivered, Histogram latency, long acked,
               long failed, List<LoadSubscriber> subscribers, boolean answered) {
            this.o = o;
            this.seconds = seconds;
            this.publishedPerSecond = published / seconds;
            this.deliveredPerSecond = delivered / seconds;
            this.latency = latency;
            this.acked = acked;
            this.failed = failed;
            this.answered = answered;
            long lostSum = 0;
            long dupSum = 0;
            long distinct = 0;
            for (LoadSubscriber s : subscribers) {
                lostSum += Math.max(0, acked - s.unique());
                dupSum += s.duplicates();
                distinct += s.unique();
            }
            this.deliveredDistinct = distinct;
            this.lost = lostSum;
            this.duplicates = dupSum;
        }

        void print() throws Exception {
            String label = o.label.isEmpty() ? o.url.toString() : o.label + " (" + o.url + ")";
            System.out.printf("%s: MQTT %s, QoS %d, %d B, %d publisher(s) -> %d topic(s), %d %ssubscriber(s), window %d, %.1f s measured%s%n",
                    label, o.protocol == 5 ? "5" : "3.1.1", o.qos, o.payloadBytes, o.publishers, o.topicCount(), o.subscribers,
                    o.persistentSubscribers ? "persistent " : "", o.window, seconds,
                    o.pacedOnClientLoops() ? ", paced on the client's event loop" : "");
            System.out.printf("  published  %,12.0f msg/s (%s)%n", publishedPerSecond,
                    o.qos == 0 ? "written" : "acknowledged");
            System.out.printf("  delivered  %,12.0f msg/s (all subscribers)%n", deliveredPerSecond);
            System.out.printf("  latency    p50 %,d us  p90 %,d us  p99 %,d us  p99.9 %,d us  max %,d us%n",
                    latency.getValueAtPercentile(50), latency.getValueAtPercentile(90),
                    latency.getValueAtPercentile(99), latency.getValueAtPercentile(99.9), latency.getMaxValue());
            System.out.printf("  lost %d, duplicates %d, failed publishes %d%s%n", lost, duplicates, failed,
                    answered ? "" : ", some publishes never answered");
            if (o.json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("label", o.label);
                m.put("url", o.url.toString());
                m.put("protocol", o.protocol == 5 ? "5" : "3.1.1");
                m.put("qos", o.qos);
                m.put("payload_bytes", o.payloadBytes);
                m.put("publishers", o.publishers);
                m.put("subscribers", o.subscribers);
                m.put("persistent_subscribers", o.persistentSubscribers);
                m.put("published_per_s", Math.round(publishedPerSecond));
                m.put("delivered_per_s", Math.round(deliveredPerSecond));
                m.put("latency_p50_us", latency.getValueAtPercentile(50));
                m.put("latency_p99_us", latency.getValueAtPercentile(99));
                m.put("latency_p999_us", latency.getValueAtPercentile(99.9));
                m.put("latency_max_us", latency.getMaxValue());
                m.put("acknowledged", acked);
                m.put("lost", lost);
                m.put("duplicates", duplicates);
                m.put("failed", failed);
                System.out.println(new ObjectMapper().writeValueAsString(m));
            }
        }
    }
}
