package dev.isthmus.ffi.uring;

import dev.isthmus.ffi.CHeader;
import dev.isthmus.ffi.Native;
import dev.isthmus.ffi.NewerThanHeaders;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * {@code <linux/io_uring.h>}: the io_uring constants and the three system calls io_uring_setup(2),
 * io_uring_enter(2) and io_uring_register(2), called through libc's {@code syscall(2)} (glibc has no
 * wrappers; liburing's src/syscall.h does the same).
 *
 * <p>Constants are spelled as in the header. Those that Debian 12's linux-libc-dev 6.1 does not declare
 * yet carry {@link NewerThanHeaders} with the kernel that introduced them; their values are those of
 * the kernel's current include/uapi/linux/io_uring.h. Whether the running kernel supports one is a
 * run-time question: probe it (IORING_REGISTER_PROBE for opcodes, EINVAL from setup for setup flags,
 * {@code io_uring_params.features} for features).
 *
 * <p>The struct layouts live in their own classes, named like the C structs ({@link io_uring_sqe},
 * {@link io_uring_cqe}, {@link io_uring_params}, ...).
 */
@CHeader({"linux/io_uring.h", "sys/syscall.h"})
public final class io_uring_h {
    private io_uring_h() {
    }

    // ---- system call numbers (<sys/syscall.h>). io_uring was added after the syscall tables were
    // unified (Linux 5.1), so x86_64 and aarch64 (asm-generic) share 425/426/427.
    public static final int SYS_io_uring_setup = 425;
    public static final int SYS_io_uring_enter = 426;
    public static final int SYS_io_uring_register = 427;

    // ---- sqe->flags (enum io_uring_sqe_flags_bit, as masks)
    public static final int IOSQE_FIXED_FILE_BIT = 0;
    public static final int IOSQE_IO_DRAIN_BIT = 1;
    public static final int IOSQE_IO_LINK_BIT = 2;
    public static final int IOSQE_IO_HARDLINK_BIT = 3;
    public static final int IOSQE_ASYNC_BIT = 4;
    public static final int IOSQE_BUFFER_SELECT_BIT = 5;
    public static final int IOSQE_CQE_SKIP_SUCCESS_BIT = 6;
    /** Use a registered (fixed) file: {@code sqe->fd} is an index into the registered files. */
    public static final int IOSQE_FIXED_FILE = 1 << 0;
    public static final int IOSQE_IO_DRAIN = 1 << 1;
    /** Link this SQE with the next one: the next starts only when this one succeeds. */
    public static final int IOSQE_IO_LINK = 1 << 2;
    public static final int IOSQE_IO_HARDLINK = 1 << 3;
    public static final int IOSQE_ASYNC = 1 << 4;
    /** Pick a buffer from the provided-buffer group in {@code sqe->buf_group}. */
    public static final int IOSQE_BUFFER_SELECT = 1 << 5;
    /** Post no CQE when the request succeeds. */
    public static final int IOSQE_CQE_SKIP_SUCCESS = 1 << 6;

    // ---- io_uring_setup() flags
    public static final int IORING_SETUP_IOPOLL = 1 << 0;
    public static final int IORING_SETUP_SQPOLL = 1 << 1;
    public static final int IORING_SETUP_SQ_AFF = 1 << 2;
    public static final int IORING_SETUP_CQSIZE = 1 << 3;
    public static final int IORING_SETUP_CLAMP = 1 << 4;
    public static final int IORING_SETUP_ATTACH_WQ = 1 << 5;
    public static final int IORING_SETUP_R_DISABLED = 1 << 6;
    public static final int IORING_SETUP_SUBMIT_ALL = 1 << 7;
    /** Run task work only on a transition into the kernel instead of interrupting the task (5.19). */
    public static final int IORING_SETUP_COOP_TASKRUN = 1 << 8;
    public static final int IORING_SETUP_TASKRUN_FLAG = 1 << 9;
    public static final int IORING_SETUP_SQE128 = 1 << 10;
    public static final int IORING_SETUP_CQE32 = 1 << 11;
    /** Only one task submits (6.0): lets the kernel skip locking; our rings are one per worker thread. */
    public static final int IORING_SETUP_SINGLE_ISSUER = 1 << 12;
    /** Defer task work until io_uring_enter(GETEVENTS) (6.1); requires SINGLE_ISSUER. */
    public static final int IORING_SETUP_DEFER_TASKRUN = 1 << 13;
    /** The application provides the ring memory in sq_off/cq_off.user_addr. */
    @NewerThanHeaders("Linux 6.5")
    public static final int IORING_SETUP_NO_MMAP = 1 << 14;
    /** The ring fd is only registered (io_uring_setup returns a registered index, not an fd). */
    @NewerThanHeaders("Linux 6.5")
    public static final int IORING_SETUP_REGISTERED_FD_ONLY = 1 << 15;
    /** No SQ index array: SQEs are consumed in ring order. */
    @NewerThanHeaders("Linux 6.6")
    public static final int IORING_SETUP_NO_SQARRAY = 1 << 16;
    @NewerThanHeaders("Linux 6.13")
    public static final int IORING_SETUP_HYBRID_IOPOLL = 1 << 17;

