/** Linking helpers, errno capture and the annotations the C layout checker reads. */
package dev.isthmus.ffi;
