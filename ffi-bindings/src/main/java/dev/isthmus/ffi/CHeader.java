package dev.isthmus.ffi;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a binding class that mirrors one C header, in the shape jextract generates.
 *
 * <p>Every {@code public static final} primitive field of the class whose name is spelled like a C
 * macro or enumerator ({@code [A-Z][A-Z0-9_]*}) is a constant of that header. The layout checker in
 * the tests generates a C probe from these declarations, compiles it against the machine's headers
 * and fails on any difference, so a constant added later is checked without anyone remembering to.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface CHeader {
    /** The headers to {@code #include}, in order, e.g. {@code {"sys/socket.h", "netinet/tcp.h"}}. */
    String[] value();

    /** A pkg-config package whose {@code --cflags} the probe compiles with (e.g. {@code libdpdk}), or "". */
    String pkgConfig() default "";
}
