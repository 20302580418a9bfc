package io.gomq.core.topic;

import java.nio.charset.StandardCharsets;

/**
 * Validation of topic names and filters, MQTT 3.1.1 section 4.7 and 1.5.3: non-empty, at most
 * 65535 UTF-8 bytes, no U+0000; names carry no wildcard; in filters {@code +} and {@code #}
 * stand alone in their level and {@code #} only last.
 */
public final class Topics {
    public static final int MAX_UTF8_BYTES = 65_535;
    public static final char LEVEL_SEPARATOR = '/';
    public static final char SINGLE_LEVEL = '+';
    public static final char MULTI_LEVEL = '#';
    /** Shared subscriptions (MQTT 5 section 4.8.2, accepted from 3.1.1 clients too): {@code $share/GROUP/FILTER}. */
    public static final String SHARE_PREFIX = "$share/";

    private Topics() {
    }

    /** Throws {@link InvalidTopicException} unless {@code topic} is a valid topic name (to publish to). */
    public static String validateName(String topic) {
        checkCommon(topic, "topic name");
        for (int i = 0; i < topic.length(); i++) {
            char c = topic.charAt(i);
            if (c == SINGLE_LEVEL || c == MULTI_LEVEL) {
                throw new InvalidTopicException("topic name must not contain wildcard '" + c + "': '" + topic + "'");
            }
        }
        return topic;
    }

    /** Throws {@link InvalidTopicException} unless {@code filter} is a valid topic filter (to subscribe to). */
    public static String validateFilter(String filter) {
        checkCommon(filter, "topic filter");
        int levelStart = 0;
        for (int i = 0; i <= filter.length(); i++) {
            if (i == filter.length() || filter.charAt(i) == LEVEL_SEPARATOR) {
                checkFilterLevel(filter, levelStart, i);
                levelStart = i + 1;
            }
        }
        return filter;
    }

    public static boolean isValidName(String topic) {
        try {
            validateName(topic);
            return true;
        } catch (InvalidTopicException e) {
            return false;
        }
    }

    public static boolean isValidFilter(String filter) {
        try {
            validateFilter(filter);
            return true;
        } catch (InvalidTopicException e) {
            return false;
        }
    }

    /** Whether {@code filter} names a shared subscription ({@code $share/...}, valid or not). */
    public static boolean isShared(String filter) {
        return filter.startsWith(SHARE_PREFIX);
    }

    /**
     * The group of a shared subscription filter {@code $share/GROUP/FILTER}: throws
     * {@link InvalidTopicException} unless GROUP is non-empty without {@code / + #} and FILTER
     * is a valid filter.
     */
    public static String shareGroup(String shared) {
        int slash = shared.indexOf(LEVEL_SEPARATOR, SHARE_PREFIX.length());
        if (slash <= SHARE_PREFIX.length()) {
            throw new InvalidTopicException("a shared subscription is $share/GROUP/FILTER, was '" + shared + "'");
        }
        String group = shared.substring(SHARE_PREFIX.length(), slash);
        if (group.indexOf(SINGLE_LEVEL) >= 0 || group.indexOf(MULTI_LEVEL) >= 0) {
            throw new InvalidTopicException("a share name must not contain wildcards: '" + shared + "'");
        }
        validateFilter(shared.substring(slash + 1));
        return group;
    }

    /** The topic filter of a valid shared subscription filter, without {@code $share/GROUP/}. */
    public static String sharedFilter(String shared) {
        return shared.substring(shared.indexOf(LEVEL_SEPARATOR, SHARE_PREFIX.length()) + 1);
    }

    public static boolean hasWildcard(String filter) {
        return filter.indexOf(SINGLE_LEVEL) >= 0 || filter.indexOf(MULTI_LEVEL) >= 0;
    }

    /**
     * Whether {@code topic} (a valid name) matches {@code filter} (a valid filter). A filter
     * that starts with a wildcard does not match a name that starts with {@code $} (4.7.2).
     */
    public static boolean matches(String filter, String topic) {
        if (!topic.isEmpty() && topic.charAt(0) == '$' && !filter.isEmpty()
                && (filter.charAt(0) == SINGLE_LEVEL || filter.charAt(0) == MULTI_LEVEL)) {
            return false;
        }
        int fl = filter.length();
        int tl = topic.length();
        int f = 0;
        int t = 0; // t == tl + 1 once the topic's last level is consumed
        while (true) {
            int fEnd = filter.indexOf(LEVEL_SEPARATOR, f);
            if (fEnd < 0) {
                fEnd = fl;
            }
            if (fEnd - f == 1 && filter.charAt(f) == MULTI_LEVEL) {
                return true; // '#' also matches the parent level: "a/#" matches "a"
            }
            if (t > tl) {
                return false;
            }
            int tEnd = topic.indexOf(LEVEL_SEPARATOR, t);
            if (tEnd < 0) {
                tEnd = tl;
            }
            boolean single = fEnd - f == 1 && filter.charAt(f) == SINGLE_LEVEL;
            if (!single && (fEnd - f != tEnd - t || !filter.regionMatches(f, topic, t, fEnd - f))) {
                return false;
            }
            if (fEnd == fl) {
                return tEnd == tl;
            }
            f = fEnd + 1;
            t = tEnd + 1;
        }
    }

    private static void checkCommon(String s, String what) {
        if (s == null || s.isEmpty()) {
            throw new InvalidTopicException(what + " must not be empty");
        }
        if (s.indexOf('\u0000') >= 0) {
            throw new InvalidTopicException(what + " must not contain U+0000");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                boolean paired = Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
                if (!paired) {
                    throw new InvalidTopicException(what + " is not valid UTF-16/UTF-8 (lone surrogate at " + i + ")");
                }
                i++;
            }
        }
        // fast path: each char is at most 3 UTF-8 bytes
        if (s.length() * 3 > MAX_UTF8_BYTES && s.getBytes(StandardCharsets.UTF_8).length > MAX_UTF8_BYTES) {
            throw new InvalidTopicException(what + " is longer than " + MAX_UTF8_BYTES + " UTF-8 bytes");
        }
    }

    private static void checkFilterLevel(String filter, int start, int end) {
        for (int i = start; i < end; i++) {
            char c = filter.charAt(i);
            if (c == SINGLE_LEVEL || c == MULTI_LEVEL) {
                if (end - start != 1) {
                    throw new InvalidTopicException("wildcard '" + c + "' must occupy a whole level: '" + filter + "'");
                }
                if (c == MULTI_LEVEL && end != filter.length()) {
                    throw new InvalidTopicException("'#' must be the last level: '" + filter + "'");
                }
            }
        }
    }
}
