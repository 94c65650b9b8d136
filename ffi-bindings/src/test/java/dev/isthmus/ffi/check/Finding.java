package dev.isthmus.ffi.check;

/**
 * One difference between a Java binding and the C headers, or one thing that could not be checked
 * as it should: a row of the table the layout check fails with.
 *
 * @param owner  the binding class
 * @param item   the constant, {@code sizeof(type)} or {@code type.member offset}/{@code size}
 * @param java   what the Java side says
 * @param c      what the C compiler says, or why it could not say
 */
record Finding(Class<?> owner, String item, String java, String c) {
}
