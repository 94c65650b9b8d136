package dev.isthmus.uring;

/**
 * Receives completions as primitives, one call per CQE (Netty's CompletionCallback): nothing is
 * allocated per completion.
 */
@FunctionalInterface
interface CompletionHandler {
    /**
     * @param userData the SQE's user_data (see {@link UserData})
     * @param res      the result: a count or fd, or a negated errno
     * @param flags    IORING_CQE_F_* (buffer id in the upper 16 bits with IORING_CQE_F_BUFFER)
     */
    void complete(long userData, int res, int flags);
}
