package io.gomq.launcher.cli;

import java.util.Locale;

/** The MQTT version gomqctl speaks: {@code --protocol 3.1.1} (the default; every broker) or {@code 5}. */
enum MqttProtocol {
    V3_1_1("3.1.1"),
    V5("5");

    private final String label;

    MqttProtocol(String label) {
        this.label = label;
    }

    /** Also takes the protocol level ({@code 4}) and the usual spellings ({@code mqttv5}, {@code v311}, {@code 5.0}). */
    static MqttProtocol parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        if (s.startsWith("mqtt")) {
            s = s.substring(4);
        }
        if (s.startsWith("v")) {
            s = s.substring(1);
        }
        switch (s) {
            case "3.1.1": case "311": case "4": return V3_1_1;
            case "5": case "5.0": return V5;
            default: throw new IllegalArgumentException("--protocol expects 3.1.1 or 5, not '" + text + "'");
        }
    }

    @Override
    public String toString() {
        return label;
    }
}
