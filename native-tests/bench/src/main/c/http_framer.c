/* See http_framer.h: a line-for-line port of HttpRequestFramer (stack-facade, dev.isthmus.stack.examples). */
#include "http_framer.h"

#include <string.h>

static void reset_head(struct framer *f)
{
	f->line_start = 0;
	f->saw_request_line = false;
	f->minor_version = 1;
	f->method_is_head = false;
	f->connection_close = false;
	f->connection_keep_alive = false;
	f->content_length = -1;
}

void framer_init(struct framer *f)
{
	memset(f, 0, sizeof(*f));
	reset_head(f);
}

static void skip(struct inbound *in, size_t n)
{
	in->p += n;
	in->len -= n;
}

static void skip_body(struct framer *f, struct inbound *in)
{
	size_t n = f->body_remaining < in->len ? (size_t)f->body_remaining : in->len;
	skip(in, n);
	f->body_remaining -= n;
}

static bool is_digit(uint8_t b) { return b >= '0' && b <= '9'; }
static bool is_ows(uint8_t b) { return b == ' ' || b == '\t'; }
/* A request-target byte: visible US-ASCII or above (no SP, no controls). */
static bool is_visible(uint8_t b) { return b > 0x20 && b != 0x7f; }

/* tchar, RFC 9110 §5.6.2 */
static bool is_tchar(uint8_t b)
{
	if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || is_digit(b))
		return true;
	return b && strchr("!#$%&'*+-.^_`|~", b) != NULL;
}

/* Case-insensitive comparison of [s, e) with a lower-case ASCII name. */
static bool name_is(const uint8_t *s, const uint8_t *e, const char *name)
{
	size_t n = strlen(name);
	if ((size_t)(e - s) != n)
		return false;
	for (size_t i = 0; i < n; i++) {
		uint8_t b = s[i];
		if (b >= 'A' && b <= 'Z')
			b += 'a' - 'A';
		if (b != (uint8_t)name[i])
			return false;
	}
	return true;
}

/* method SP request-target SP HTTP-version, RFC 9112 §3; [s, e) holds no CR/LF. */
static int request_line(struct framer *f, const uint8_t *s, const uint8_t *e)
{
	const uint8_t *p = s;
	while (p < e && is_tchar(*p))
		p++;
	if (p == s || p == e || *p != ' ')
		return FRAMER_BAD_REQUEST;
	f->method_is_head = p - s == 4 && memcmp(s, "HEAD", 4) == 0;
	const uint8_t *target = ++p;
	while (p < e && is_visible(*p))
		p++;
	if (p == target || p == e || *p != ' ')
		return FRAMER_BAD_REQUEST;
	p++;
	/* HTTP-version = "HTTP/" DIGIT "." DIGIT, and only major version 1 */
	if (e - p != 8 || memcmp(p, "HTTP/1.", 7) != 0 || !is_digit(p[7]))
		return FRAMER_BAD_REQUEST;
	f->minor_version = p[7] - '0';
	return FRAMER_NEED_MORE;
}

/* Connection: 1#connection-option, RFC 9110 §7.6.1: looks for "close" and "keep-alive". */
static void connection_tokens(struct framer *f, const uint8_t *v, const uint8_t *ve)
{
	const uint8_t *p = v;
	while (p < ve) {
		const uint8_t *comma = p;
		while (comma < ve && *comma != ',')
			comma++;
		const uint8_t *s = p, *e = comma;
		while (s < e && is_ows(*s))
			s++;
		while (e > s && is_ows(e[-1]))
			e--;
		if (name_is(s, e, "close"))
			f->connection_close = true;
		else if (name_is(s, e, "keep-alive"))
			f->connection_keep_alive = true;
		p = comma + 1;
	}
}

