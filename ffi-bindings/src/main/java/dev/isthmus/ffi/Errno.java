package dev.isthmus.ffi;

import dev.isthmus.ffi.posix.errno_h;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.net.SocketTimeoutException;

/**
 * Turns an errno into its symbol and into the exception a Java caller expects: the message names the
 * call and the symbol ({@code connect: ECONNREFUSED (Connection refused)}), and the class is the
 * standard subclass where one exists.
 */
public final class Errno {
    private Errno() {
    }

    private static final String[] NAMES = new String[256];

    static {
        // Built from errno_h's own fields so the table cannot drift from the checked constants.
        // EWOULDBLOCK/ENOTSUP alias EAGAIN/EOPNOTSUPP; the first declared name wins.
        for (Field f : errno_h.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == int.class) {
                try {
                    int v = f.getInt(null);
                    if (v >= 0 && v < NAMES.length && NAMES[v] == null) {
                        NAMES[v] = f.getName();
                    }
                } catch (IllegalAccessException e) {
                    throw new ExceptionInInitializerError(e);
                }
            }
        }
    }

    /** The symbol for {@code errno}, e.g. {@code "ECONNREFUSED"}, or {@code "errno 200"} if unknown. */
    public static String name(int errno) {
        String n = errno >= 0 && errno < NAMES.length ? NAMES[errno] : null;
        return n != null ? n : "errno " + errno;
    }

    /** A short English description, as strerror(3) would give, for the errors a network user meets. */
    public static String describe(int errno) {
        return switch (errno) {
            case errno_h.ECONNREFUSED -> "Connection refused";
            case errno_h.ECONNRESET -> "Connection reset by peer";
            case errno_h.EPIPE -> "Broken pipe";
            case errno_h.ETIMEDOUT -> "Connection timed out";
            case errno_h.EADDRINUSE -> "Address already in use";
            case errno_h.EADDRNOTAVAIL -> "Cannot assign requested address";
            case errno_h.EACCES -> "Permission denied";
            case errno_h.EHOSTUNREACH -> "No route to host";
            case errno_h.ENETUNREACH -> "Network is unreachable";
            case errno_h.EMFILE -> "Too many open files";
            case errno_h.ENFILE -> "Too many open files in system";
            case errno_h.EBADF -> "Bad file descriptor";
            case errno_h.EINVAL -> "Invalid argument";
            case errno_h.ENOMEM -> "Cannot allocate memory";
            case errno_h.ENOBUFS -> "No buffer space available";
            case errno_h.ENOSYS -> "Function not implemented";
            case errno_h.EPERM -> "Operation not permitted";
            case errno_h.ENOPROTOOPT -> "Protocol not available";
            case errno_h.ENOTCONN -> "Transport endpoint is not connected";
            case errno_h.ECANCELED -> "Operation canceled";
            case errno_h.EAFNOSUPPORT -> "Address family not supported by protocol";
            case errno_h.EOPNOTSUPP -> "Operation not supported";
            case errno_h.EAGAIN -> "Resource temporarily unavailable";
            case errno_h.EINTR -> "Interrupted system call";
            case errno_h.ECONNABORTED -> "Software caused connection abort";
            case errno_h.EMSGSIZE -> "Message too long";
            default -> null;
        };
    }

    /**
     * The exception for a failed call: {@code call} is the C function's name (or "name(detail)").
     * ECONNREFUSED/ETIMEDOUT from connect are {@link ConnectException}, address errors from bind are
     * {@link BindException}, unreachable hosts {@link NoRouteToHostException}, resets and broken
     * pipes {@link SocketException}.
     */
    public static IOException exception(String call, int errno) {
        String d = describe(errno);
        String msg = call + ": " + name(errno) + (d != null ? " (" + d + ")" : "");
        return switch (errno) {
            case errno_h.ECONNREFUSED -> call.startsWith("send") || call.startsWith("recv")
                    ? new PortUnreachableException(msg) : new ConnectException(msg);
            case errno_h.ETIMEDOUT -> call.startsWith("connect") ? new ConnectException(msg) : new SocketTimeoutException(msg);
            case errno_h.EADDRINUSE, errno_h.EADDRNOTAVAIL -> new BindException(msg);
            case errno_h.EACCES -> call.startsWith("bind") ? new BindException(msg) : new SocketException(msg);
            case errno_h.EHOSTUNREACH, errno_h.ENETUNREACH -> new NoRouteToHostException(msg);
            case errno_h.ECONNRESET, errno_h.EPIPE, errno_h.ENOTCONN, errno_h.ECONNABORTED,
                 errno_h.ENOTSOCK, errno_h.ENOPROTOOPT -> new SocketException(msg);
            default -> new IOException(msg);
        };
    }
}
