package io.gomq.core.auth;

/** What a client wants to do with a topic. */
public enum Access {
    /** Subscribe to it and receive its messages. */
    READ("read"),
    /** Publish to it. */
    WRITE("write");

    private final String word;

    Access(String word) {
        this.word = word;
    }

    /** The word in audit lines and ACL files. */
    public String word() {
        return word;
    }
}
