package dev.isthmus.stack.nio;

/** What a selection key of a nio worker is attached to: a connection, an acceptor, a connect attempt or a UDP channel. */
interface NioSelectable {
    /** The key is ready for {@code readyOps}; runs on the worker thread inside the select. */
    void ready(int readyOps);
}