    // ---- opcodes (enum io_uring_op)
    public static final int IORING_OP_NOP = 0;
    public static final int IORING_OP_READV = 1;
    public static final int IORING_OP_WRITEV = 2;
    public static final int IORING_OP_FSYNC = 3;
    public static final int IORING_OP_READ_FIXED = 4;
    public static final int IORING_OP_WRITE_FIXED = 5;
    public static final int IORING_OP_POLL_ADD = 6;
    public static final int IORING_OP_POLL_REMOVE = 7;
    public static final int IORING_OP_SYNC_FILE_RANGE = 8;
    public static final int IORING_OP_SENDMSG = 9;
    public static final int IORING_OP_RECVMSG = 10;
    public static final int IORING_OP_TIMEOUT = 11;
    public static final int IORING_OP_TIMEOUT_REMOVE = 12;
    public static final int IORING_OP_ACCEPT = 13;
    public static final int IORING_OP_ASYNC_CANCEL = 14;
    public static final int IORING_OP_LINK_TIMEOUT = 15;
    public static final int IORING_OP_CONNECT = 16;
    public static final int IORING_OP_FALLOCATE = 17;
    public static final int IORING_OP_OPENAT = 18;
    public static final int IORING_OP_CLOSE = 19;
    public static final int IORING_OP_FILES_UPDATE = 20;
    public static final int IORING_OP_STATX = 21;
    public static final int IORING_OP_READ = 22;
    public static final int IORING_OP_WRITE = 23;
    public static final int IORING_OP_FADVISE = 24;
    public static final int IORING_OP_MADVISE = 25;
    public static final int IORING_OP_SEND = 26;
    public static final int IORING_OP_RECV = 27;
    public static final int IORING_OP_OPENAT2 = 28;
    public static final int IORING_OP_EPOLL_CTL = 29;
    public static final int IORING_OP_SPLICE = 30;
    public static final int IORING_OP_PROVIDE_BUFFERS = 31;
    public static final int IORING_OP_REMOVE_BUFFERS = 32;
    public static final int IORING_OP_TEE = 33;
    public static final int IORING_OP_SHUTDOWN = 34;
    public static final int IORING_OP_RENAMEAT = 35;
    public static final int IORING_OP_UNLINKAT = 36;
    public static final int IORING_OP_MKDIRAT = 37;
    public static final int IORING_OP_SYMLINKAT = 38;
    public static final int IORING_OP_LINKAT = 39;
    public static final int IORING_OP_MSG_RING = 40;
    public static final int IORING_OP_FSETXATTR = 41;
    public static final int IORING_OP_SETXATTR = 42;
    public static final int IORING_OP_FGETXATTR = 43;
    public static final int IORING_OP_GETXATTR = 44;
    public static final int IORING_OP_SOCKET = 45;
    public static final int IORING_OP_URING_CMD = 46;
    public static final int IORING_OP_SEND_ZC = 47;
    public static final int IORING_OP_SENDMSG_ZC = 48;
    @NewerThanHeaders("Linux 6.7")
    public static final int IORING_OP_READ_MULTISHOT = 49;
    @NewerThanHeaders("Linux 6.7")
    public static final int IORING_OP_WAITID = 50;
    @NewerThanHeaders("Linux 6.7")
    public static final int IORING_OP_FUTEX_WAIT = 51;
    @NewerThanHeaders("Linux 6.7")
    public static final int IORING_OP_FUTEX_WAKE = 52;
    @NewerThanHeaders("Linux 6.7")
    public static final int IORING_OP_FUTEX_WAITV = 53;
    @NewerThanHeaders("Linux 6.8")
    public static final int IORING_OP_FIXED_FD_INSTALL = 54;
    @NewerThanHeaders("Linux 6.9")
    public static final int IORING_OP_FTRUNCATE = 55;
    @NewerThanHeaders("Linux 6.11")
    public static final int IORING_OP_BIND = 56;
    @NewerThanHeaders("Linux 6.11")
    public static final int IORING_OP_LISTEN = 57;
    @NewerThanHeaders("Linux 6.15")
    public static final int IORING_OP_RECV_ZC = 58;
    @NewerThanHeaders("Linux 6.15")
    public static final int IORING_OP_EPOLL_WAIT = 59;
    @NewerThanHeaders("Linux 6.15")
    public static final int IORING_OP_READV_FIXED = 60;
    @NewerThanHeaders("Linux 6.15")
    public static final int IORING_OP_WRITEV_FIXED = 61;
    @NewerThanHeaders("Linux 6.16")
    public static final int IORING_OP_PIPE = 62;

