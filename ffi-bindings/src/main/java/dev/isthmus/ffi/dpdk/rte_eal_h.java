package dev.isthmus.ffi.dpdk;

import dev.isthmus.ffi.CHeader;
import dev.isthmus.ffi.Native;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * {@code <rte_eal.h>}, {@code <rte_lcore.h>}, {@code <rte_memory.h>} and {@code <rte_version.h>} of
 * DPDK 22.11 (with {@code <rte_dev.h>}): EAL start and stop, device hot-plug, the NUMA socket, the
 * version string. Loads DPDK on first call only.
 */
@CHeader(value = {"rte_eal.h", "rte_lcore.h", "rte_memory.h", "rte_version.h", "rte_dev.h"}, pkgConfig = "libdpdk")
public final class rte_eal_h {
    private rte_eal_h() {
    }

    /** Any NUMA socket, for rte_pktmbuf_pool_create and the queue setup calls. */
    public static final int SOCKET_ID_ANY = -1;

    private static final class rte_eal_init$ {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT, ValueLayout.ADDRESS);
        static final MethodHandle HANDLE = Dpdk.call("rte_eal_init", DESC);
    }

    /**
     * {@code int rte_eal_init(int argc, char **argv)}: the number of arguments parsed, or -1 with
     * {@link Dpdk#rte_errno()} set. Callable once per process; {@code argv} must outlive the EAL
     * (it keeps pointers into it), so allocate it from a global or long-lived arena.
     */
    public static int rte_eal_init(int argc, MemorySegment argv) {
        try {
            return (int) rte_eal_init$.HANDLE.invokeExact(argc, argv);
        } catch (Throwable t) {
            throw Native.rethrow("rte_eal_init", t);
        }
    }

    private static final class rte_eal_cleanup$ {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(ValueLayout.JAVA_INT);
        static final MethodHandle HANDLE = Dpdk.call("rte_eal_cleanup", DESC);
    }

    /** {@code int rte_eal_cleanup(void)}: 0, or a negative errno. */
    public static int rte_eal_cleanup() {
        try {
            return (int) rte_eal_cleanup$.HANDLE.invokeExact();
        } catch (Throwable t) {
            throw Native.rethrow("rte_eal_cleanup", t);
        }
    }

    private static final class rte_socket_id$ {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(ValueLayout.JAVA_INT);
        static final MethodHandle HANDLE = Dpdk.call("rte_socket_id", DESC);
    }

    /** {@code unsigned rte_socket_id(void)}: the NUMA socket of the calling lcore. */
    public static int rte_socket_id() {
        try {
            return (int) rte_socket_id$.HANDLE.invokeExact();
        } catch (Throwable t) {
            throw Native.rethrow("rte_socket_id", t);
        }
    }

    private static final class rte_version$ {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(ValueLayout.ADDRESS);
        static final MethodHandle HANDLE = Dpdk.call("rte_version", DESC);
    }

    /**
     * {@code const char *rte_version(void)}, read as a Java string, e.g. {@code "DPDK 22.11.11"}. A real
     * function in 22.11 (it was an inline before 20.11), so it needs no EAL initialisation.
     */
    public static String rte_version() {
        try {
            MemorySegment s = (MemorySegment) rte_version$.HANDLE.invokeExact();
            // The returned pointer is a zero-length segment; the string is static and short.
            return s.reinterpret(256).getString(0);
        } catch (Throwable t) {
            throw Native.rethrow("rte_version", t);
        }
    }

    private static final class rte_dev_probe$ {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS);
        static final MethodHandle HANDLE = Dpdk.call("rte_dev_probe", DESC);
    }

    /**
     * {@code int rte_dev_probe(const char *devargs)}: hot-plugs a device, e.g. {@code "net_tap0,iface=t0"}
     * (a vdev: the bus is found from the driver name); 0 or a negative errno. EAL must be initialised.
     */
    public static int rte_dev_probe(MemorySegment devargs) {
        try {
            return (int) rte_dev_probe$.HANDLE.invokeExact(devargs);
        } catch (Throwable t) {
            throw Native.rethrow("rte_dev_probe", t);
        }
    }

    private static final class rte_eal_hotplug_remove$ {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                ValueLayout.ADDRESS);
        static final MethodHandle HANDLE = Dpdk.call("rte_eal_hotplug_remove", DESC);
    }

    /**
     * {@code int rte_eal_hotplug_remove(const char *busname, const char *devname)}: unplugs a device
     * probed before, e.g. bus {@code "vdev"}, name {@code "net_tap0"}; 0 or a negative errno.
     */
    public static int rte_eal_hotplug_remove(MemorySegment busname, MemorySegment devname) {
        try {
            return (int) rte_eal_hotplug_remove$.HANDLE.invokeExact(busname, devname);
        } catch (Throwable t) {
            throw Native.rethrow("rte_eal_hotplug_remove", t);
        }
    }

    private static final class rte_eal_alarm_set$ {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
                ValueLayout.ADDRESS, ValueLayout.ADDRESS);
        static final MethodHandle HANDLE = Dpdk.call("rte_eal_alarm_set", DESC);
    }

    /** The C type {@code typedef void (*rte_eal_alarm_callback)(void *arg)} (rte_alarm.h), for upcall stubs. */
    public static final FunctionDescriptor RTE_EAL_ALARM_CALLBACK = FunctionDescriptor.ofVoid(ValueLayout.ADDRESS);

    /**
     * {@code int rte_eal_alarm_set(uint64_t us, rte_eal_alarm_callback cb, void *cb_arg)} (rte_alarm.h):
     * calls {@code cb(cb_arg)} once, {@code us} (at least 1) microseconds from now, on EAL's interrupt
     * thread, the thread that also runs the drivers' interrupt and control-channel callbacks; 0 or a
     * negative errno.
     */
    public static int rte_eal_alarm_set(long us, MemorySegment cb, MemorySegment cbArg) {
        try {
            return (int) rte_eal_alarm_set$.HANDLE.invokeExact(us, cb, cbArg);
        } catch (Throwable t) {
            throw Native.rethrow("rte_eal_alarm_set", t);
        }
    }
}
