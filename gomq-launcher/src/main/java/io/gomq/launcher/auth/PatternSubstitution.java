package io.gomq.launcher.auth;

import io.gomq.core.auth.Principal;

/**
 * {@code %u} (user name) and {@code %c} (client id) in a {@code pattern} line, as Mosquitto does.
 * A pattern with {@code %u} does not apply to anonymous clients. A name or id holding a
 * wildcard ({@code +}, {@code #}) must not widen a grant: such a grant does not apply, and a
 * deny pattern then denies the level for every value ({@code +}), which only narrows.
 */
final class PatternSubstitution {
    private PatternSubstitution() {
    }

    /** The rule for {@code p}, or null when it does not apply. */
    static AclRule apply(AclRule pattern, Principal p) {
        String f = pattern.filter();
        boolean user = f.contains("%u");
        boolean client = f.contains("%c");
        if (!user && !client) {
            return pattern;
        }
        if (user && p.username() == null) {
            return null;
        }
        boolean unsafe = (user && hasWildcard(p.username())) || (client && hasWildcard(p.clientId()));
        if (unsafe) {
            return pattern.deny() ? pattern.withFilter(anyValue(f)) : null;
        }
        String s = f;
        if (user) {
            s = s.replace("%u", p.username());
        }
        if (client) {
            s = s.replace("%c", p.clientId());
        }
        return pattern.withFilter(s);
    }

    private static boolean hasWildcard(String s) {
        return s.indexOf('+') >= 0 || s.indexOf('#') >= 0;
    }

    /** Every level holding %u or %c becomes '+'. */
    private static String anyValue(String filter) {
        String[] levels = filter.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            if (levels[i].contains("%u") || levels[i].contains("%c")) {
                levels[i] = "+";
            }
        }
        return String.join("/", levels);
    }
}
