package io.gomq.bench.load;

import picocli.CommandLine;

/** {@code --protocol}: 3.1.1 (also 4 or 3) or 5, as MQTT protocol levels 4 and 5. */
public final class ProtocolLevel implements CommandLine.ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
        return switch (value.trim()) {
            case "3.1.1", "4", "3" -> 4;
            case "5", "5.0" -> 5;
            default -> throw new CommandLine.TypeConversionException("expected 3.1.1 or 5, got '" + value + "'");
        };
    }
}
