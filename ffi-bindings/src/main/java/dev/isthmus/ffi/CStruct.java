package dev.isthmus.ffi;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a binding class that mirrors one C struct or union, in the shape jextract generates: a
 * {@code public static GroupLayout layout()} whose member names are the C field names, plus
 * accessors named like the fields.
 *
 * <p>The layout checker compares {@code sizeof} the type, and {@code offsetof}/{@code sizeof} of
 * every named member (recursing into nested groups; members named {@code $anon...} stand for C's
 * anonymous unions and structs and are looked through), with what the C compiler says.
 * Padding members ({@link java.lang.foreign.PaddingLayout}) are not checked.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface CStruct {
    /** The C type as written in C, e.g. {@code "struct sockaddr_in"}. */
    String value();

    /** The headers that declare it. */
    String[] includes();

    /** A pkg-config package whose {@code --cflags} the probe compiles with, or "". */
    String pkgConfig() default "";
}
