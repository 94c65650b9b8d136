/* See server_common.h. */
#include "server_common.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* The replies of HttpServer.java, byte for byte. */
#define HEADERS "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n"
#define BODY "Hello, World!"
static const char OK[] = HEADERS "\r\n" BODY;
static const char OK_CLOSE[] = HEADERS "Connection: close\r\n\r\n" BODY;      /* RFC 9112 §9.6 */
static const char OK_KEEP_ALIVE[] = HEADERS "Connection: keep-alive\r\n\r\n" BODY; /* HTTP/1.0, §9.3 */
static const char BAD_REQUEST[] = "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\n"
				  "Content-Length: 12\r\nConnection: close\r\n\r\nBad Request\n";
static const char TOO_LARGE[] = "HTTP/1.1 431 Request Header Fields Too Large\r\n"
				"Content-Type: text/plain\r\nContent-Length: 32\r\nConnection: close\r\n\r\n"
				"Request Header Fields Too Large\n";

static void usage(const char *name, const char *why)
{
	if (why)
		fprintf(stderr, "%s: %s\n", name, why);
	fprintf(stderr, "usage: %s [--host ADDR (default 127.0.0.1)] [--port N (default 0: a free one)]"
			" [--app http|echo (default http)]\n", name);
	exit(2);
}

void parse_options(int argc, char **argv, const char *name, struct server_options *o)
{
	o->host = "127.0.0.1";
	o->port = 0;
	o->app = APP_HTTP;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0)
			usage(name, NULL);
		if (i + 1 >= argc)
			usage(name, "every switch takes a value");
		const char *v = argv[++i];
		if (strcmp(argv[i - 1], "--host") == 0) {
			o->host = v;
		} else if (strcmp(argv[i - 1], "--port") == 0) {
			char *end;
			long p = strtol(v, &end, 10);
			if (*v == '\0' || *end != '\0' || p < 0 || p > 65535)
				usage(name, "--port must be from 0 to 65535");
			o->port = (int)p;
		} else if (strcmp(argv[i - 1], "--app") == 0) {
			if (strcmp(v, "http") == 0)
				o->app = APP_HTTP;
			else if (strcmp(v, "echo") == 0)
				o->app = APP_ECHO;
			else
				usage(name, "--app must be http or echo");
		} else {
			usage(name, "unknown switch");
		}
	}
}

int listen_or_exit(const struct server_options *o, bool nonblocking)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)o->port)};
	if (inet_pton(AF_INET, o->host, &a.sin_addr) != 1) {
		fprintf(stderr, "--host must be an IPv4 address, was '%s'\n", o->host);
		exit(2);
	}
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | (nonblocking ? SOCK_NONBLOCK : 0), 0);
	int one = 1;
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0
	    || bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(fd, 1024) < 0) {
		fprintf(stderr, "cannot listen on %s:%d: %s\n", o->host, o->port, strerror(errno));
		exit(1);
	}
	socklen_t len = sizeof(a);
	getsockname(fd, (struct sockaddr *)&a, &len); /* the port the kernel chose for --port 0 */
	printf("listening on %s:%d\n", o->host, ntohs(a.sin_port));
	fflush(stdout);
	return fd;
}

bool outbuf_append(struct outbuf *b, const void *p, size_t n)
{
	if (b->start + b->len + n > b->cap) {
		if (b->start > 0) { /* move what is left to the front first */
			memmove(b->data, b->data + b->start, b->len);
			b->start = 0;
		}
		if (b->len + n > b->cap) {
			size_t cap = b->cap ? b->cap : 4096;
			while (cap < b->len + n)
				cap *= 2;
			if (cap > OUTBUF_MAX)
				return false;
			uint8_t *d = realloc(b->data, cap);
			if (d == NULL)
				return false;
			b->data = d;
			b->cap = cap;
		}
	}
	memcpy(b->data + b->start + b->len, p, n);
	b->len += n;
	return true;
}

void outbuf_consume(struct outbuf *b, size_t n)
{
	b->start += n;
	b->len -= n;
	if (b->len == 0)
		b->start = 0;
}

void outbuf_free(struct outbuf *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}

void app_conn_init(struct app_conn *c)
{
	framer_init(&c->framer);
	c->closing = false;
}

/* HttpServer.reply(): the HEAD variants are the same bytes without the body. */
static bool reply(const struct framer *f, struct outbuf *out)
{
	const char *r;
	size_t n;
	if (f->last_close) {
		r = OK_CLOSE;
		n = sizeof(OK_CLOSE) - 1;
	} else if (f->last_http10) {
		r = OK_KEEP_ALIVE;
		n = sizeof(OK_KEEP_ALIVE) - 1;
	} else {
		r = OK;
		n = sizeof(OK) - 1;
	}
	return outbuf_append(out, r, f->last_head ? n - (sizeof(BODY) - 1) : n);
}

bool app_on_data(enum app app, struct app_conn *c, struct inbound *in, struct outbuf *out)
{
	if (c->closing) { /* after the last reply, what the client still sends is ignored */
		in->p += in->len;
		in->len = 0;
		return true;
	}
	if (app == APP_ECHO) {
		bool ok = outbuf_append(out, in->p, in->len);
		in->p += in->len;
		in->len = 0;
		return ok;
	}
	int verdict;
	while ((verdict = framer_next(&c->framer, in)) == FRAMER_REQUEST) {
		if (!reply(&c->framer, out))
			return false;
		if (c->framer.last_close) {
			c->closing = true;
			break;
		}
	}
	bool ok = true;
	if (verdict == FRAMER_BAD_REQUEST) {
		ok = outbuf_append(out, BAD_REQUEST, sizeof(BAD_REQUEST) - 1);
		c->closing = true;
	} else if (verdict == FRAMER_TOO_LARGE) {
		ok = outbuf_append(out, TOO_LARGE, sizeof(TOO_LARGE) - 1);
		c->closing = true;
	}
	if (c->closing) {
		in->p += in->len;
		in->len = 0;
	}
	return ok;
}
