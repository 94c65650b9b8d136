package dev.isthmus.dpdk.tcp;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * A worker's connections by remote address, remote port and local port (the local address is the
 * interface's): open addressing with linear probing and backward-shift deletion (Knuth 6.4 algorithm
 * R), so a lookup allocates nothing and a delete leaves no tombstone. Grows by doubling at 1/2 load.
 */
final class FlowTable {
    private long[] keys;
    private Tcb[] values;
    private int size;

    FlowTable(int capacity) {
        int n = Integer.highestOneBit(Math.max(16, capacity) * 2 - 1);
        keys = new long[n];
        values = new Tcb[n];
    }

    static long key(int remoteIp, int remotePort, int localPort) {
        return (Integer.toUnsignedLong(remoteIp) << 32) | ((long) remotePort << 16) | localPort;
    }

    private static int slot(long key, int mask) {
        long h = key * 0x9E3779B97F4A7C15L; // Fibonacci hashing: spreads ports that differ in low bits
        return (int) (h >>> 32) & mask;
    }

    Tcb get(long key) {
        int mask = keys.length - 1;
        for (int i = slot(key, mask); ; i = (i + 1) & mask) {
            Tcb v = values[i];
            if (v == null) {
                return null;
            }
            if (keys[i] == key) {
                return v;
            }
        }
    }

    void put(long key, Tcb tcb) {
        if (get(key) != null) {
            throw new IllegalStateException("flow already present: " + tcb);
        }
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        insert(key, tcb);
        size++;
    }

    private void insert(long key, Tcb tcb) {
        int mask = keys.length - 1;
        int i = slot(key, mask);
        while (values[i] != null) {
            i = (i + 1) & mask;
        }
        keys[i] = key;
        values[i] = tcb;
    }

    boolean remove(long key, Tcb tcb) {
        int mask = keys.length - 1;
        int i = slot(key, mask);
        while (values[i] != null && !(keys[i] == key && values[i] == tcb)) {
            i = (i + 1) & mask;
        }
        if (values[i] == null) {
            return false;
        }
        values[i] = null;
        size--;
        // Shift back the entries after the hole that would not be found past it.
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            if (values[j] == null) {
                return true;
            }
            int home = slot(keys[j], mask);
            boolean movable = i <= j ? (home <= i || home > j) : (home <= i && home > j);
            if (movable) {
                keys[i] = keys[j];
                values[i] = values[j];
                values[j] = null;
                i = j;
            }
        }
    }

    private void grow() {
        long[] oldKeys = keys;
        Tcb[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new Tcb[oldValues.length * 2];
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldValues[i] != null) {
                insert(oldKeys[i], oldValues[i]);
            }
        }
    }

    int size() {
        return size;
    }

    void forEach(Consumer<Tcb> action) {
        for (Tcb t : Arrays.copyOf(values, values.length)) {
            if (t != null) {
                action.accept(t);
            }
        }
    }
}
