/*
 * c-epoll: the minimal C server scripts/bench --vs c runs beside our epoll stack, written the plain way
 * (epoll(7)): one thread, level-triggered epoll, one read(2) per readiness event, every complete request
 * of that read answered with one write(2). A partial write keeps the rest queued and waits for EPOLLOUT;
 * meanwhile the connection keeps reading, as our stacks do (HttpServer answers while not writable).
 *
 *   c-epoll [--host 127.0.0.1] [--port 0] [--app http|echo]
 *
 * Built by the harness with gcc -O2 at bench time (see CServers.java); never part of the library.
 */
#define _GNU_SOURCE /* accept4(2) */
#include "server_common.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

/* What one read may bring; a head left unfinished is at most FRAMER_MAX_HEAD_BYTES - 1 (else 431). */
#define READ_BYTES (16 * 1024)
#define MAX_EVENTS 256

struct conn {
	int fd;
	bool want_out;          /* EPOLLOUT is armed: out holds what the kernel did not take */
	struct app_conn app;
	struct outbuf out;
	size_t in_len;          /* in[0, in_len): an unfinished request from earlier reads */
	uint8_t in[FRAMER_MAX_HEAD_BYTES + READ_BYTES];
};

static int ep;
static enum app app;

static void close_conn(struct conn *c)
{
	close(c->fd); /* also removes it from the epoll set: no other reference to the file exists */
	outbuf_free(&c->out);
	free(c);
}

static void set_events(struct conn *c, bool want_out)
{
	if (c->want_out == want_out)
		return;
	struct epoll_event ev = {.events = EPOLLIN | (want_out ? EPOLLOUT : 0), .data.ptr = c};
	epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
	c->want_out = want_out;
}

/* Writes what is queued, once; returns false if the connection is done (closed). */
static bool flush(struct conn *c)
{
	if (c->out.len > 0) {
		ssize_t n = write(c->fd, c->out.data + c->out.start, c->out.len);
		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR) {
				close_conn(c);
				return false;
			}
			n = 0;
		}
		outbuf_consume(&c->out, (size_t)n);
	}
	if (c->out.len == 0 && c->app.closing) {
		close_conn(c); /* the last reply is out (RFC 9112 §9.6) */
		return false;
	}
	set_events(c, c->out.len > 0);
	return true;
}

static void on_readable(struct conn *c)
{
	ssize_t n = read(c->fd, c->in + c->in_len, sizeof(c->in) - c->in_len);
	if (n <= 0) {
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		close_conn(c); /* EOF or an error */
		return;
	}
	struct inbound in = {.p = c->in, .len = c->in_len + (size_t)n};
	bool was_empty = c->out.len == 0;
	if (!app_on_data(app, &c->app, &in, &c->out)) {
		close_conn(c);
		return;
	}
	memmove(c->in, in.p, in.len); /* keep an unfinished request at the front */
	c->in_len = in.len;
	/* One write for all the replies of this read; if earlier bytes still wait, EPOLLOUT sends both. */
	if (was_empty)
		flush(c);
}

static void on_acceptable(int listener)
{
	for (;;) {
		int fd = accept4(listener, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED)
				perror("accept4");
			return;
		}
		struct conn *c = malloc(sizeof(*c));
		if (c == NULL) {
			close(fd);
			continue;
		}
		c->fd = fd;
		c->want_out = false;
		c->in_len = 0;
		memset(&c->out, 0, sizeof(c->out));
		app_conn_init(&c->app);
		struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c}; /* level-triggered */
		if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0) {
			perror("epoll_ctl");
			close_conn(c);
		}
	}
}

int main(int argc, char **argv)
{
	struct server_options o;
	parse_options(argc, argv, "c-epoll", &o);
	app = o.app;
	signal(SIGPIPE, SIG_IGN); /* a write to a reset connection fails with EPIPE instead */
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0) {
		perror("epoll_create1");
		return 1;
	}
	int listener = listen_or_exit(&o, true);
	struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL}; /* NULL: the listener */
	epoll_ctl(ep, EPOLL_CTL_ADD, listener, &ev);
	struct epoll_event events[MAX_EVENTS];
	for (;;) {
		int n = epoll_wait(ep, events, MAX_EVENTS, -1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			perror("epoll_wait");
			return 1;
		}
		for (int i = 0; i < n; i++) {
			struct conn *c = events[i].data.ptr;
			uint32_t e = events[i].events;
			if (c == NULL) {
				on_acceptable(listener);
				continue;
			}
			/* Writable first: the queued bytes go before the replies to what is read now. */
			if ((e & EPOLLOUT) && !flush(c))
				continue;
			if (e & (EPOLLIN | EPOLLHUP | EPOLLERR))
				on_readable(c);
		}
	}
}
