package io.gomq.core.topic;

import io.gomq.core.message.Qos;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Subscriptions by topic filter, matched against topic names with MQTT's {@code +} and
 * {@code #} wildcards.
 *
 * <p>Thread rules: {@link #match} runs on any publisher thread and takes no lock; it reads
 * nodes whose subscriber arrays are replaced, never mutated (copy-on-write). Subscribe and
 * unsubscribe are serialized by the tree's monitor: they are rare next to publishes.
 *
 * <p>Design note: a publish in steady state allocates nothing here. The match result for a
 * topic is cached and stamped with the tree's version; any subscription change bumps the
 * version, so a stale entry is recomputed on its next use. The cache is cleared when it
 * passes its bound, which keeps memory bounded with many one-off topics.
 */
public final class TopicTree<S> {
    private static final int DEFAULT_CACHE_LIMIT = 65_536;

    private final Node<S> root = new Node<>(null, null);
    private final ConcurrentHashMap<String, CachedTargets<S>> cache = new ConcurrentHashMap<>();
    private final int cacheLimit;
    private volatile long version;
    private int subscriptionCount;

    public TopicTree() {
        this(DEFAULT_CACHE_LIMIT);
    }

    public TopicTree(int cacheLimit) {
        this.cacheLimit = cacheLimit;
    }

    /** Adds or replaces (same subscriber, same filter) a subscription. Returns true if it is new. */
    public boolean subscribe(String filter, S subscriber, Qos qos) {
        return subscribe(filter, subscriber, SubscriptionOptions.of(qos));
    }

    /** Adds or replaces (same subscriber, same filter) a subscription with its options. Returns true if it is new. */
    public synchronized boolean subscribe(String filter, S subscriber, SubscriptionOptions options) {
        Topics.validateFilter(filter);
        Node<S> node = root;
        for (String level : levels(filter)) {
            node = node.childOrCreate(level);
        }
        boolean added = node.put(subscriber, options);
        if (added) {
            subscriptionCount++;
        }
        version++;
        return added;
    }

    /** Removes a subscription. Returns true if it existed. */
    public synchronized boolean unsubscribe(String filter, S subscriber) {
        if (!Topics.isValidFilter(filter)) {
            return false;
        }
        Node<S> node = root;
        for (String level : levels(filter)) {
            node = node.children.get(level);
            if (node == null) {
                return false;
            }
        }
        boolean removed = node.remove(subscriber);
        if (removed) {
            subscriptionCount--;
            node.pruneUpwards();
            version++;
        }
        return removed;
    }

    public synchronized int subscriptionCount() {
        return subscriptionCount;
    }

    /** Whether {@code topic} was matched before: it is in the match cache, so it was a valid name. */
    public boolean isKnownTopic(String topic) {
        return cache.containsKey(topic);
    }

    /** Everyone subscribed to a filter matching {@code topic} (a valid topic name). */
    public Targets<S> match(String topic) {
        long v = version;
        CachedTargets<S> cached = cache.get(topic);
        if (cached != null && cached.version == v) {
            return cached.targets;
        }
        Targets<S> targets = compute(topic);
        if (cache.size() >= cacheLimit) {
            cache.clear();
        }
        cache.put(topic, new CachedTargets<>(v, targets));
        return targets;
    }

    private Targets<S> compute(String topic) {
        Collector<S> out = new Collector<>();
        boolean dollar = topic.startsWith("$");
        collect(root, topic, 0, dollar, out);
        return out.toTargets();
    }

    /** Walks one level of the topic starting at {@code from}; {@code from > length} means the topic is used up. */
    private void collect(Node<S> node, String topic, int from, boolean skipWildcards, Collector<S> out) {
        if (!skipWildcards) {
            Node<S> hash = node.children.get("#");
            if (hash != null) {
                out.addAll(hash); // '#' matches this level and everything below, including the parent
            }
        }
        if (from > topic.length()) {
            out.addAll(node);
            return;
        }
        int end = topic.indexOf(Topics.LEVEL_SEPARATOR, from);
        if (end < 0) {
            end = topic.length();
        }
        Node<S> exact = node.children.get(topic.substring(from, end));
        if (exact != null) {
            collect(exact, topic, end + 1, false, out);
        }
        if (!skipWildcards) {
            Node<S> plus = node.children.get("+");
            if (plus != null) {
                collect(plus, topic, end + 1, false, out);
            }
        }
    }

    private static List<String> levels(String filter) {
        List<String> levels = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= filter.length(); i++) {
            if (i == filter.length() || filter.charAt(i) == Topics.LEVEL_SEPARATOR) {
                levels.add(filter.substring(start, i));
                start = i + 1;
            }
        }
        return levels;
    }

    private record CachedTargets<S>(long version, Targets<S> targets) {
    }

    /**
     * Dedupes subscribers across overlapping filters: one target each, at the highest QoS of its
     * matching subscriptions, with the MQTT 5 options merged (see {@link Targets}).
     */
    private static final class Collector<S> {
        private final Map<Object, Merged> best = new IdentityHashMap<>();
        private final List<Object> order = new ArrayList<>();
        private boolean anyOptions;

        void addAll(Node<S> node) {
            for (Entry e : node.entries) {
                Merged m = best.get(e.subscriber());
                if (m == null) {
                    order.add(e.subscriber());
                    m = new Merged();
                    best.put(e.subscriber(), m);
                }
                m.add(e.options());
                anyOptions |= e.options().hasOptions();
            }
        }

        Targets<S> toTargets() {
            if (order.isEmpty()) {
                return Targets.none();
            }
            Object[] subs = order.toArray();
            Qos[] granted = new Qos[subs.length];
            Qos[] local = anyOptions ? new Qos[subs.length] : null;
            boolean[] asPublished = anyOptions ? new boolean[subs.length] : null;
            int[][] ids = anyOptions ? new int[subs.length][] : null;
            for (int i = 0; i < subs.length; i++) {
                Merged m = best.get(subs[i]);
                granted[i] = m.qos;
                if (anyOptions) {
                    local[i] = m.localQos;
                    asPublished[i] = m.retainAsPublished;
                    ids[i] = m.ids == null ? null : m.ids.stream().mapToInt(Integer::intValue).sorted().toArray();
                }
            }
            return new Targets<>(subs, granted, local, asPublished, ids);
        }
    }

    /** One subscriber's matching subscriptions together. */
    private static final class Merged {
        Qos qos;
        /** The highest QoS among subscriptions without No Local: what its own messages get; null for none. */
        Qos localQos;
        boolean retainAsPublished;
        List<Integer> ids;

        void add(SubscriptionOptions o) {
            qos = qos == null || o.qos().ordinal() > qos.ordinal() ? o.qos() : qos;
            if (!o.noLocal()) {
                localQos = localQos == null || o.qos().ordinal() > localQos.ordinal() ? o.qos() : localQos;
            }
            retainAsPublished |= o.retainAsPublished();
            if (o.subscriptionId() != 0) {
                if (ids == null) {
                    ids = new ArrayList<>(2);
                }
                if (!ids.contains(o.subscriptionId())) {
                    ids.add(o.subscriptionId());
                }
            }
        }
    }

    private record Entry(Object subscriber, SubscriptionOptions options) {
    }

    private static final class Node<S> {
        private static final Entry[] EMPTY = new Entry[0];

        final Node<S> parent;
        final String level;
        final ConcurrentHashMap<String, Node<S>> children = new ConcurrentHashMap<>(4);
        /** Replaced, never mutated: readers see one consistent array. */
        volatile Entry[] entries = EMPTY;

        Node(Node<S> parent, String level) {
            this.parent = parent;
            this.level = level;
        }

        Node<S> childOrCreate(String level) {
            return children.computeIfAbsent(level, l -> new Node<>(this, l));
        }

        boolean put(S subscriber, SubscriptionOptions granted) {
            Entry[] old = entries;
            for (int i = 0; i < old.length; i++) {
                if (old[i].subscriber() == subscriber) {
                    Entry[] copy = old.clone();
                    copy[i] = new Entry(subscriber, granted);
                    entries = copy;
                    return false;
                }
            }
            Entry[] copy = Arrays.copyOf(old, old.length + 1);
            copy[old.length] = new Entry(subscriber, granted);
            entries = copy;
            return true;
        }

        boolean remove(S subscriber) {
            Entry[] old = entries;
            for (int i = 0; i < old.length; i++) {
                if (old[i].subscriber() == subscriber) {
                    Entry[] copy = new Entry[old.length - 1];
                    System.arraycopy(old, 0, copy, 0, i);
                    System.arraycopy(old, i + 1, copy, i, old.length - i - 1);
                    entries = copy;
                    return true;
                }
            }
            return false;
        }

        void pruneUpwards() {
            Node<S> node = this;
            while (node.parent != null && node.entries.length == 0 && node.children.isEmpty()) {
                node.parent.children.remove(node.level, node);
                node = node.parent;
            }
        }
    }
}
