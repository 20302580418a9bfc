package io.gomq.core.topic;

/**
 * How two topic filters relate: whether one covers every topic of the other, and whether they
 * share any topic. Authorization asks these of a SUBSCRIBE's filter against rule filters.
 * A filter that starts with a wildcard never reaches {@code $} topics (MQTT 4.7.2), so such a
 * rule neither covers nor meets a filter that starts with {@code $}.
 */
public final class FilterOverlap {
    private FilterOverlap() {
    }

    /** Whether every topic {@code inner} matches is also matched by {@code outer} (both valid filters). */
    public static boolean covers(String outer, String inner) {
        if (dollarMismatch(outer, inner)) {
            return false;
        }
        String[] o = outer.split("/", -1);
        String[] in = inner.split("/", -1);
        for (int i = 0; i < o.length; i++) {
            if (o[i].equals("#")) {
                return true; // '#' also matches the parent level
            }
            if (i >= in.length || in[i].equals("#")) {
                return false;
            }
            if (!o[i].equals("+") && (in[i].equals("+") || !o[i].equals(in[i]))) {
                return false;
            }
        }
        return o.length == in.length;
    }

    /** Whether some topic is matched by both filters. */
    public static boolean intersects(String a, String b) {
        if (dollarMismatch(a, b) || dollarMismatch(b, a)) {
            return false;
        }
        String[] x = a.split("/", -1);
        String[] y = b.split("/", -1);
        int n = Math.min(x.length, y.length);
        for (int i = 0; i < n; i++) {
            if (x[i].equals("#") || y[i].equals("#")) {
                return true;
            }
            if (!x[i].equals("+") && !y[i].equals("+") && !x[i].equals(y[i])) {
                return false;
            }
        }
        if (x.length == y.length) {
            return true;
        }
        String[] longer = x.length > y.length ? x : y;
        return longer.length == n + 1 && longer[n].equals("#"); // "a/#" meets "a"
    }

    /** {@code wild} starts with a wildcard and {@code other} with '$': the wildcard cannot reach it. */
    private static boolean dollarMismatch(String wild, String other) {
        return !other.isEmpty() && other.charAt(0) == '$' && !wild.isEmpty()
                && (wild.charAt(0) == '+' || wild.charAt(0) == '#');
    }
}
