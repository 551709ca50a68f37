/*
 * alert_rule: which rules an event matches, de-duplication keys, recovery
 * pairing, token buckets.  Pure.
 */
#include <fnmatch.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "scheduler/alert_rule.h"

static int
has_glob(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

int
alert_text_match(const char *pattern, const char *text)
{
	size_t n;

	if (pattern == NULL || *pattern == '\0')
		return 1;
	if (text == NULL)
		return 0;
	if (has_glob(pattern))
		return fnmatch(pattern, text, FNM_CASEFOLD) == 0;
	n = strlen(pattern);
	for (; *text != '\0'; text++)
		if (strncasecmp(text, pattern, n) == 0)
			return 1;
	return 0;
}

static int
host_in(const struct alert_rule *r, const char *bmc)
{
	size_t lo = 0, hi = r->nhosts;

	if (r->all_hosts)
		return 1;
	if (bmc == NULL)
		return 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(bmc, r->hosts[mid]);

		if (c == 0)
			return 1;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return 0;
}

int
alert_rule_match(const struct alert_rule *r, const struct alert_event *e)
{
	if ((r->sources & e->source) == 0 || !host_in(r, e->bmc))
		return 0;
	if (r->sensor_type != NULL && (e->sensor_type == NULL ||
	    strcasecmp(r->sensor_type, e->sensor_type) != 0))
		return 0;
	if (e->kind == ALERT_CLEAR)
		return r->recovery;
	if (e->severity < r->min_severity)
		return 0;
	if (e->source == ALERT_SRC_UNREACHABLE &&
	    e->failures != (r->sweeps ? r->sweeps : 1))
		return 0;
	return alert_text_match(r->text, e->text);
}

size_t
alert_rules_match(const struct alert_rule *rules, size_t n,
    const struct alert_event *e, size_t *out, size_t cap)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		if (alert_rule_match(&rules[i], e)) {
			if (k < cap)
				out[k] = i;
			k++;
		}
	return k;
}

size_t
alert_dedup_key(const struct alert_rule *r, const struct alert_event *e,
    char *buf, size_t len)
{
	const char *src = alert_source_name(e->source);
	int n;

	/* a PET-only event and its SEL entry are one condition */
	if (e->source == ALERT_SRC_PET)
		src = "sel";
	n = snprintf(buf, len, "%s\x1f%s\x1f%s\x1f%s", r->name,
	    e->bmc ? e->bmc : "", src ? src : "", e->key ? e->key : "");
	return n < 0 ? 0 : (size_t)n;
}

int
alert_decide(const struct alert_rule *r, int kind, int last_kind,
    uint64_t last_ms, uint64_t now_ms)
{
	if (kind == ALERT_CLEAR)
		return last_kind == ALERT_RAISE ? ALERT_NOTIFY : ALERT_NO_RAISE;
	/* a clear in between makes a new raise news again */
	if (last_kind == ALERT_RAISE && r->dedup_ms > 0 &&
	    now_ms >= last_ms && now_ms - last_ms < r->dedup_ms)
		return ALERT_DEDUP;
	return ALERT_NOTIFY;
}

const char *
alert_verdict_name(int v)
{
	switch (v) {
	case ALERT_NOTIFY: return "notify";
	case ALERT_DEDUP: return "dedup";
	case ALERT_NO_RAISE: return "no-raise";
	}
	return "?";
}

void
alert_bucket_init(struct alert_bucket *b, uint64_t rate_per_day,
    uint32_t burst)
{
	memset(b, 0, sizeof(*b));
	b->rate_per_day = rate_per_day;
	b->burst = burst ? burst : 1;
	b->milli_tokens = (uint64_t)b->burst * 1000;
}

#define DAY_S	86400ULL

int
alert_bucket_take(struct alert_bucket *b, uint64_t now_ms)
{
	uint64_t cap = (uint64_t)b->burst * 1000;

	if (b->rate_per_day == 0)
		return 1;
	if (!b->started) {
		b->started = 1;
		b->last_ms = now_ms;
	}
	if (now_ms > b->last_ms) {
		/*
		 * rate/day tokens = rate milli-tokens per 86,400 ms.  A
		 * quiet time longer than the bucket takes to fill fills it
		 * (and keeps the product below from overflowing: under
		 * burst * 86,400,000 ms-tokens).
		 */
		uint64_t dt = now_ms - b->last_ms,
		    fill_ms = (cap * DAY_S + b->rate_per_day - 1) /
		    b->rate_per_day;

		if (dt >= fill_ms) {
			b->milli_tokens = cap;
			b->last_ms = now_ms;
		} else {
			uint64_t add = dt * b->rate_per_day / DAY_S;

			if (add > 0) {
				b->milli_tokens = b->milli_tokens + add > cap ?
				    cap : b->milli_tokens + add;
				/* keep the remainder of the division */
				b->last_ms += add * DAY_S / b->rate_per_day;
				if (b->milli_tokens == cap)
					b->last_ms = now_ms;
			}
		}
	}
	if (b->milli_tokens < 1000)
		return 0;
	b->milli_tokens -= 1000;
	return 1;
}

uint64_t
alert_backoff_ms(uint32_t tries)
{
	uint64_t ms = 1000;

	while (tries > 1 && ms < 300000) {
		ms *= 2;
		tries--;
	}
	return ms > 300000 ? 300000 : ms;
}
