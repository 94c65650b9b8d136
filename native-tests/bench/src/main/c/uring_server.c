/*
 * c-io_uring: the minimal C server scripts/bench --vs c runs beside our io_uring stack, written the plain
 * liburing way (io_uring(7), liburing 2.3+): one thread, one ring set up with SINGLE_ISSUER|DEFER_TASKRUN
 * (6.1; falls back on EINVAL), a multishot accept (5.19) and per connection a multishot recv (6.0) that
 * takes its buffers from a provided-buffer ring (5.19). Every complete request of one recv completion is
 * answered with one send. The ring sizes are our io_uring stack's defaults (256 SQ, 4096 CQ, 512 buffers).
 *
 *   c-io_uring [--host 127.0.0.1] [--port 0] [--app http|echo]
 *
 * A connection's life: (1) accepted by the multishot accept, (2) its multishot recv armed, (3) each recv
 * completion names a buffer of the ring: the bytes are framed in place (an unfinished request is copied
 * aside), the replies appended to `pending`, the buffer handed back to the ring, (4) one send at a time:
 * `pending` becomes `sending` and stays untouched until its send completes (the kernel may read it after
 * the submit returns), the rest of a short send is sent again, (5) EOF, an error, or the last reply of a
 * Connection: close: shutdown(2) ends the armed recv, and the memory is freed when no request is left
 * in flight.
 *
 * Built by the harness with gcc -O2 -luring at bench time (see CServers.java); never part of the library.
 */
#include "server_common.h"

#include <errno.h>
#include <liburing.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#define SQ_ENTRIES 256
#define CQ_ENTRIES 4096
#define BUF_ENTRIES 512      /* a power of two, as the buffer ring requires */
#define BUF_SIZE 4096
#define BUF_GROUP 0

/* user_data: the connection's address with the operation in its low 2 bits (malloc aligns to 16). */
enum op { OP_ACCEPT = 0, OP_RECV = 1, OP_SEND = 2 };
#define OP_MASK 3ull

struct conn {
	int fd;
	bool recv_armed;        /* the multishot recv may still complete */
	bool send_in_flight;
	bool closed;            /* shut down: waiting for the requests in flight before freeing */
	struct app_conn app;
	struct outbuf sending;  /* what the send in flight reads; not touched until it completes */
	struct outbuf pending;  /* replies made meanwhile, sent next */
	size_t in_len;          /* in[0, in_len): an unfinished request copied out of a ring buffer */
	uint8_t in[FRAMER_MAX_HEAD_BYTES + BUF_SIZE];
};

static struct io_uring ring;
static struct io_uring_buf_ring *buf_ring;
static uint8_t *bufs;
static enum app app;
static int listener;

static struct io_uring_sqe *sqe(void)
{
	struct io_uring_sqe *s = io_uring_get_sqe(&ring);
	if (s == NULL) { /* the SQ is full: hand it to the kernel, then there is room */
		io_uring_submit(&ring);
		s = io_uring_get_sqe(&ring);
	}
	return s;
}

static void arm_accept(void)
{
	struct io_uring_sqe *s = sqe();
	io_uring_prep_multishot_accept(s, listener, NULL, NULL, SOCK_CLOEXEC);
	io_uring_sqe_set_data64(s, OP_ACCEPT);
}

static void arm_recv(struct conn *c)
{
	struct io_uring_sqe *s = sqe();
	io_uring_prep_recv_multishot(s, c->fd, NULL, 0, 0);
	s->flags |= IOSQE_BUFFER_SELECT;
	s->buf_group = BUF_GROUP;
	io_uring_sqe_set_data64(s, (uint64_t)(uintptr_t)c | OP_RECV);
	c->recv_armed = true;
}

static void send_next(struct conn *c)
{
	if (c->send_in_flight || c->closed)
		return;
	if (c->sending.len == 0) {
		if (c->pending.len == 0)
			return;
		struct outbuf t = c->sending; /* swap: the empty one collects the next replies */
		c->sending = c->pending;
		c->pending = t;
	}
	struct io_uring_sqe *s = sqe();
	io_uring_prep_send(s, c->fd, c->sending.data + c->sending.start, c->sending.len, MSG_NOSIGNAL);
	io_uring_sqe_set_data64(s, (uint64_t)(uintptr_t)c | OP_SEND);
	c->send_in_flight = true;
}

/* Frees the connection once nothing in flight can still name it. */
static void release(struct conn *c)
{
	if (!c->closed || c->recv_armed || c->send_in_flight)
		return;
	close(c->fd);
	outbuf_free(&c->sending);
	outbuf_free(&c->pending);
	free(c);
}

static void close_conn(struct conn *c)
{
	if (!c->closed) {
		c->closed = true;
		/* Ends the armed recv (it completes with 0 and no IORING_CQE_F_MORE) and fails a pending send. */
		shutdown(c->fd, SHUT_RDWR);
	}
	release(c);
}

static void recycle(int bid)
{
	io_uring_buf_ring_add(buf_ring, bufs + (size_t)bid * BUF_SIZE, BUF_SIZE, (unsigned short)bid,
			      io_uring_buf_ring_mask(BUF_ENTRIES), 0);
	io_uring_buf_ring_advance(buf_ring, 1);
}

