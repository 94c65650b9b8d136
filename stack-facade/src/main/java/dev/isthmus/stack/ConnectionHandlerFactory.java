package dev.isthmus.stack;

/** Makes the handler for each accepted connection; called on the connection's worker thread. */
@FunctionalInterface
public interface ConnectionHandlerFactory {
    /** Makes a fresh handler for one accepted connection. */
    ConnectionHandler newHandler();
}
