/*
 * What the two minimal C servers of scripts/bench --vs c share: the command line, the listening socket,
 * the "listening on HOST:PORT" line the harness waits for (as Serve prints it), an output buffer, and the
 * applications: HTTP "Hello, World!" answered exactly as dev.isthmus.stack.examples.HttpServer answers
 * (same bytes, same framing, every complete request of one read answered with one write), and echo
 * (for the harness's echo and ping-pong runs).
 */
#ifndef ISTHMUS_SERVER_COMMON_H
#define ISTHMUS_SERVER_COMMON_H

#include "http_framer.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum app { APP_HTTP, APP_ECHO };

struct server_options {
	const char *host;
	int port;
	enum app app;
};

/* Parses --host ADDR (default 127.0.0.1), --port N (default 0: any free port), --app http|echo;
 * prints the usage and exits with status 2 on a bad command line. */
void parse_options(int argc, char **argv, const char *name, struct server_options *o);

/* A TCP socket bound to o->host:o->port and listening (backlog 1024, SO_REUSEADDR, as our stacks'
 * ListenOptions default), non-blocking if asked; prints "listening on HOST:PORT"; exits on failure. */
int listen_or_exit(const struct server_options *o, bool nonblocking);

/*
 * Bytes waiting to be written: data[start, start + len). Grows by doubling up to OUTBUF_MAX, a bound on
 * what one connection may leave unread, so a client that never reads cannot take all memory.
 */
#define OUTBUF_MAX (64u << 20)
struct outbuf {
	uint8_t *data;
	size_t start, len, cap;
};

bool outbuf_append(struct outbuf *b, const void *p, size_t n); /* false: over OUTBUF_MAX or no memory */
void outbuf_consume(struct outbuf *b, size_t n);
void outbuf_free(struct outbuf *b);

/* One connection's application state. */
struct app_conn {
	struct framer framer;
	bool closing; /* the last reply is queued: close once it is written, ignore what else comes */
};

void app_conn_init(struct app_conn *c);

/*
 * Consumes what it can of `in` and appends the replies to `out`, as HttpServer.onData does: every
 * complete request gets its reply, in order; a bad or too large request gets 400 or 431 and the
 * connection closes after it, as does Connection: close. What is left in `in` is an unfinished request
 * for the caller to keep. Returns false if `out` overflowed (close at once).
 */
bool app_on_data(enum app app, struct app_conn *c, struct inbound *in, struct outbuf *out);

#endif
