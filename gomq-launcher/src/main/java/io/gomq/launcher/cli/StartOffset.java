package io.gomq.launcher.cli;

/** Where {@code sub --from} and {@code list --from} start: earliest, latest (live only) or an offset. */
record StartOffset(long offset, boolean latest) {
    static final StartOffset EARLIEST = new StartOffset(0, false);
    static final StartOffset LATEST = new StartOffset(-1, true);

    static StartOffset parse(String text) {
        switch (text.trim()) {
            case "earliest": return EARLIEST;
            case "latest": return LATEST;
            default:
                try {
                    long v = Long.parseLong(text.trim());
                    if (v >= 0) {
                        return new StartOffset(v, false);
                    }
                } catch (NumberFormatException e) {
                    // reported below
                }
                throw new IllegalArgumentException("--from expects earliest, latest or an offset >= 0, not '" + text + "'");
        }
    }
}
