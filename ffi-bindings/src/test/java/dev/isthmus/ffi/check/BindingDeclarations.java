package dev.isthmus.ffi.check;

import dev.isthmus.ffi.CHeader;
import dev.isthmus.ffi.CStruct;
import dev.isthmus.ffi.JavaOnly;
import dev.isthmus.ffi.NewerThanHeaders;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.PaddingLayout;
import java.lang.foreign.StructLayout;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads what the Java bindings declare and turns it into {@link Check}s, grouped by the headers and
 * pkg-config package they need. This is the contract binding classes follow:
 * <ul>
 *   <li>{@code @CHeader}: every {@code public static final} field of type int, long, short or byte
 *       named {@code [A-Z][A-Z0-9_]*} and not {@code @JavaOnly} is a C macro or enumerator of the same
 *       name, compared modulo the field's width.</li>
 *   <li>{@code @CStruct}: {@code public static GroupLayout layout()}; its size is {@code sizeof} the
 *       type; each named member is a C member (offset and size checked), nested groups are recursed
 *       into with C designators ({@code sin_addr.s_addr}); unnamed groups and groups named
 *       {@code $anon...} are C anonymous unions/structs whose members are addressed directly;
 *       padding is skipped; a sequence is checked as a whole, not its elements.</li>
 * </ul>
 * Problems on the Java side itself (a class that fails to initialise, a missing {@code layout()}) are
 * reported as findings rather than thrown, so one bad binding does not hide the others.
 */
final class BindingDeclarations {
    private static final Pattern CONSTANT_NAME = Pattern.compile("[A-Z][A-Z0-9_]*");
    private static final Pattern C_IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final Map<String, ProbeGroup> groups = new LinkedHashMap<>();
    private final List<Finding> problems = new ArrayList<>();

    private BindingDeclarations() {
    }

    /** Reads the declarations of {@code classes}; each is initialised (constants need it). */
    static BindingDeclarations read(List<Class<?>> classes) {
        BindingDeclarations d = new BindingDeclarations();
        for (Class<?> c : classes) {
            d.add(c);
        }
        return d;
    }

    /** The probe groups, in the order their first class was read. */
    List<ProbeGroup> groups() {
        return List.copyOf(groups.values());
    }

    /** What was wrong with the Java side before anything was compiled. */
    List<Finding> problems() {
        return List.copyOf(problems);
    }

