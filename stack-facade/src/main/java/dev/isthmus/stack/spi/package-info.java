/** The service-provider interface that backends implement. Internal: not for applications. */
package dev.isthmus.stack.spi;