/* Content-Length: 1*DIGIT; a repeated header must carry the same value (RFC 9110 §8.6). */
static int content_length(struct framer *f, const uint8_t *v, const uint8_t *ve)
{
	if (v == ve || ve - v > 18) /* 18 digits cannot overflow */
		return FRAMER_BAD_REQUEST;
	int64_t n = 0;
	for (const uint8_t *i = v; i < ve; i++) {
		if (!is_digit(*i))
			return FRAMER_BAD_REQUEST;
		n = n * 10 + (*i - '0');
	}
	if (f->content_length >= 0 && f->content_length != n)
		return FRAMER_BAD_REQUEST;
	f->content_length = n;
	return FRAMER_NEED_MORE;
}

/* field-name ":" OWS field-value OWS, RFC 9112 §5; [s, e) holds no LF. */
static int header_line(struct framer *f, const uint8_t *s, const uint8_t *e)
{
	const uint8_t *p = s;
	while (p < e && is_tchar(*p))
		p++;
	/* an empty name, whitespace before the colon (§5.1), or obs-fold (§5.2) */
	if (p == s || p == e || *p != ':')
		return FRAMER_BAD_REQUEST;
	const uint8_t *name_end = p;
	const uint8_t *v = p + 1, *ve = e;
	for (const uint8_t *i = v; i < ve; i++)
		if ((*i < 0x20 && *i != '\t') || *i == 0x7f)
			return FRAMER_BAD_REQUEST; /* includes a bare CR */
	while (v < ve && is_ows(*v))
		v++;
	while (ve > v && is_ows(ve[-1]))
		ve--;
	if (name_is(s, name_end, "connection"))
		connection_tokens(f, v, ve);
	else if (name_is(s, name_end, "content-length"))
		return content_length(f, v, ve);
	else if (name_is(s, name_end, "transfer-encoding"))
		return FRAMER_BAD_REQUEST; /* chunked bodies are not supported, as in the Java example */
	return FRAMER_NEED_MORE;
}

static int fail(struct framer *f, int verdict)
{
	f->failed = verdict;
	return verdict;
}

static int complete(struct framer *f, struct inbound *in, size_t head_length)
{
	f->last_head = f->method_is_head;
	f->last_http10 = f->minor_version == 0;
	f->last_close = f->connection_close || (f->last_http10 && !f->connection_keep_alive);
	skip(in, head_length);
	f->body_remaining = f->content_length > 0 ? (uint64_t)f->content_length : 0;
	reset_head(f);
	skip_body(f, in);
	return FRAMER_REQUEST;
}

enum framer_verdict framer_next(struct framer *f, struct inbound *in)
{
	if (f->failed != FRAMER_NEED_MORE)
		return f->failed;
	if (f->body_remaining > 0) {
		skip_body(f, in);
		if (f->body_remaining > 0)
			return FRAMER_NEED_MORE;
	}
	for (;;) {
		const uint8_t *lfp = f->line_start < in->len
			? memchr(in->p + f->line_start, '\n', in->len - f->line_start) : NULL;
		if (lfp == NULL)
			/* the head's terminating LF would come at len or later */
			return in->len >= FRAMER_MAX_HEAD_BYTES ? fail(f, FRAMER_TOO_LARGE) : FRAMER_NEED_MORE;
		size_t lf = (size_t)(lfp - in->p);
		if (lf + 1 > FRAMER_MAX_HEAD_BYTES)
			return fail(f, FRAMER_TOO_LARGE);
		size_t end = lf > f->line_start && in->p[lf - 1] == '\r' ? lf - 1 : lf;
		size_t start = f->line_start;
		f->line_start = lf + 1;
		if (end == start) { /* an empty line */
			if (!f->saw_request_line) {
				skip(in, f->line_start); /* RFC 9112 §2.2: empty lines before the request line */
				f->line_start = 0;
				continue;
			}
			return complete(f, in, f->line_start);
		}
		int verdict = f->saw_request_line ? header_line(f, in->p + start, in->p + end)
						  : request_line(f, in->p + start, in->p + end);
		if (verdict != FRAMER_NEED_MORE)
			return fail(f, verdict);
		f->saw_request_line = true;
	}
}
