/**
 * Bindings for testing the layout checker itself: some right, some deliberately wrong. They live in
 * test sources, outside the package tree the real check scans, and are handed to the checker by name.
 */
package dev.isthmus.ffi.checkfixtures;
