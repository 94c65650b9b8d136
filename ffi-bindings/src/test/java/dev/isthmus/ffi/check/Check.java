package dev.isthmus.ffi.check;

/**
 * One thing the layout checker asks the C compiler about, with what the Java binding says it is.
 * Each check becomes one line of the generated C probe.
 */
sealed interface Check {
    /** The binding class the check comes from. */
    Class<?> owner();

    /** What is checked, as a reader of the C header would name it. */
    String describe();

    /**
     * A {@code public static final} integer constant of a {@code @CHeader} class: a C macro or
     * enumerator with the same name.
     *
     * @param bits       the width of the Java field (8, 16, 32 or 64)
     * @param newerThan  the {@code @NewerThanHeaders} value, or null when the headers must declare it
     */
    record Constant(Class<?> owner, String name, long javaValue, int bits, String newerThan) implements Check {
        @Override
        public String describe() {
            return name;
        }
    }

    /** {@code sizeof} a {@code @CStruct} type against {@code layout().byteSize()}. */
    record SizeOf(Class<?> owner, String cType, long javaSize) implements Check {
        @Override
        public String describe() {
            return "sizeof(" + cType + ")";
        }
    }

    /**
     * {@code offsetof} and {@code sizeof} one member of a {@code @CStruct} type.
     *
     * @param designator a C member designator such as {@code sin_addr.s_addr}
     */
    record Member(Class<?> owner, String cType, String designator, long javaOffset, long javaSize)
            implements Check {
        @Override
        public String describe() {
            return cType + "." + designator;
        }
    }
}