    // ---- sqe->fsync_flags, sqe->timeout_flags, sqe->len for POLL_ADD
    public static final int IORING_FSYNC_DATASYNC = 1 << 0;
    public static final int IORING_TIMEOUT_ABS = 1 << 0;
    public static final int IORING_TIMEOUT_UPDATE = 1 << 1;
    public static final int IORING_TIMEOUT_BOOTTIME = 1 << 2;
    public static final int IORING_TIMEOUT_REALTIME = 1 << 3;
    public static final int IORING_LINK_TIMEOUT_UPDATE = 1 << 4;
    public static final int IORING_TIMEOUT_ETIME_SUCCESS = 1 << 5;
    @NewerThanHeaders("Linux 6.4")
    public static final int IORING_TIMEOUT_MULTISHOT = 1 << 6;
    public static final int IORING_TIMEOUT_CLOCK_MASK = IORING_TIMEOUT_BOOTTIME | IORING_TIMEOUT_REALTIME;
    public static final int IORING_TIMEOUT_UPDATE_MASK = IORING_TIMEOUT_UPDATE | IORING_LINK_TIMEOUT_UPDATE;
    public static final int IORING_POLL_ADD_MULTI = 1 << 0;
    public static final int IORING_POLL_UPDATE_EVENTS = 1 << 1;
    public static final int IORING_POLL_UPDATE_USER_DATA = 1 << 2;
    public static final int IORING_POLL_ADD_LEVEL = 1 << 3;
    /** {@code sqe->file_index} value asking the kernel to pick a free direct descriptor: {@code ~0U}. */
    public static final int IORING_FILE_INDEX_ALLOC = ~0;

    // ---- sqe->cancel_flags for IORING_OP_ASYNC_CANCEL
    public static final int IORING_ASYNC_CANCEL_ALL = 1 << 0;
    public static final int IORING_ASYNC_CANCEL_FD = 1 << 1;
    public static final int IORING_ASYNC_CANCEL_ANY = 1 << 2;
    public static final int IORING_ASYNC_CANCEL_FD_FIXED = 1 << 3;
    public static final int IORING_ASYNC_CANCEL_USERDATA = 1 << 4;
    public static final int IORING_ASYNC_CANCEL_OP = 1 << 5;

    // ---- send/recv flags, stored in sqe->ioprio
    /** Arm poll before trying the send/recv, for sockets known to be empty/full. */
    public static final int IORING_RECVSEND_POLL_FIRST = 1 << 0;
    /** Multishot recv (needs IOSQE_BUFFER_SELECT); CQEs carry IORING_CQE_F_MORE while it stays armed. */
    public static final int IORING_RECV_MULTISHOT = 1 << 1;
    public static final int IORING_RECVSEND_FIXED_BUF = 1 << 2;
    public static final int IORING_SEND_ZC_REPORT_USAGE = 1 << 3;
    /** Send or receive as many provided buffers as are ready in one CQE. */
    @NewerThanHeaders("Linux 6.10")
    public static final int IORING_RECVSEND_BUNDLE = 1 << 4;
    /** In the notification CQE's res when the zero-copy send fell back to copying: {@code 1U << 31}. */
    public static final int IORING_NOTIF_USAGE_ZC_COPIED = 1 << 31;

    // ---- accept flags, stored in sqe->ioprio
    public static final int IORING_ACCEPT_MULTISHOT = 1 << 0;
    @NewerThanHeaders("Linux 6.10")
    public static final int IORING_ACCEPT_DONTWAIT = 1 << 1;
    @NewerThanHeaders("Linux 6.10")
    public static final int IORING_ACCEPT_POLL_FIRST = 1 << 2;

