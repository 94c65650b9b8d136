package dev.isthmus.uring;

import dev.isthmus.ffi.uring.Barriers;
import dev.isthmus.ffi.uring.io_uring_cqe;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The completion queue of one {@link Ring}, mapped as a {@link MemorySegment}.
 *
 * <p>Orderings, as liburing's src/queue.c: the kernel's tail is read with a load-acquire (the CQE
 * contents it covers are visible after it); our head is written with a store-release once per batch,
 * after the CQEs are read, so the kernel cannot overwrite a CQE we are still reading. The head is ours
 * alone, so it is kept as a shadow and never read back.
 */
final class CompletionQueue {
    // struct io_uring_cqe (16 bytes; no IORING_SETUP_CQE32), offsets from the checked binding
    static final int CQE_SIZE = (int) io_uring_cqe.sizeof();
    static final long CQE_USER_DATA = io_uring_cqe.user_data$offset();
    static final long CQE_RES = io_uring_cqe.res$offset();
    static final long CQE_FLAGS = io_uring_cqe.flags$offset();

    private final MemorySegment ring;
    private final long khead;
    private final long ktail;
    private final long koverflow;
    private final long cqes;
    private final int mask;
    private final int entries;
    private int head;

    CompletionQueue(MemorySegment ring, long khead, long ktail, long kmask, long kentries, long koverflow, long cqes) {
        this.ring = ring;
        this.khead = khead;
        this.ktail = ktail;
        this.koverflow = koverflow;
        this.cqes = cqes;
        this.mask = ring.get(ValueLayout.JAVA_INT, kmask);
        this.entries = ring.get(ValueLayout.JAVA_INT, kentries);
        this.head = Barriers.READ_ONCE(ring, khead);
    }

    int entries() {
        return entries;
    }

    /** Completions ready to read. */
    int ready() {
        return Barriers.load_acquire(ring, ktail) - head;
    }

    /** CQEs the kernel dropped (only without IORING_FEAT_NODROP, which every supported kernel has). */
    int overflowCount() {
        return Barriers.READ_ONCE(ring, koverflow);
    }

    /**
     * Hands every ready CQE to {@code handler}, in order, and returns how many. Completions that arrive
     * while the batch runs are left for the next call, which bounds the work done per loop turn.
     */
    int process(CompletionHandler handler) {
        int tail = Barriers.load_acquire(ring, ktail);
        int start = head;
        int h = start;
        if (h == tail) {
            return 0;
        }
        try {
            while (h != tail) {
                long o = cqes + (long) (h & mask) * CQE_SIZE;
                long userData = ring.get(ValueLayout.JAVA_LONG, o + CQE_USER_DATA);
                int res = ring.get(ValueLayout.JAVA_INT, o + CQE_RES);
                int flags = ring.get(ValueLayout.JAVA_INT, o + CQE_FLAGS);
                // Advance before the callback so that a callback that throws does not see this CQE again.
                h++;
                head = h;
                handler.complete(userData, res, flags);
            }
        } finally {
            Barriers.store_release(ring, khead, head);
        }
        return h - start;
    }
}
