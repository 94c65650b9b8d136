/*
 * The request framing of dev.isthmus.stack.examples.HttpRequestFramer, in C, for the minimal C servers
 * that scripts/bench --vs c runs beside our stacks: the same rules (RFC 9112 request line and header
 * lines, CRLF or bare LF, Connection: close / keep-alive, Content-Length bodies skipped, no
 * Transfer-Encoding, an 8 KiB head limit), so the C servers do the same work per request as the Java
 * example, no less. Read HttpRequestFramer's javadoc for what is accepted and refused, and why.
 *
 * The bytes not yet consumed are a window {p, len}: framer_next() consumes a request's head (and as much
 * of its body as is there) by advancing it, and leaves an unfinished head in it, remembering how far it
 * has looked, exactly as the Java framer does with an Inbound.
 */
#ifndef ISTHMUS_HTTP_FRAMER_H
#define ISTHMUS_HTTP_FRAMER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FRAMER_MAX_HEAD_BYTES (8 * 1024)

enum framer_verdict {
	FRAMER_NEED_MORE = 0,   /* no complete request yet */
	FRAMER_REQUEST = 1,     /* a complete head was consumed: see last_close, last_head, last_http10 */
	FRAMER_BAD_REQUEST = 2, /* answer 400 and close */
	FRAMER_TOO_LARGE = 3,   /* answer 431 and close */
};

/* The unconsumed bytes of a connection. */
struct inbound {
	const uint8_t *p;
	size_t len;
};

struct framer {
	size_t line_start;      /* where the current line of the unfinished head starts, from in->p */
	bool saw_request_line;
	int minor_version;
	bool method_is_head;
	bool connection_close;
	bool connection_keep_alive;
	int64_t content_length; /* -1: none */
	uint64_t body_remaining;
	int failed;             /* a refusal sticks */
	/* the last FRAMER_REQUEST */
	bool last_close;
	bool last_head;
	bool last_http10;
};

void framer_init(struct framer *f);
enum framer_verdict framer_next(struct framer *f, struct inbound *in);

#endif