    // ---- IORING_OP_MSG_RING commands (sqe->addr) and flags (sqe->msg_ring_flags)
    /** Post a CQE on the target ring with res = sqe->len and user_data = sqe->off. */
    public static final int IORING_MSG_DATA = 0;
    public static final int IORING_MSG_SEND_FD = 1;
    public static final int IORING_MSG_RING_CQE_SKIP = 1 << 0;
    @NewerThanHeaders("Linux 6.3")
    public static final int IORING_MSG_RING_FLAGS_PASS = 1 << 1;

    // ---- cqe->flags
    /** The upper 16 bits of cqe->flags hold the provided buffer's id. */
    public static final int IORING_CQE_F_BUFFER = 1 << 0;
    /** The request stays armed and will post more CQEs (multishot). */
    public static final int IORING_CQE_F_MORE = 1 << 1;
    public static final int IORING_CQE_F_SOCK_NONEMPTY = 1 << 2;
    /** A zero-copy send's notification: the buffer may be reused. */
    public static final int IORING_CQE_F_NOTIF = 1 << 3;
    /** The provided buffer was only partly consumed (incremental buffer rings). */
    @NewerThanHeaders("Linux 6.12")
    public static final int IORING_CQE_F_BUF_MORE = 1 << 4;
    public static final int IORING_CQE_BUFFER_SHIFT = 16;

    // ---- mmap offsets
    public static final long IORING_OFF_SQ_RING = 0L;
    public static final long IORING_OFF_CQ_RING = 0x8000000L;
    public static final long IORING_OFF_SQES = 0x10000000L;
    /** mmap offset of a kernel-allocated provided-buffer ring (IOU_PBUF_RING_MMAP); bgid goes at bit 16. */
    @NewerThanHeaders("Linux 6.4")
    public static final long IORING_OFF_PBUF_RING = 0x80000000L;
    @NewerThanHeaders("Linux 6.4")
    public static final int IORING_OFF_PBUF_SHIFT = 16;
    public static final long IORING_OFF_MMAP_MASK = 0xf8000000L;

    // ---- sq_ring->flags
    /** The SQPOLL thread sleeps: wake it with IORING_ENTER_SQ_WAKEUP. */
    public static final int IORING_SQ_NEED_WAKEUP = 1 << 0;
    public static final int IORING_SQ_CQ_OVERFLOW = 1 << 1;
    /** Task work is pending (IORING_SETUP_TASKRUN_FLAG): enter the kernel to run it. */
    public static final int IORING_SQ_TASKRUN = 1 << 2;

    // ---- cq_ring->flags
    public static final int IORING_CQ_EVENTFD_DISABLED = 1 << 0;

    // ---- io_uring_enter(2) flags
    public static final int IORING_ENTER_GETEVENTS = 1 << 0;
    public static final int IORING_ENTER_SQ_WAKEUP = 1 << 1;
    public static final int IORING_ENTER_SQ_WAIT = 1 << 2;
    /** {@code arg} is a {@link io_uring_getevents_arg} (timeout, sigmask), not a sigset. */
    public static final int IORING_ENTER_EXT_ARG = 1 << 3;
    /** {@code fd} is the index of a ring fd registered with IORING_REGISTER_RING_FDS. */
    public static final int IORING_ENTER_REGISTERED_RING = 1 << 4;
    @NewerThanHeaders("Linux 6.12")
    public static final int IORING_ENTER_ABS_TIMER = 1 << 5;
    @NewerThanHeaders("Linux 6.13")
    public static final int IORING_ENTER_EXT_ARG_REG = 1 << 6;
    @NewerThanHeaders("Linux 6.15")
    public static final int IORING_ENTER_NO_IOWAIT = 1 << 7;

