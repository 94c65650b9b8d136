package dev.isthmus.ffi.check;

import dev.isthmus.ffi.CHeader;
import dev.isthmus.ffi.CStruct;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Finds every binding class ({@code @CHeader} or {@code @CStruct}) of a package tree by listing the
 * directory or jar the package was loaded from, so a binding added later is checked without anyone
 * registering it. Classes are loaded without being initialised; the annotations alone decide.
 */
final class BindingScanner {
    private BindingScanner() {
    }

    /**
     * The binding classes in {@code packageName} and its subpackages, found next to {@code anchor}
     * (a class of the same code source), sorted by name.
     */
    static List<Class<?>> scan(Class<?> anchor, String packageName) {
        Path location = location(anchor);
        String prefix = packageName.replace('.', '/') + "/";
        TreeSet<String> names = new TreeSet<>();
        try {
            if (Files.isDirectory(location)) {
                Path root = location.resolve(prefix);
                try (Stream<Path> files = Files.walk(root)) {
                    files.filter(p -> p.toString().endsWith(".class"))
                            .map(p -> location.relativize(p).toString().replace('\\', '/'))
                            .forEach(names::add);
                }
            } else {
                try (JarFile jar = new JarFile(location.toFile())) {
                    for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                        String n = e.nextElement().getName();
                        if (n.startsWith(prefix) && n.endsWith(".class")) {
                            names.add(n);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the classes at " + location, e);
        }
        List<Class<?>> found = new ArrayList<>();
        for (String file : names) {
            String name = file.substring(0, file.length() - ".class".length()).replace('/', '.');
            if (name.endsWith("module-info") || name.endsWith("package-info")) {
                continue;
            }
            Class<?> c = load(name, anchor.getClassLoader());
            if (c.isAnnotationPresent(CHeader.class) || c.isAnnotationPresent(CStruct.class)) {
                found.add(c);
            }
        }
        return found;
    }

    private static Class<?> load(String name, ClassLoader loader) {
        try {
            return Class.forName(name, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalStateException("cannot load " + name + " to read its annotations: " + e, e);
        }
    }

    private static Path location(Class<?> anchor) {
        CodeSource source = anchor.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            throw new IllegalStateException("no code source for " + anchor.getName() + ": cannot list its package");
        }
        try {
            return Path.of(source.getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("bad code source " + source.getLocation(), e);
        }
    }
}