    private void add(Class<?> c) {
        CHeader header = c.getAnnotation(CHeader.class);
        CStruct struct = c.getAnnotation(CStruct.class);
        if (header == null && struct == null) {
            problems.add(new Finding(c, "(class)", "no @CHeader or @CStruct", "nothing to check"));
            return;
        }
        try {
            // Constant values of fields that are not compile-time constants exist only after <clinit>.
            Class.forName(c.getName(), true, c.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            Throwable cause = e instanceof ExceptionInInitializerError && e.getCause() != null ? e.getCause() : e;
            problems.add(new Finding(c, "(class initialisation)", "throws " + cause,
                    "binding classes must initialise without the native library (link symbols lazily)"));
            return;
        }
        if (header != null) {
            ProbeGroup g = group(List.of(header.value()), header.pkgConfig(), c);
            addConstants(c, g);
        }
        if (struct != null) {
            ProbeGroup g = group(List.of(struct.includes()), struct.pkgConfig(), c);
            addStruct(c, struct.value(), g);
        }
    }

    private ProbeGroup group(List<String> headers, String pkgConfig, Class<?> owner) {
        for (String h : headers) {
            if (!h.matches("[A-Za-z0-9_./+-]+")) {
                throw new IllegalArgumentException(owner.getName() + ": header name " + h + " is not a plain path");
            }
        }
        ProbeGroup g = groups.computeIfAbsent(String.join("\n", headers) + "\0" + pkgConfig,
                k -> new ProbeGroup(headers, pkgConfig, List.of(), List.of()));
        if (!g.owners().contains(owner)) {
            g.owners().add(owner);
        }
        return g;
    }

    private void addConstants(Class<?> c, ProbeGroup g) {
        for (Field f : c.getDeclaredFields()) {
            int m = f.getModifiers();
            if (!Modifier.isPublic(m) || !Modifier.isStatic(m) || !Modifier.isFinal(m)
                    || !CONSTANT_NAME.matcher(f.getName()).matches() || f.isAnnotationPresent(JavaOnly.class)) {
                continue;
            }
            int bits = bits(f.getType());
            if (bits == 0) {
                continue;
            }
            long value;
            try {
                value = f.getLong(null);
            } catch (IllegalAccessException e) {
                problems.add(new Finding(c, f.getName(), "unreadable: " + e, "-"));
                continue;
            }
            NewerThanHeaders newer = f.getAnnotation(NewerThanHeaders.class);
            g.checks().add(new Check.Constant(c, f.getName(), value, bits, newer == null ? null : newer.value()));
        }
    }

    private static int bits(Class<?> type) {
        if (type == long.class) {
            return 64;
        } else if (type == int.class) {
            return 32;
        } else if (type == short.class) {
            return 16;
        } else if (type == byte.class) {
            return 8;
        }
        return 0;
    }

    private void addStruct(Class<?> c, String cType, ProbeGroup g) {
        if (!cType.matches("[A-Za-z_][A-Za-z0-9_ ]*")) {
            problems.add(new Finding(c, cType, "@CStruct type", "not a C type name"));
            return;
        }
        GroupLayout layout;
        try {
            Method m = c.getMethod("layout");
            if (!Modifier.isStatic(m.getModifiers()) || !GroupLayout.class.isAssignableFrom(m.getReturnType())) {
                problems.add(new Finding(c, cType, "layout() is not static GroupLayout", "cannot check"));
                return;
            }
            layout = (GroupLayout) m.invoke(null);
        } catch (NoSuchMethodException e) {
            problems.add(new Finding(c, cType, "no public static GroupLayout layout()", "cannot check"));
            return;
        } catch (IllegalAccessException | InvocationTargetException e) {
            Throwable cause = e instanceof InvocationTargetException && e.getCause() != null ? e.getCause() : e;
            problems.add(new Finding(c, cType, "layout() throws " + cause, "cannot check"));
            return;
        }
        g.checks().add(new Check.SizeOf(c, cType, layout.byteSize()));
        members(c, cType, layout, "", 0, g.checks());
    }

    /** Walks {@code group}, which starts at {@code base} bytes into the C type, adding member checks. */
    private void members(Class<?> c, String cType, GroupLayout group, String prefix, long base, List<Check> out) {
        long offset = base;
        boolean struct = group instanceof StructLayout;
        for (MemoryLayout m : group.memberLayouts()) {
            long at = struct ? offset : base;
            if (!(m instanceof PaddingLayout)) {
                Optional<String> name = m.name();
                boolean anonymous = name.isEmpty() || name.get().startsWith("$anon");
                if (anonymous && m instanceof GroupLayout inner) {
                    members(c, cType, inner, prefix, at, out);     // C11 anonymous member: look through
                } else if (anonymous) {
                    problems.add(new Finding(c, cType + " member at offset " + at, m.toString(),
                            "unnamed non-group member: name it after the C field or make it padding"));
                } else if (!C_IDENTIFIER.matcher(name.get()).matches()) {
                    problems.add(new Finding(c, cType + "." + prefix + name.get(), "member name", "not a C identifier"));
                } else {
                    String designator = prefix + name.get();
                    out.add(new Check.Member(c, cType, designator, at, m.byteSize()));
                    if (m instanceof GroupLayout inner) {
                        members(c, cType, inner, designator + ".", at, out);
                    }
                }
            }
            if (struct) {
                offset += m.byteSize();
            }
        }
    }
}