    // ---- io_uring_params->features
    /** SQ and CQ rings share one mmap (at IORING_OFF_SQ_RING). */
    public static final int IORING_FEAT_SINGLE_MMAP = 1 << 0;
    public static final int IORING_FEAT_NODROP = 1 << 1;
    public static final int IORING_FEAT_SUBMIT_STABLE = 1 << 2;
    public static final int IORING_FEAT_RW_CUR_POS = 1 << 3;
    public static final int IORING_FEAT_CUR_PERSONALITY = 1 << 4;
    public static final int IORING_FEAT_FAST_POLL = 1 << 5;
    public static final int IORING_FEAT_POLL_32BITS = 1 << 6;
    public static final int IORING_FEAT_SQPOLL_NONFIXED = 1 << 7;
    public static final int IORING_FEAT_EXT_ARG = 1 << 8;
    public static final int IORING_FEAT_NATIVE_WORKERS = 1 << 9;
    public static final int IORING_FEAT_RSRC_TAGS = 1 << 10;
    public static final int IORING_FEAT_CQE_SKIP = 1 << 11;
    public static final int IORING_FEAT_LINKED_FILE = 1 << 12;
    @NewerThanHeaders("Linux 6.3")
    public static final int IORING_FEAT_REG_REG_RING = 1 << 13;
    @NewerThanHeaders("Linux 6.10")
    public static final int IORING_FEAT_RECVSEND_BUNDLE = 1 << 14;
    @NewerThanHeaders("Linux 6.12")
    public static final int IORING_FEAT_MIN_TIMEOUT = 1 << 15;

    // ---- io_uring_register(2) opcodes
    public static final int IORING_REGISTER_BUFFERS = 0;
    public static final int IORING_UNREGISTER_BUFFERS = 1;
    public static final int IORING_REGISTER_FILES = 2;
    public static final int IORING_UNREGISTER_FILES = 3;
    public static final int IORING_REGISTER_EVENTFD = 4;
    public static final int IORING_UNREGISTER_EVENTFD = 5;
    public static final int IORING_REGISTER_FILES_UPDATE = 6;
    public static final int IORING_REGISTER_EVENTFD_ASYNC = 7;
    public static final int IORING_REGISTER_PROBE = 8;
    public static final int IORING_REGISTER_PERSONALITY = 9;
    public static final int IORING_UNREGISTER_PERSONALITY = 10;
    public static final int IORING_REGISTER_RESTRICTIONS = 11;
    public static final int IORING_REGISTER_ENABLE_RINGS = 12;
    public static final int IORING_REGISTER_FILES2 = 13;
    public static final int IORING_REGISTER_FILES_UPDATE2 = 14;
    public static final int IORING_REGISTER_BUFFERS2 = 15;
    public static final int IORING_REGISTER_BUFFERS_UPDATE = 16;
    public static final int IORING_REGISTER_IOWQ_AFF = 17;
    public static final int IORING_UNREGISTER_IOWQ_AFF = 18;
    public static final int IORING_REGISTER_IOWQ_MAX_WORKERS = 19;
    /** Register the ring fd itself, so io_uring_enter can skip the fd lookup (IORING_ENTER_REGISTERED_RING). */
    public static final int IORING_REGISTER_RING_FDS = 20;
    public static final int IORING_UNREGISTER_RING_FDS = 21;
    /** Register a provided-buffer ring ({@link io_uring_buf_reg}). */
    public static final int IORING_REGISTER_PBUF_RING = 22;
    public static final int IORING_UNREGISTER_PBUF_RING = 23;
    public static final int IORING_REGISTER_SYNC_CANCEL = 24;
    public static final int IORING_REGISTER_FILE_ALLOC_RANGE = 25;
    @NewerThanHeaders("Linux 6.8")
    public static final int IORING_REGISTER_PBUF_STATUS = 26;
    @NewerThanHeaders("Linux 6.9")
    public static final int IORING_REGISTER_NAPI = 27;
    @NewerThanHeaders("Linux 6.9")
    public static final int IORING_UNREGISTER_NAPI = 28;
    /** OR'd into the opcode when {@code fd} is a registered ring index: {@code 1U << 31}. */
    @NewerThanHeaders("Linux 6.3")
    public static final int IORING_REGISTER_USE_REGISTERED_RING = 1 << 31;
    /** Skip updating this slot of the registered-file table. */
    public static final int IORING_REGISTER_FILES_SKIP = -2;
    public static final int IORING_RSRC_REGISTER_SPARSE = 1 << 0;

    // ---- probe
    /** {@link io_uring_probe_op#flags} bit: the opcode is supported. */
    public static final int IO_URING_OP_SUPPORTED = 1 << 0;

    // ---- system calls ---------------------------------------------------------------------------