static void on_recv(struct conn *c, struct io_uring_cqe *cqe)
{
	bool more = cqe->flags & IORING_CQE_F_MORE;
	if (!more)
		c->recv_armed = false;
	if (cqe->res > 0) {
		int bid = (int)(cqe->flags >> IORING_CQE_BUFFER_SHIFT);
		const uint8_t *data = bufs + (size_t)bid * BUF_SIZE;
		if (!c->closed) {
			struct inbound in;
			if (c->in_len == 0) { /* the usual case: framed in the ring's buffer, no copy */
				in.p = data;
				in.len = (size_t)cqe->res;
			} else {
				memcpy(c->in + c->in_len, data, (size_t)cqe->res);
				in.p = c->in;
				in.len = c->in_len + (size_t)cqe->res;
			}
			if (!app_on_data(app, &c->app, &in, &c->pending)) {
				recycle(bid);
				close_conn(c);
				return;
			}
			memmove(c->in, in.p, in.len); /* keep an unfinished request until the next recv */
			c->in_len = in.len;
		}
		recycle(bid); /* after framing: the bytes were read in place */
		send_next(c);
		if (!more && !c->closed)
			arm_recv(c); /* the kernel ended the multishot (e.g. the CQ overflowed): arm it again */
	} else if (cqe->res == -ENOBUFS && !c->closed) {
		if (!more)
			arm_recv(c); /* the ring ran out of buffers for a moment: they come back as we recycle */
	} else {
		close_conn(c); /* 0: EOF; else an error (or the end our shutdown caused) */
		return;
	}
	release(c);
}

static void on_send(struct conn *c, struct io_uring_cqe *cqe)
{
	c->send_in_flight = false;
	if (cqe->res < 0) {
		close_conn(c);
		return;
	}
	outbuf_consume(&c->sending, (size_t)cqe->res); /* a short send: the rest goes next */
	if (c->sending.len == 0 && c->pending.len == 0 && c->app.closing) {
		close_conn(c); /* the last reply is out (RFC 9112 §9.6) */
		return;
	}
	send_next(c);
	release(c);
}

static void on_accept(struct io_uring_cqe *cqe)
{
	if (!(cqe->flags & IORING_CQE_F_MORE))
		arm_accept(); /* the multishot ended (an error, or the CQ overflowed): arm it again */
	if (cqe->res < 0) {
		if (cqe->res != -ECONNABORTED && cqe->res != -EINTR)
			fprintf(stderr, "accept: %s\n", strerror(-cqe->res));
		return;
	}
	struct conn *c = malloc(sizeof(*c));
	if (c == NULL) {
		close(cqe->res);
		return;
	}
	memset(c, 0, offsetof(struct conn, in));
	c->fd = cqe->res;
	app_conn_init(&c->app);
	arm_recv(c);
}

static void setup_ring(void)
{
	struct io_uring_params p;
	/* SINGLE_ISSUER|DEFER_TASKRUN (6.1): completions are processed only when this thread enters the
	 * kernel to wait, not by interrupting it; COOP_TASKRUN (5.19) is next best; CQSIZE (5.5). */
	unsigned flags[] = {
		IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN,
		IORING_SETUP_COOP_TASKRUN,
		0,
	};
	int ret = -EINVAL;
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]) && ret == -EINVAL; i++) {
		memset(&p, 0, sizeof(p));
		p.flags = flags[i] | IORING_SETUP_CQSIZE;
		p.cq_entries = CQ_ENTRIES;
		ret = io_uring_queue_init_params(SQ_ENTRIES, &ring, &p);
	}
	if (ret < 0) {
		fprintf(stderr, "io_uring_queue_init_params: %s\n", strerror(-ret));
		exit(1);
	}
	/* The provided-buffer ring (IORING_REGISTER_PBUF_RING, 5.19): page-aligned memory, so mmap. */
	size_t ring_bytes = BUF_ENTRIES * sizeof(struct io_uring_buf);
	buf_ring = mmap(NULL, ring_bytes, PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE, -1, 0);
	bufs = malloc((size_t)BUF_ENTRIES * BUF_SIZE);
	if (buf_ring == MAP_FAILED || bufs == NULL) {
		perror("buffer ring memory");
		exit(1);
	}
	struct io_uring_buf_reg reg = {.ring_addr = (uint64_t)(uintptr_t)buf_ring,
				       .ring_entries = BUF_ENTRIES, .bgid = BUF_GROUP};
	ret = io_uring_register_buf_ring(&ring, &reg, 0);
	if (ret < 0) {
		fprintf(stderr, "io_uring_register_buf_ring: %s (needs Linux 5.19)\n", strerror(-ret));
		exit(1);
	}
	io_uring_buf_ring_init(buf_ring);
	for (int i = 0; i < BUF_ENTRIES; i++)
		io_uring_buf_ring_add(buf_ring, bufs + (size_t)i * BUF_SIZE, BUF_SIZE, (unsigned short)i,
				      io_uring_buf_ring_mask(BUF_ENTRIES), i);
	io_uring_buf_ring_advance(buf_ring, BUF_ENTRIES);
}

int main(int argc, char **argv)
{
	struct server_options o;
	parse_options(argc, argv, "c-io_uring", &o);
	app = o.app;
	signal(SIGPIPE, SIG_IGN);
	setup_ring();
	listener = listen_or_exit(&o, false);
	arm_accept();
	for (;;) {
		int ret = io_uring_submit_and_wait(&ring, 1);
		if (ret < 0 && ret != -EINTR && ret != -EAGAIN && ret != -EBUSY) {
			fprintf(stderr, "io_uring_submit_and_wait: %s\n", strerror(-ret));
			return 1;
		}
		struct io_uring_cqe *cqe;
		unsigned head, seen = 0;
		io_uring_for_each_cqe(&ring, head, cqe) {
			uint64_t ud = io_uring_cqe_get_data64(cqe);
			struct conn *c = (struct conn *)(uintptr_t)(ud & ~OP_MASK);
			switch (ud & OP_MASK) {
			case OP_ACCEPT: on_accept(cqe); break;
			case OP_RECV: on_recv(c, cqe); break;
			case OP_SEND: on_send(c, cqe); break;
			}
			seen++;
		}
		io_uring_cq_advance(&ring, seen);
	}
}
