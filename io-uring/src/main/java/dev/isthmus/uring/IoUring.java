package dev.isthmus.uring;

import dev.isthmus.ffi.CallState;
import dev.isthmus.ffi.Errno;
import dev.isthmus.ffi.uring.io_uring_probe;
import dev.isthmus.ffi.uring.io_uring_probe_op;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.isthmus.ffi.uring.io_uring_h.*;

/**
 * What the running kernel's io_uring supports, probed once per process on a throw-away ring (Netty's
 * IoUring): each feature has a {@code *_SUPPORTED} flag and, when missing, the reason. Whether a
 * supported feature is used is decided per stack by {@link UringConfig}, which adds the off switches.
 *
 * <p>Setup flags are probed by trying io_uring_setup with them (EINVAL means "unknown flag"), opcodes
 * with IORING_REGISTER_PROBE, registrations by doing them. Flags that only change how an opcode behaves
 * (multishot accept and recv) have no probe of their own; they are inferred from opcodes that arrived
 * in the same release, as liburing's tests do.
 */
final class IoUring {
    private IoUring() {
    }

    /** Minimum: IORING_FEAT_EXT_ARG (5.11, waits with a timeout) and IORING_FEAT_NODROP (5.5). */
    static final boolean AVAILABLE;
    static final String UNAVAILABILITY_CAUSE;
    static final int FEATURES;
    /** SINGLE_ISSUER | DEFER_TASKRUN (6.1). */
    static final boolean DEFER_TASKRUN_SUPPORTED;
    /** COOP_TASKRUN | TASKRUN_FLAG (5.19). */
    static final boolean COOP_TASKRUN_SUPPORTED;
    static final boolean SUBMIT_ALL_SUPPORTED;
    static final boolean NO_SQARRAY_SUPPORTED;
    static final boolean CQSIZE_SUPPORTED;
    static final boolean SQPOLL_SUPPORTED;
    static final boolean REGISTERED_RING_SUPPORTED;
    static final boolean BUFFER_RING_SUPPORTED;
    static final boolean MULTISHOT_ACCEPT_SUPPORTED;
    static final boolean MULTISHOT_RECV_SUPPORTED;
    static final boolean SEND_ZC_SUPPORTED;
    static final boolean MSG_RING_SUPPORTED;
    static final boolean LINK_TIMEOUT_SUPPORTED;
    /** IORING_FEAT_MIN_TIMEOUT (6.12): min_wait_usec in io_uring_getevents_arg. */
    static final boolean MIN_TIMEOUT_SUPPORTED;
    private static final boolean[] OPS = new boolean[256];