    // long syscall(long number, ...): the variadic arguments are passed as longs, which is what glibc's
    // syscall() reads with va_arg(ap, long); the kernel truncates them to its u32/int parameters.
    private static final FunctionDescriptor SYSCALL3 = FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS);
    private static final FunctionDescriptor SYSCALL5 = FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS,
            ValueLayout.JAVA_LONG);
    private static final FunctionDescriptor SYSCALL7 = FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG);

    private static final class io_uring_setup$ {
        static final FunctionDescriptor DESC = SYSCALL3;
        static final MethodHandle HANDLE = Native.variadicErrnoCall("syscall", DESC, 1, false);
    }

    /**
     * {@code int io_uring_setup(u32 entries, struct io_uring_params *p)}: the ring fd, or -1 with errno
     * in {@code callState}. {@code params} is read and written by the kernel. See io_uring_setup(2).
     */
    public static int io_uring_setup(MemorySegment callState, int entries, MemorySegment params) {
        try {
            return (int) (long) io_uring_setup$.HANDLE.invokeExact(callState, (long) SYS_io_uring_setup,
                    Integer.toUnsignedLong(entries), params);
        } catch (Throwable t) {
            throw Native.rethrow("io_uring_setup", t);
        }
    }

    private static final class io_uring_enter$ {
        static final FunctionDescriptor DESC = SYSCALL7;
        static final MethodHandle HANDLE = Native.variadicErrnoCall("syscall", DESC, 1, false);
        // Critical: no thread-state transition. Only for a call that cannot block, i.e. without
        // IORING_ENTER_GETEVENTS (or with min_complete 0); a waiting enter would stall safepoints.
        static final MethodHandle CRITICAL = Native.variadicErrnoCall("syscall", DESC, 1, true);
    }

    /**
     * {@code int io_uring_enter(unsigned fd, u32 to_submit, u32 min_complete, u32 flags, const void *arg,
     * size_t argsz)}: the number of SQEs consumed, or -1 with errno in {@code callState}. May block
     * (GETEVENTS with min_complete > 0). See io_uring_enter(2).
     */
    public static int io_uring_enter(MemorySegment callState, int fd, int toSubmit, int minComplete, int flags,
                                     MemorySegment arg, long argSize) {
        try {
            return (int) (long) io_uring_enter$.HANDLE.invokeExact(callState, (long) SYS_io_uring_enter,
                    (long) fd, Integer.toUnsignedLong(toSubmit), Integer.toUnsignedLong(minComplete),
                    Integer.toUnsignedLong(flags), arg, argSize);
        } catch (Throwable t) {
            throw Native.rethrow("io_uring_enter", t);
        }
    }

    /**
     * io_uring_enter linked as a critical (non-transitioning) downcall, for submitting without waiting:
     * fails fast if {@code flags} asks to wait for completions ({@code IORING_ENTER_GETEVENTS} with
     * {@code minComplete > 0}) or for SQ space ({@code IORING_ENTER_SQ_WAIT}).
     */
    public static int io_uring_enter$critical(MemorySegment callState, int fd, int toSubmit, int minComplete,
                                              int flags, MemorySegment arg, long argSize) {
        if (((flags & IORING_ENTER_GETEVENTS) != 0 && minComplete != 0) || (flags & IORING_ENTER_SQ_WAIT) != 0) {
            throw new IllegalArgumentException("io_uring_enter$critical must not wait: flags=0x"
                    + Integer.toHexString(flags) + " minComplete=" + minComplete);
        }
        try {
            return (int) (long) io_uring_enter$.CRITICAL.invokeExact(callState, (long) SYS_io_uring_enter,
                    (long) fd, Integer.toUnsignedLong(toSubmit), Integer.toUnsignedLong(minComplete),
                    Integer.toUnsignedLong(flags), arg, argSize);
        } catch (Throwable t) {
            throw Native.rethrow("io_uring_enter", t);
        }
    }

    private static final class io_uring_register$ {
        static final FunctionDescriptor DESC = SYSCALL5;
        static final MethodHandle HANDLE = Native.variadicErrnoCall("syscall", DESC, 1, false);
    }

    /**
     * {@code int io_uring_register(unsigned fd, unsigned opcode, void *arg, unsigned nr_args)}: opcode
     * specific result (0 for most), or -1 with errno in {@code callState}. See io_uring_register(2).
     */
    public static int io_uring_register(MemorySegment callState, int fd, int opcode, MemorySegment arg, int nrArgs) {
        try {
            return (int) (long) io_uring_register$.HANDLE.invokeExact(callState, (long) SYS_io_uring_register,
                    (long) fd, Integer.toUnsignedLong(opcode), arg, Integer.toUnsignedLong(nrArgs));
        } catch (Throwable t) {
            throw Native.rethrow("io_uring_register", t);
        }
    }
}
