package dev.isthmus.ffi.uring;

import dev.isthmus.ffi.CStruct;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * A submission queue entry (64 bytes; 128 under IORING_SETUP_SQE128). The C anonymous unions are the
 * groups named {@code $anon...}; every member of a union has its own accessor at the same offset, so
 * prep code reads like liburing's (e.g. {@code msg_flags(sqe, ...)} for IORING_OP_RECV). Newer kernels
 * name more members of the op-flags union (nop_flags, futex_flags, ...); they alias {@code rw_flags}.
 * {@code cmd} (the 80-byte IORING_SETUP_SQE128 payload) starts at {@link #addr3$offset()}.
 *
 * <pre>{@code
 * struct io_uring_sqe {
 *     __u8  opcode; __u8 flags; __u16 ioprio; __s32 fd;
 *     union { __u64 off; __u64 addr2; struct { __u32 cmd_op; __u32 __pad1; }; };
 *     union { __u64 addr; __u64 splice_off_in; };
 *     __u32 len;
 *     union { __kernel_rwf_t rw_flags; __u32 fsync_flags; __u16 poll_events; __u32 poll32_events;
 *             __u32 sync_range_flags, msg_flags, timeout_flags, accept_flags, cancel_flags, open_flags,
 *                   statx_flags, fadvise_advice, splice_flags, rename_flags, unlink_flags,
 *                   hardlink_flags, xattr_flags, msg_ring_flags, uring_cmd_flags; };
 *     __u64 user_data;
 *     union { __u16 buf_index; __u16 buf_group; } __attribute__((packed));
 *     __u16 personality;
 *     union { __s32 splice_fd_in; __u32 file_index; struct { __u16 addr_len; __u16 __pad3[1]; }; };
 *     union { struct { __u64 addr3; __u64 __pad2[1]; }; __u8 cmd[0]; };
 * };
 * }</pre>
 */
@CStruct(value = "struct io_uring_sqe", includes = {"linux/io_uring.h"})
public final class io_uring_sqe {
    private io_uring_sqe() {
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            ValueLayout.JAVA_BYTE.withName("opcode"),
            ValueLayout.JAVA_BYTE.withName("flags"),
            ValueLayout.JAVA_SHORT.withName("ioprio"),
            ValueLayout.JAVA_INT.withName("fd"),
            MemoryLayout.unionLayout(
                ValueLayout.JAVA_LONG.withName("off"),
                ValueLayout.JAVA_LONG.withName("addr2"),
                MemoryLayout.structLayout(
                    ValueLayout.JAVA_INT.withName("cmd_op"),
                    ValueLayout.JAVA_INT.withName("__pad1")
                ).withName("$anon1")
            ).withName("$anon0"),
            MemoryLayout.unionLayout(
                ValueLayout.JAVA_LONG.withName("addr"),
                ValueLayout.JAVA_LONG.withName("splice_off_in")
            ).withName("$anon2"),
            ValueLayout.JAVA_INT.withName("len"),
            MemoryLayout.unionLayout(
                ValueLayout.JAVA_INT.withName("rw_flags"),
                ValueLayout.JAVA_INT.withName("fsync_flags"),
                ValueLayout.JAVA_SHORT.withName("poll_events"),
                ValueLayout.JAVA_INT.withName("poll32_events"),
                ValueLayout.JAVA_INT.withName("sync_range_flags"),
                ValueLayout.JAVA_INT.withName("msg_flags"),
                ValueLayout.JAVA_INT.withName("timeout_flags"),
                ValueLayout.JAVA_INT.withName("accept_flags"),
                ValueLayout.JAVA_INT.withName("cancel_flags"),
                ValueLayout.JAVA_INT.withName("open_flags"),
                ValueLayout.JAVA_INT.withName("statx_flags"),
                ValueLayout.JAVA_INT.withName("fadvise_advice"),
                ValueLayout.JAVA_INT.withName("splice_flags"),
                ValueLayout.JAVA_INT.withName("rename_flags"),
                ValueLayout.JAVA_INT.withName("unlink_flags"),
                ValueLayout.JAVA_INT.withName("hardlink_flags"),
                ValueLayout.JAVA_INT.withName("xattr_flags"),
                ValueLayout.JAVA_INT.withName("msg_ring_flags"),
                ValueLayout.JAVA_INT.withName("uring_cmd_flags")
            ).withName("$anon3"),
            ValueLayout.JAVA_LONG.withName("user_data"),
            MemoryLayout.unionLayout(
                ValueLayout.JAVA_SHORT.withName("buf_index"),
                ValueLayout.JAVA_SHORT.withName("buf_group")
            ).withName("$anon4"),
            ValueLayout.JAVA_SHORT.withName("personality"),
            MemoryLayout.unionLayout(
                ValueLayout.JAVA_INT.withName("splice_fd_in"),
                ValueLayout.JAVA_INT.withName("file_index"),
                MemoryLayout.structLayout(
                    ValueLayout.JAVA_SHORT.withName("addr_len"),
                    MemoryLayout.sequenceLayout(1, ValueLayout.JAVA_SHORT).withName("__pad3")
                ).withName("$anon6")
            ).withName("$anon5"),
            MemoryLayout.unionLayout(
                MemoryLayout.structLayout(
                    ValueLayout.JAVA_LONG.withName("addr3"),
                    MemoryLayout.sequenceLayout(1, ValueLayout.JAVA_LONG).withName("__pad2")
                ).withName("$anon8")
            ).withName("$anon7")
    ).withName("io_uring_sqe");

    /** The layout of {@code struct io_uring_sqe}. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct io_uring_sqe)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    /** Allocates one zeroed {@code struct io_uring_sqe}. */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    private static final ValueLayout.OfByte opcode$LAYOUT = (ValueLayout.OfByte) $LAYOUT.select(groupElement("opcode"));
    private static final long opcode$OFFSET = $LAYOUT.byteOffset(groupElement("opcode"));

    /** Layout of {@code opcode}. */
    public static ValueLayout.OfByte opcode$layout() {
        return opcode$LAYOUT;
    }

    /** Offset of {@code opcode}. */
    public static long opcode$offset() {
        return opcode$OFFSET;
    }

    /** Reads {@code opcode}. */
    public static byte opcode(MemorySegment struct) {
        return struct.get(opcode$LAYOUT, opcode$OFFSET);
    }

    /** Writes {@code opcode}. */
    public static void opcode(MemorySegment struct, byte fieldValue) {
        struct.set(opcode$LAYOUT, opcode$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfByte flags$LAYOUT = (ValueLayout.OfByte) $LAYOUT.select(groupElement("flags"));
    private static final long flags$OFFSET = $LAYOUT.byteOffset(groupElement("flags"));

    /** Layout of {@code flags}. */
    public static ValueLayout.OfByte flags$layout() {
        return flags$LAYOUT;
    }

    /** Offset of {@code flags}. */
    public static long flags$offset() {
        return flags$OFFSET;
    }

    /** Reads {@code flags}. */
    public static byte flags(MemorySegment struct) {
        return struct.get(flags$LAYOUT, flags$OFFSET);
    }

    /** Writes {@code flags}. */
    public static void flags(MemorySegment struct, byte fieldValue) {
        struct.set(flags$LAYOUT, flags$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfShort ioprio$LAYOUT = (ValueLayout.OfShort) $LAYOUT.select(groupElement("ioprio"));
    private static final long ioprio$OFFSET = $LAYOUT.byteOffset(groupElement("ioprio"));

    /** Layout of {@code ioprio}. */
    public static ValueLayout.OfShort ioprio$layout() {
        return ioprio$LAYOUT;
    }

    /** Offset of {@code ioprio}. */
    public static long ioprio$offset() {
        return ioprio$OFFSET;
    }

    /** Reads {@code ioprio}. */
    public static short ioprio(MemorySegment struct) {
        return struct.get(ioprio$LAYOUT, ioprio$OFFSET);
    }

    /** Writes {@code ioprio}. */
    public static void ioprio(MemorySegment struct, short fieldValue) {
        struct.set(ioprio$LAYOUT, ioprio$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt fd$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("fd"));
    private static final long fd$OFFSET = $LAYOUT.byteOffset(groupElement("fd"));

    /** Layout of {@code fd}. */
    public static ValueLayout.OfInt fd$layout() {
        return fd$LAYOUT;
    }

    /** Offset of {@code fd}. */
    public static long fd$offset() {
        return fd$OFFSET;
    }

    /** Reads {@code fd}. */
    public static int fd(MemorySegment struct) {
        return struct.get(fd$LAYOUT, fd$OFFSET);
    }

    /** Writes {@code fd}. */
    public static void fd(MemorySegment struct, int fieldValue) {
        struct.set(fd$LAYOUT, fd$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong off$LAYOUT = (ValueLayout.OfLong) $LAYOUT.select(groupElement("$anon0"), groupElement("off"));
    private static final long off$OFFSET = $LAYOUT.byteOffset(groupElement("$anon0"), groupElement("off"));

    /** Layout of {@code off}. */
    public static ValueLayout.OfLong off$layout() {
        return off$LAYOUT;
    }

    /** Offset of {@code off}. */
    public static long off$offset() {
        return off$OFFSET;
    }

    /** Reads {@code off}. */
    public static long off(MemorySegment struct) {
        return struct.get(off$LAYOUT, off$OFFSET);
    }

    /** Writes {@code off}. */
    public static void off(MemorySegment struct, long fieldValue) {
        struct.set(off$LAYOUT, off$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong addr2$LAYOUT = (ValueLayout.OfLong) $LAYOUT.select(groupElement("$anon0"), groupElement("addr2"));
    private static final long addr2$OFFSET = $LAYOUT.byteOffset(groupElement("$anon0"), groupElement("addr2"));

    /** Layout of {@code addr2}. */
    public static ValueLayout.OfLong addr2$layout() {
        return addr2$LAYOUT;
    }

    /** Offset of {@code addr2}. */
    public static long addr2$offset() {
        return addr2$OFFSET;
    }

    /** Reads {@code addr2}. */
    public static long addr2(MemorySegment struct) {
        return struct.get(addr2$LAYOUT, addr2$OFFSET);
    }

    /** Writes {@code addr2}. */
    public static void addr2(MemorySegment struct, long fieldValue) {
        struct.set(addr2$LAYOUT, addr2$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt cmd_op$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("$anon0"), groupElement("$anon1"), groupElement("cmd_op"));
    private static final long cmd_op$OFFSET = $LAYOUT.byteOffset(groupElement("$anon0"), groupElement("$anon1"), groupElement("cmd_op"));

    /** Layout of {@code cmd_op}. */
    public static ValueLayout.OfInt cmd_op$layout() {
        return cmd_op$LAYOUT;
    }

    /** Offset of {@code cmd_op}. */
    public static long cmd_op$offset() {
        return cmd_op$OFFSET;
    }

    /** Reads {@code cmd_op}. */
    public static int cmd_op(MemorySegment struct) {
        return struct.get(cmd_op$LAYOUT, cmd_op$OFFSET);
    }

    /** Writes {@code cmd_op}. */
    public static void cmd_op(MemorySegment struct, int fieldValue) {
        struct.set(cmd_op$LAYOUT, cmd_op$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt __pad1$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("$anon0"), groupElement("$anon1"), groupElement("__pad1"));
    private static final long __pad1$OFFSET = $LAYOUT.byteOffset(groupElement("$anon0"), groupElement("$anon1"), groupElement("__pad1"));

    /** Layout of {@code __pad1}. */
    public static ValueLayout.OfInt __pad1$layout() {
        return __pad1$LAYOUT;
    }

    /** Offset of {@code __pad1}. */
    public static long __pad1$offset() {
        return __pad1$OFFSET;
    }

    /** Reads {@code __pad1}. */
    public static int __pad1(MemorySegment struct) {
        return struct.get(__pad1$LAYOUT, __pad1$OFFSET);
    }

    /** Writes {@code __pad1}. */
    public static void __pad1(MemorySegment struct, int fieldValue) {
        struct.set(__pad1$LAYOUT, __pad1$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong addr$LAYOUT = (ValueLayout.OfLong) $LAYOUT.select(groupElement("$anon2"), groupElement("addr"));
    private static final long addr$OFFSET = $LAYOUT.byteOffset(groupElement("$anon2"), groupElement("addr"));

    /** Layout of {@code addr}. */
    public static ValueLayout.OfLong addr$layout() {
        return addr$LAYOUT;
    }

    /** Offset of {@code addr}. */
    public static long addr$offset() {
        return addr$OFFSET;
    }

    /** Reads {@code addr}. */
    public static long addr(MemorySegment struct) {
        return struct.get(addr$LAYOUT, addr$OFFSET);
    }

    /** Writes {@code addr}. */
    public static void addr(MemorySegment struct, long fieldValue) {
        struct.set(addr$LAYOUT, addr$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong splice_off_in$LAYOUT = (ValueLayout.OfLong) $LAYOUT.select(groupElement("$anon2"), groupElement("splice_off_in"));
    private static final long splice_off_in$OFFSET = $LAYOUT.byteOffset(groupElement("$anon2"), groupElement("splice_off_in"));

    /** Layout of {@code splice_off_in}. */
    public static ValueLayout.OfLong splice_off_in$layout() {
        return splice_off_in$LAYOUT;
    }

    /** Offset of {@code splice_off_in}. */
    public static long splice_off_in$offset() {
        return splice_off_in$OFFSET;
    }

    /** Reads {@code splice_off_in}. */
    public static long splice_off_in(MemorySegment struct) {
        return struct.get(splice_off_in$LAYOUT, splice_off_in$OFFSET);
    }

    /** Writes {@code splice_off_in}. */
    public static void splice_off_in(MemorySegment struct, long fieldValue) {
        struct.set(splice_off_in$LAYOUT, splice_off_in$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt len$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("len"));
    private static final long len$OFFSET = $LAYOUT.byteOffset(groupElement("len"));

    /** Layout of {@code len}. */
    public static ValueLayout.OfInt len$layout() {
        return len$LAYOUT;
    }

    /** Offset of {@code len}. */
    public static long len$offset() {
        return len$OFFSET;
    }

    /** Reads {@code len}. */
    public static int len(MemorySegment struct) {
        return struct.get(len$LAYOUT, len$OFFSET);
    }

    /** Writes {@code len}. */
    public static void len(MemorySegment struct, int fieldValue) {
        struct.set(len$LAYOUT, len$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt rw_flags$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("$anon3"), groupElement("rw_flags"));
    private static final long rw_flags$OFFSET = $LAYOUT.byteOffset(groupElement("$anon3"), groupElement("rw_flags"));

    /** Layout of {@code rw_flags}. */
    public static ValueLayout.OfInt rw_flags$layout() {
        return rw_flags$LAYOUT;
    }

    /** Offset of {@code rw_flags}. */
    public static long rw_flags$offset() {
        return rw_flags$OFFSET;
    }

    /** Reads {@code rw_flags}. */
    public static int rw_flags(MemorySegment struct) {
        return struct.get(rw_flags$LAYOUT, rw_flags$OFFSET);
    }

    /** Writes {@code rw_flags}. */
    public static void rw_flags(MemorySegment struct, int fieldValue) {
        struct.set(rw_flags$LAYOUT, rw_flags$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt fsync_flags$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("$anon3"), groupElement("fsync_flags"));
    private static final long fsync_flags$OFFSET = $LAYOUT.byteOffset(groupElement("$anon3"), groupElement("fsync_flags"));

    /** Layout of {@code fsync_flags}. */
    public static ValueLayout.OfInt fsync_flags$layout() {
        return fsync_flags$LAYOUT;
    }

    /** Offset of {@code fsync_flags}. */
    public static long fsync_flags$offset() {
        return fsync_flags$OFFSET;
    }

    /** Reads {@code fsync_flags}. */
    public static int fsync_flags(MemorySegment struct) {
        return struct.get(fsync_flags$LAYOUT, fsync_flags$OFFSET);
    }

    /** Writes {@code fsync_flags}. */
    public static void fsync_flags(MemorySegment struct, int fieldValue) {
        struct.set(fsync_flags$LAYOUT, fsync_flags$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfShort poll_events$LAYOUT = (ValueLayout.OfShort) $LAYOUT.select(groupElement("$anon3"), groupElement("poll_events"));
    private static final long poll_events$OFFSET = $LAYOUT.byteOffset(groupElement("$anon3"), groupElement("poll_events"));

    /** Layout of {@code poll_events}. */
    public static ValueLayout.OfShort poll_events$layout() {
        return poll_events$LAYOUT;
    }

    /** Offset of {@code poll_events}. */
    public static long poll_events$offset() {
        return poll_events$OFFSET;
    }

    /** Reads {@code poll_events}. */
    public static short poll_events(MemorySegment struct) {
        return struct.get(poll_events$LAYOUT, poll_events$OFFSET);
    }

    /** Writes {@code poll_events}. */
    public static void poll_events(MemorySegment struct, short fieldValue) {
        struct.set(poll_events$LAYOUT, poll_events$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt poll32_events$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("$anon3"), groupElement("poll32_events"));
    private static final long poll32_events$OFFSET = $LAYOUT.byteOffset(groupElement("$anon3"), groupElement("poll32_events"));

    /** Layout of {@code poll32_events}. */
    public static ValueLayout.OfInt poll32_events$layout() {
        return poll32_events$LAYOUT;
    }

    /** Offset of {@code poll32_events}. */
    public static long poll32_events$offset() {
        return poll32_events$OFFSET;
    }

    /** Reads {@code poll32_events}. */
    public static int poll32_events(MemorySegment struct) {
        return struct.get(poll32_events$LAYOUT, poll32_events$OFFSET);
    }

    /** Writes {@code poll32_events}. */
    public static void poll32_events(MemorySegment struct, int fieldValue) {
        struct.set(poll32_events$LAYOUT, poll32_events$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt sync_range_flags$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("$anon3"), groupElement("sync_range_flags"));
    private static final long sync_range_flags$OFFSET = $LAYOUT.byteOffset(groupElement("$anon3"), groupElement("sync_range_flags"));

    /** Layout of {@code sync_range_flags}. */
    public static ValueLayout.OfInt sync_range_flags$layout() {
        return sync_range_flags$LAYOUT;
    }

    /** Offset of {@code sync_range_flags}. */
    public static long sync_range_flags$offset() {
        return sync_range_flags$OFFSET;
    }

    /** Reads {@code sync_range_flags}. */
    public static int sync_range_flags(MemorySegment struct) {
        return struct.get(sync_range_flags$LAYOUT, sync_range_flags$OFFSET);
    }

    /** Writes {@code sync_range_flags}. */
    public static void sync_range_flags(MemorySegment struct, int fieldValue) {
        struct.set(sync_range_flags$LAYOUT, sync_range_flags$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt msg_flags$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("$anon3"), groupElement("msg_flags"));
    private static final long msg_flags$OFFSET = $LAYOUT.byteOffset(groupElement("$anon3"), groupElement("msg_flags"));

    /** Layout of {@code msg_flags}. */
    public static ValueLayout.OfInt msg_flags$layout() {
        return msg_flags$LAYOUT;
    }

    /** Offset of {@code msg_flags}. */
    public static long msg_flags$offset() {
        return msg_flags$OFFSET;
    }

    /** Reads {@code msg_flags}. */
    public static int msg_flags(MemorySegment struct) {
        return struct.get(msg_flags$LAYOUT, msg_flags$OFFSET);
    }

    /** Writes {@code msg_flags}. */
    public static void msg_flags(MemorySegment struct, int fieldValue) {
        struct.set(msg_flags$LAYOUT, msg_flags$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt timeout_flags$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("$anon3"), groupElement("timeout_flags"));
    private static final long timeout_flags$OFFSET = $LAYOUT.byteOffset(groupElement("$anon3"), groupElement("timeout_flags"));

    /** Layout of {@code timeout_flags}. */
    public static ValueLayout.OfInt timeout_flags$layout() {
        return timeout_flags$LAYOUT;
    }

    /** Offset of {@code timeout_flags}. */
    public static long timeout_flags$offset() {
        return timeout_flags$OFFSET;
    }

    /** Reads {@code timeout_flags}. */
    public static int timeout_flags(MemorySegment struct) {
        return struct.get(timeout_flags$LAYOUT, timeout_flags$OFFSET);
    }

    /** Writes {@code timeout_flags}. */
    public static void timeout_flags(MemorySegment struct, int fieldValue) {
        struct.set(timeout_flags$LAYOUT, timeout_flags$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt accept_flags$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("$anon3"), groupElement("accept_flags"));
    private static final long accept_flags$OFFSET = $LAYOUT.byteOffset(groupElement("$anon3"), groupElement("accept_flags"));

    /** Layout of {@code accept_flags}. */
    public static ValueLayout.OfInt accept_flags$layout() {
        return accept_flags$LAYOUT;
    }

    /** Offset of {@code accept_flags}. */
    public static long accept_flags$offset() {
        return accept_flags$OFFSET;
    }

    /** Reads {@code accept_flags}. */
    public static int accept_flags(MemorySegment struct) {
        return struct.get(accept_flags$LAYOUT, accept_flags$OFFSET);
    }

    /** Writes {@code accept_flags}. */
    public static void accept_flags(MemorySegment struct, int fieldValue) {
        struct.set(accept_flags$LAYOUT, accept_flags$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt cancel_flags$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("$anon3"), groupElement("cancel_flags"));
    private static final long cancel_flags$OFFSET = $LAYOUT.byteOffset(groupElement("$anon3"), groupElement("cancel_flags"));

    /** Layout of {@code cancel_flags}. */
    public static ValueLayout.OfInt cancel_flags$layout() {
        return cancel_flags$LAYOUT;
    }

    /** Offset of {@code cancel_flags}. */
    public static long cancel_flags$offset() {
        return cancel_flags$OFFSET;
    }

    /** Reads {@code cancel_flags}. */
    public static int cancel_flags(MemorySegment struct) {
        return struct.get(cancel_flags$LAYOUT, cancel_flags$OFFSET);
    }

    /** Writes {@code cancel_flags}. */
    public static void cancel_flags(MemorySegment struct, int fieldValue) {
        struct.set(cancel_flags$LAYOUT, cancel_flags$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt open_flags$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("$anon3"), groupElement("open_flags"));
    private static final long open_flags$OFFSET = $LAYOUT.byteOffset(groupElement("$anon3"), groupElement("open_flags"));

    /** Layout of {@code open_flags}. */
    public static ValueLayout.OfInt open_flags$layout() {
        return open_flags$LAYOUT;
    }

    /** Offset of {@code open_flags}. */
    public static long open_flags$offset() {
        return open_flags$OFFSET;
    }

    /** Reads {@code open_flags}. */
    public static int open_flags(MemorySegment struct) {
        return struct.get(open_flags$LAYOUT, open_flags$OFFSET);
    }

    /** Writes {@code open_flags}. */
    public static void open_flags(MemorySegment struct, int fieldValue) {
        struct.set(open_flags$LAYOUT, open_flags$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt statx_flags$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("$anon3"), groupElement("statx_flags"));
    private static final long statx_flags$OFFSET = $LAYOUT.byteOffset(groupElement("$anon3"), groupElement("statx_flags"));

    /** Layout of {@code statx_flags}. */
    public static ValueLayout.OfInt statx_flags$layout() {
        return statx_flags$LAYOUT;
    }

    /** Offset of {@code statx_flags}. */
    public static long statx_flags$offset() {
        return statx_flags$OFFSET;
    }

    /** Reads {@code statx_flags}. */
    public static int statx_flags(MemorySegment struct) {
        return struct.get(statx_flags$LAYOUT, statx_flags$OFFSET);
    }

    /** Writes {@code statx_flags}. */
    public static void statx_flags(MemorySegment struct, int fieldValue) {
        struct.set(statx_flags$LAYOUT, statx_flags$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt fadvise_advice$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("$anon3"), groupElement("fadvise_advice"));
    private static final long fadvise_advice$OFFSET = $LAYOUT.byteOffset(groupElement("$anon3"), groupElement("fadvise_advice"));

    /** Layout of {@code fadvise_advice}. */
    public static ValueLayout.OfInt fadvise_advice$layout() {
        return fadvise_advice$LAYOUT;
    }

    /** Offset of {@code fadvise_advice}. */
    public static long fadvise_advice$offset() {
        return fadvise_advice$OFFSET;
    }

    /** Reads {@code fadvise_advice}. */
    public static int fadvise_advice(MemorySegment struct) {
        return struct.get(fadvise_advice$LAYOUT, fadvise_advice$OFFSET);
    }

    /** Writes {@code fadvise_advice}. */
    public static void fadvise_advice(MemorySegment struct, int fieldValue) {
        struct.set(fadvise_advice$LAYOUT, fadvise_advice$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt splice_flags$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("$anon3"), groupElement("splice_flags"));
    private static final long splice_flags$OFFSET = $LAYOUT.byteOffset(groupElement("$anon3"), groupElement("splice_flags"));

    /** Layout of {@code splice_flags}. */
    public static ValueLayout.OfInt splice_flags$layout() {
        return splice_flags$LAYOUT;
    }

    /** Offset of {@code splice_flags}. */
    public static long splice_flags$offset() {
        return splice_flags$OFFSET;
    }

    /** Reads {@code splice_flags}. */
    public static int splice_flags(MemorySegment struct) {
        return struct.get(splice_flags$LAYOUT, splice_flags$OFFSET);
    }

    /** Writes {@code splice_flags}. */
    public static void splice_flags(MemorySegment struct, int fieldValue) {
        struct.set(splice_flags$LAYOUT, splice_flags$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt rename_flags$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("$anon3"), groupElement("rename_flags"));
    private static final long rename_flags$OFFSET = $LAYOUT.byteOffset(groupElement("$anon3"), groupElement("rename_flags"));

    /** Layout of {@code rename_flags}. */
    public static ValueLayout.OfInt rename_flags$layout() {
        return rename_flags$LAYOUT;
    }

    /** Offset of {@code rename_flags}. */
    public static long rename_flags$offset() {
        return rename_flags$OFFSET;
    }

    /** Reads {@code rename_flags}. */
    public static int rename_flags(MemorySegment struct) {
        return struct.get(rename_flags$LAYOUT, rename_flags$OFFSET);
    }

    /** Writes {@code rename_flags}. */
    public static void rename_flags(MemorySegment struct, int fieldValue) {
        struct.set(rename_flags$LAYOUT, rename_flags$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt unlink_flags$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("$anon3"), groupElement("unlink_flags"));
    private static final long unlink_flags$OFFSET = $LAYOUT.byteOffset(groupElement("$anon3"), groupElement("unlink_flags"));

    /** Layout of {@code unlink_flags}. */
    public static ValueLayout.OfInt unlink_flags$layout() {
        return unlink_flags$LAYOUT;
    }

    /** Offset of {@code unlink_flags}. */
    public static long unlink_flags$offset() {
        return unlink_flags$OFFSET;
    }

    /** Reads {@code unlink_flags}. */
    public static int unlink_flags(MemorySegment struct) {
        return struct.get(unlink_flags$LAYOUT, unlink_flags$OFFSET);
    }

    /** Writes {@code unlink_flags}. */
    public static void unlink_flags(MemorySegment struct, int fieldValue) {
        struct.set(unlink_flags$LAYOUT, unlink_flags$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt hardlink_flags$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("$anon3"), groupElement("hardlink_flags"));
    private static final long hardlink_flags$OFFSET = $LAYOUT.byteOffset(groupElement("$anon3"), groupElement("hardlink_flags"));

    /** Layout of {@code hardlink_flags}. */
    public static ValueLayout.OfInt hardlink_flags$layout() {
        return hardlink_flags$LAYOUT;
    }

    /** Offset of {@code hardlink_flags}. */
    public static long hardlink_flags$offset() {
        return hardlink_flags$OFFSET;
    }

    /** Reads {@code hardlink_flags}. */
    public static int hardlink_flags(MemorySegment struct) {
        return struct.get(hardlink_flags$LAYOUT, hardlink_flags$OFFSET);
    }

    /** Writes {@code hardlink_flags}. */
    public static void hardlink_flags(MemorySegment struct, int fieldValue) {
        struct.set(hardlink_flags$LAYOUT, hardlink_flags$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt xattr_flags$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("$anon3"), groupElement("xattr_flags"));
    private static final long xattr_flags$OFFSET = $LAYOUT.byteOffset(groupElement("$anon3"), groupElement("xattr_flags"));

    /** Layout of {@code xattr_flags}. */
    public static ValueLayout.OfInt xattr_flags$layout() {
        return xattr_flags$LAYOUT;
    }

    /** Offset of {@code xattr_flags}. */
    public static long xattr_flags$offset() {
        return xattr_flags$OFFSET;
    }

    /** Reads {@code xattr_flags}. */
    public static int xattr_flags(MemorySegment struct) {
        return struct.get(xattr_flags$LAYOUT, xattr_flags$OFFSET);
    }

    /** Writes {@code xattr_flags}. */
    public static void xattr_flags(MemorySegment struct, int fieldValue) {
        struct.set(xattr_flags$LAYOUT, xattr_flags$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt msg_ring_flags$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("$anon3"), groupElement("msg_ring_flags"));
    private static final long msg_ring_flags$OFFSET = $LAYOUT.byteOffset(groupElement("$anon3"), groupElement("msg_ring_flags"));

    /** Layout of {@code msg_ring_flags}. */
    public static ValueLayout.OfInt msg_ring_flags$layout() {
        return msg_ring_flags$LAYOUT;
    }

    /** Offset of {@code msg_ring_flags}. */
    public static long msg_ring_flags$offset() {
        return msg_ring_flags$OFFSET;
    }

    /** Reads {@code msg_ring_flags}. */
    public static int msg_ring_flags(MemorySegment struct) {
        return struct.get(msg_ring_flags$LAYOUT, msg_ring_flags$OFFSET);
    }

    /** Writes {@code msg_ring_flags}. */
    public static void msg_ring_flags(MemorySegment struct, int fieldValue) {
        struct.set(msg_ring_flags$LAYOUT, msg_ring_flags$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt uring_cmd_flags$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("$anon3"), groupElement("uring_cmd_flags"));
    private static final long uring_cmd_flags$OFFSET = $LAYOUT.byteOffset(groupElement("$anon3"), groupElement("uring_cmd_flags"));

    /** Layout of {@code uring_cmd_flags}. */
    public static ValueLayout.OfInt uring_cmd_flags$layout() {
        return uring_cmd_flags$LAYOUT;
    }

    /** Offset of {@code uring_cmd_flags}. */
    public static long uring_cmd_flags$offset() {
        return uring_cmd_flags$OFFSET;
    }

    /** Reads {@code uring_cmd_flags}. */
    public static int uring_cmd_flags(MemorySegment struct) {
        return struct.get(uring_cmd_flags$LAYOUT, uring_cmd_flags$OFFSET);
    }

    /** Writes {@code uring_cmd_flags}. */
    public static void uring_cmd_flags(MemorySegment struct, int fieldValue) {
        struct.set(uring_cmd_flags$LAYOUT, uring_cmd_flags$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong user_data$LAYOUT = (ValueLayout.OfLong) $LAYOUT.select(groupElement("user_data"));
    private static final long user_data$OFFSET = $LAYOUT.byteOffset(groupElement("user_data"));

    /** Layout of {@code user_data}. */
    public static ValueLayout.OfLong user_data$layout() {
        return user_data$LAYOUT;
    }

    /** Offset of {@code user_data}. */
    public static long user_data$offset() {
        return user_data$OFFSET;
    }

    /** Reads {@code user_data}. */
    public static long user_data(MemorySegment struct) {
        return struct.get(user_data$LAYOUT, user_data$OFFSET);
    }

    /** Writes {@code user_data}. */
    public static void user_data(MemorySegment struct, long fieldValue) {
        struct.set(user_data$LAYOUT, user_data$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfShort buf_index$LAYOUT = (ValueLayout.OfShort) $LAYOUT.select(groupElement("$anon4"), groupElement("buf_index"));
    private static final long buf_index$OFFSET = $LAYOUT.byteOffset(groupElement("$anon4"), groupElement("buf_index"));

    /** Layout of {@code buf_index}. */
    public static ValueLayout.OfShort buf_index$layout() {
        return buf_index$LAYOUT;
    }

    /** Offset of {@code buf_index}. */
    public static long buf_index$offset() {
        return buf_index$OFFSET;
    }

    /** Reads {@code buf_index}. */
    public static short buf_index(MemorySegment struct) {
        return struct.get(buf_index$LAYOUT, buf_index$OFFSET);
    }

    /** Writes {@code buf_index}. */
    public static void buf_index(MemorySegment struct, short fieldValue) {
        struct.set(buf_index$LAYOUT, buf_index$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfShort buf_group$LAYOUT = (ValueLayout.OfShort) $LAYOUT.select(groupElement("$anon4"), groupElement("buf_group"));
    private static final long buf_group$OFFSET = $LAYOUT.byteOffset(groupElement("$anon4"), groupElement("buf_group"));

    /** Layout of {@code buf_group}. */
    public static ValueLayout.OfShort buf_group$layout() {
        return buf_group$LAYOUT;
    }

    /** Offset of {@code buf_group}. */
    public static long buf_group$offset() {
        return buf_group$OFFSET;
    }

    /** Reads {@code buf_group}. */
    public static short buf_group(MemorySegment struct) {
        return struct.get(buf_group$LAYOUT, buf_group$OFFSET);
    }

    /** Writes {@code buf_group}. */
    public static void buf_group(MemorySegment struct, short fieldValue) {
        struct.set(buf_group$LAYOUT, buf_group$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfShort personality$LAYOUT = (ValueLayout.OfShort) $LAYOUT.select(groupElement("personality"));
    private static final long personality$OFFSET = $LAYOUT.byteOffset(groupElement("personality"));

    /** Layout of {@code personality}. */
    public static ValueLayout.OfShort personality$layout() {
        return personality$LAYOUT;
    }

    /** Offset of {@code personality}. */
    public static long personality$offset() {
        return personality$OFFSET;
    }

    /** Reads {@code personality}. */
    public static short personality(MemorySegment struct) {
        return struct.get(personality$LAYOUT, personality$OFFSET);
    }

    /** Writes {@code personality}. */
    public static void personality(MemorySegment struct, short fieldValue) {
        struct.set(personality$LAYOUT, personality$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt splice_fd_in$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("$anon5"), groupElement("splice_fd_in"));
    private static final long splice_fd_in$OFFSET = $LAYOUT.byteOffset(groupElement("$anon5"), groupElement("splice_fd_in"));

    /** Layout of {@code splice_fd_in}. */
    public static ValueLayout.OfInt splice_fd_in$layout() {
        return splice_fd_in$LAYOUT;
    }

    /** Offset of {@code splice_fd_in}. */
    public static long splice_fd_in$offset() {
        return splice_fd_in$OFFSET;
    }

    /** Reads {@code splice_fd_in}. */
    public static int splice_fd_in(MemorySegment struct) {
        return struct.get(splice_fd_in$LAYOUT, splice_fd_in$OFFSET);
    }

    /** Writes {@code splice_fd_in}. */
    public static void splice_fd_in(MemorySegment struct, int fieldValue) {
        struct.set(splice_fd_in$LAYOUT, splice_fd_in$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt file_index$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("$anon5"), groupElement("file_index"));
    private static final long file_index$OFFSET = $LAYOUT.byteOffset(groupElement("$anon5"), groupElement("file_index"));

    /** Layout of {@code file_index}. */
    public static ValueLayout.OfInt file_index$layout() {
        return file_index$LAYOUT;
    }

    /** Offset of {@code file_index}. */
    public static long file_index$offset() {
        return file_index$OFFSET;
    }

    /** Reads {@code file_index}. */
    public static int file_index(MemorySegment struct) {
        return struct.get(file_index$LAYOUT, file_index$OFFSET);
    }

    /** Writes {@code file_index}. */
    public static void file_index(MemorySegment struct, int fieldValue) {
        struct.set(file_index$LAYOUT, file_index$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfShort addr_len$LAYOUT = (ValueLayout.OfShort) $LAYOUT.select(groupElement("$anon5"), groupElement("$anon6"), groupElement("addr_len"));
    private static final long addr_len$OFFSET = $LAYOUT.byteOffset(groupElement("$anon5"), groupElement("$anon6"), groupElement("addr_len"));

    /** Layout of {@code addr_len}. */
    public static ValueLayout.OfShort addr_len$layout() {
        return addr_len$LAYOUT;
    }

    /** Offset of {@code addr_len}. */
    public static long addr_len$offset() {
        return addr_len$OFFSET;
    }

    /** Reads {@code addr_len}. */
    public static short addr_len(MemorySegment struct) {
        return struct.get(addr_len$LAYOUT, addr_len$OFFSET);
    }

    /** Writes {@code addr_len}. */
    public static void addr_len(MemorySegment struct, short fieldValue) {
        struct.set(addr_len$LAYOUT, addr_len$OFFSET, fieldValue);
    }

    private static final long __pad3$OFFSET = $LAYOUT.byteOffset(groupElement("$anon5"), groupElement("$anon6"), groupElement("__pad3"));

    /** Offset of {@code __pad3}. */
    public static long __pad3$offset() {
        return __pad3$OFFSET;
    }

    /** The array {@code __pad3} as a slice of {@code struct}. */
    public static MemorySegment __pad3(MemorySegment struct) {
        return struct.asSlice(__pad3$OFFSET, 1L * ValueLayout.JAVA_SHORT.byteSize());
    }

    /** Reads {@code __pad3[index]}. */
    public static short __pad3(MemorySegment struct, long index) {
        return struct.get(ValueLayout.JAVA_SHORT, __pad3$OFFSET + java.util.Objects.checkIndex(index, 1L) * ValueLayout.JAVA_SHORT.byteSize());
    }

    /** Writes {@code __pad3[index]}. */
    public static void __pad3(MemorySegment struct, long index, short fieldValue) {
        struct.set(ValueLayout.JAVA_SHORT, __pad3$OFFSET + java.util.Objects.checkIndex(index, 1L) * ValueLayout.JAVA_SHORT.byteSize(), fieldValue);
    }

    private static final ValueLayout.OfLong addr3$LAYOUT = (ValueLayout.OfLong) $LAYOUT.select(groupElement("$anon7"), groupElement("$anon8"), groupElement("addr3"));
    private static final long addr3$OFFSET = $LAYOUT.byteOffset(groupElement("$anon7"), groupElement("$anon8"), groupElement("addr3"));

    /** Layout of {@code addr3}. */
    public static ValueLayout.OfLong addr3$layout() {
        return addr3$LAYOUT;
    }

    /** Offset of {@code addr3}. */
    public static long addr3$offset() {
        return addr3$OFFSET;
    }

    /** Reads {@code addr3}. */
    public static long addr3(MemorySegment struct) {
        return struct.get(addr3$LAYOUT, addr3$OFFSET);
    }

    /** Writes {@code addr3}. */
    public static void addr3(MemorySegment struct, long fieldValue) {
        struct.set(addr3$LAYOUT, addr3$OFFSET, fieldValue);
    }

    private static final long __pad2$OFFSET = $LAYOUT.byteOffset(groupElement("$anon7"), groupElement("$anon8"), groupElement("__pad2"));

    /** Offset of {@code __pad2}. */
    public static long __pad2$offset() {
        return __pad2$OFFSET;
    }

    /** The array {@code __pad2} as a slice of {@code struct}. */
    public static MemorySegment __pad2(MemorySegment struct) {
        return struct.asSlice(__pad2$OFFSET, 1L * ValueLayout.JAVA_LONG.byteSize());
    }

    /** Reads {@code __pad2[index]}. */
    public static long __pad2(MemorySegment struct, long index) {
        return struct.get(ValueLayout.JAVA_LONG, __pad2$OFFSET + java.util.Objects.checkIndex(index, 1L) * ValueLayout.JAVA_LONG.byteSize());
    }

    /** Writes {@code __pad2[index]}. */
    public static void __pad2(MemorySegment struct, long index, long fieldValue) {
        struct.set(ValueLayout.JAVA_LONG, __pad2$OFFSET + java.util.Objects.checkIndex(index, 1L) * ValueLayout.JAVA_LONG.byteSize(), fieldValue);
    }

}