    static {
        boolean available = false;
        String cause = null;
        int features = 0;
        boolean defer = false, coop = false, submitAll = false, noSqArray = false, cqsize = false, sqpoll = false,
                regRing = false, bufRing = false;
        try (Arena a = Arena.ofConfined()) {
            CallState st = CallState.allocate(a);
            try (Ring r = Ring.setup(4, 0, 0, 0, st)) {
                features = r.features();
                probeOps(r, a);
                if ((features & IORING_FEAT_EXT_ARG) == 0 || (features & IORING_FEAT_NODROP) == 0) {
                    cause = "the kernel's io_uring is too old (needs IORING_FEAT_EXT_ARG and FEAT_NODROP, Linux 5.11)";
                } else {
                    available = true;
                    cause = "io_uring features 0x" + Integer.toHexString(features);
                }
                regRing = r.registerRingFd() == 0;
                bufRing = tryBufferRing(r, a);
            } catch (IOException e) {
                cause = e.getMessage() + disabledHint();
            }
            if (available) {
                defer = trySetup(st, IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN);
                coop = trySetup(st, IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG);
                submitAll = trySetup(st, IORING_SETUP_SUBMIT_ALL);
                noSqArray = trySetup(st, IORING_SETUP_NO_SQARRAY);
                cqsize = trySetup(st, IORING_SETUP_CQSIZE);
                sqpoll = trySetup(st, IORING_SETUP_SQPOLL);
            }
        } catch (Throwable t) {
            cause = "probing io_uring failed: " + t;
        }
        AVAILABLE = available;
        UNAVAILABILITY_CAUSE = cause;
        FEATURES = features;
        DEFER_TASKRUN_SUPPORTED = defer;
        COOP_TASKRUN_SUPPORTED = coop;
        SUBMIT_ALL_SUPPORTED = submitAll;
        NO_SQARRAY_SUPPORTED = noSqArray;
        CQSIZE_SUPPORTED = cqsize;
        SQPOLL_SUPPORTED = sqpoll;
        REGISTERED_RING_SUPPORTED = regRing;
        BUFFER_RING_SUPPORTED = bufRing;
        // IORING_ACCEPT_MULTISHOT came with IORING_OP_SOCKET (5.19); IORING_RECV_MULTISHOT with
        // IORING_OP_SEND_ZC (6.0).
        MULTISHOT_ACCEPT_SUPPORTED = OPS[IORING_OP_SOCKET];
        MULTISHOT_RECV_SUPPORTED = OPS[IORING_OP_SEND_ZC] && bufRing;
        // We send gathered: SENDMSG_ZC (6.1) as well as SEND_ZC.
        SEND_ZC_SUPPORTED = OPS[IORING_OP_SEND_ZC] && OPS[IORING_OP_SENDMSG_ZC];
        MSG_RING_SUPPORTED = OPS[IORING_OP_MSG_RING];
        LINK_TIMEOUT_SUPPORTED = OPS[IORING_OP_LINK_TIMEOUT] && OPS[IORING_OP_CONNECT];
        MIN_TIMEOUT_SUPPORTED = (features & IORING_FEAT_MIN_TIMEOUT) != 0;
    }

    static boolean opSupported(int op) {
        return OPS[op & 0xFF];
    }

    /** The reason to give when a feature is missing: the opcode or setup flag the kernel lacks. */
    static String missing(String what) {
        return what + " is not supported by this kernel (" + System.getProperty("os.version") + ")";
    }

    private static void probeOps(Ring r, Arena a) {
        int n = 256;
        MemorySegment p = a.allocate(io_uring_probe.sizeof() + io_uring_probe_op.sizeof() * n, 8);
        if (r.register(IORING_REGISTER_PROBE, p, n) < 0) {
            return; // before 5.6: no probe; treat every optional opcode as missing
        }
        int last = Byte.toUnsignedInt(io_uring_probe.last_op(p));
        long ops = io_uring_probe.sizeof();
        for (int op = 0; op <= last && op < n; op++) {
            MemorySegment o = p.asSlice(ops + op * io_uring_probe_op.sizeof(), io_uring_probe_op.sizeof());
            OPS[op] = (io_uring_probe_op.flags(o) & IO_URING_OP_SUPPORTED) != 0;
        }
    }

    private static boolean tryBufferRing(Ring r, Arena a) {
        MemorySegment ring = a.allocate(BufferRing.BUF_SIZE * 2, 4096);
        MemorySegment reg = a.allocate(BufferRing.REG_SIZE, 8);
        reg.set(ValueLayout.JAVA_LONG, BufferRing.REG_RING_ADDR, ring.address());
        reg.set(ValueLayout.JAVA_INT, BufferRing.REG_RING_ENTRIES, 2);
        reg.set(ValueLayout.JAVA_SHORT, BufferRing.REG_BGID, (short) 7);
        return r.register(IORING_REGISTER_PBUF_RING, reg, 1) == 0;
    }

    private static boolean trySetup(CallState st, int flags) {
        int sqIdle = (flags & IORING_SETUP_SQPOLL) != 0 ? 10 : 0;
        try (Ring r = Ring.setup(4, 16, flags, sqIdle, st)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String disabledHint() {
        try {
            String v = Files.readString(Path.of("/proc/sys/kernel/io_uring_disabled")).trim();
            return v.equals("0") ? "" : "; /proc/sys/kernel/io_uring_disabled is " + v;
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** For messages: the errno name of a negated CQE result. */
    static String errnoName(int res) {
        return Errno.name(-res);
    }
}
