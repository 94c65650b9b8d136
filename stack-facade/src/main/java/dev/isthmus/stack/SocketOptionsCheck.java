package dev.isthmus.stack;

import java.net.SocketOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** Validates socket option values; backends call {@link #checkValue} in {@code setOption}. Validates option maps up front, so a value of the wrong type fails where it is given, with names. */
public final class SocketOptionsCheck {
    private SocketOptionsCheck() {
    }

    static Map<SocketOption<?>, Object> copyChecked(Map<SocketOption<?>, Object> options) {
        Objects.requireNonNull(options, "socketOptions");
        Map<SocketOption<?>, Object> copy = new LinkedHashMap<>();
        options.forEach((k, v) -> {
            checkValue(k, v);
            copy.put(k, v);
        });
        return Collections.unmodifiableMap(copy);
    }

    /** Fails with IllegalArgumentException unless {@code value} is a non-null instance of the option's type. */
    public static void checkValue(SocketOption<?> option, Object value) {
        Objects.requireNonNull(option, "socket option");
        if (value == null) {
            throw new IllegalArgumentException("socket option " + option.name() + " needs a value of type "
                    + option.type().getSimpleName() + ", was null");
        }
        if (!option.type().isInstance(value)) {
            throw new IllegalArgumentException("socket option " + option.name() + " needs a value of type "
                    + option.type().getSimpleName() + ", was " + value.getClass().getSimpleName() + " " + value);
        }
    }
}
