package dev.isthmus.ffi;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a constant that a kernel may support although the build machine's headers do not declare it
 * yet (Debian 12 ships Linux 6.1 UAPI headers and liburing 2.3). The layout checker accepts its
 * absence from the headers, and says so in the test output, but still checks its value wherever the
 * headers do declare it. Any other constant missing from the headers fails the check, so a typo in a
 * name cannot pass unnoticed.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface NewerThanHeaders {
    /** Where the constant first appeared, e.g. {@code "Linux 6.6"}. */
    String value();
}
