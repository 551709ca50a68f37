/*
 * statusq: `bmcfleet status`'s SQL (see statusq.h).
 */
#include <stddef.h>

#include "store/statusq.h"

#define ISO(x)	"to_char((" x ") AT TIME ZONE 'UTC', " \
		"'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
#define AGE_MS(x)	"(extract(epoch FROM now() - (" x ")) * 1000)::bigint"

/*
 * Each part is one index step per BMC (or per sensor): power_state by its
 * key, collection_result by its (bmc_id, time) index, each sensor's
 * latest reading by (sensor_id, ts), as the sensors report reads them; a
 * BMC's newest reading is the newest of its sensors' (sensor_reading has
 * no (bmc_id, ts) index since schema 007: one index less per reading).
 */
static const char sql_hosts[] =
"SELECT b.name, "
"    CASE ps.power_on WHEN true THEN 'on' WHEN false THEN 'off' "
"    ELSE 'unknown' END, "
"    lr.ok, lr.reason, lr.error, " ISO("lr.finished_at") ", "
"    " AGE_MS("lr.finished_at") ", "
"    coalesce(h.nominal, 0), coalesce(h.warning, 0), "
"    coalesce(h.critical, 0), coalesce(h.na, 0), "
"    " AGE_MS("rd.ts") " "
"FROM bmc b "
"LEFT JOIN LATERAL (SELECT p.power_on FROM power_state p "
"    WHERE p.bmc_id = b.id ORDER BY p.ts DESC LIMIT 1) ps ON true "
"LEFT JOIN LATERAL (SELECT r.ok, r.reason, r.error, r.finished_at "
"    FROM collection_result r WHERE r.bmc_id = b.id "
"    ORDER BY r.finished_at DESC, r.run_id DESC LIMIT 1) lr ON true "
"LEFT JOIN LATERAL (SELECT max(x.ts) AS ts FROM sensor s "
"  JOIN LATERAL (SELECT r.ts FROM sensor_reading r "
"    WHERE r.sensor_id = s.id ORDER BY r.ts DESC LIMIT 1) x ON true "
"  WHERE s.bmc_id = b.id) rd ON true "
"LEFT JOIN LATERAL (SELECT "
"    count(*) FILTER (WHERE x.state = 'nominal') AS nominal, "
"    count(*) FILTER (WHERE x.state = 'warning') AS warning, "
"    count(*) FILTER (WHERE x.state = 'critical') AS critical, "
"    count(*) FILTER (WHERE x.state NOT IN ('nominal', 'warning', "
"    'critical')) AS na "
"  FROM sensor s JOIN LATERAL (SELECT r.state FROM sensor_reading r "
"    WHERE r.sensor_id = s.id AND r.ts >= now() - interval '1 day' "
"    ORDER BY r.ts DESC LIMIT 1) x ON true "
"  WHERE s.bmc_id = b.id) h ON true "
"WHERE b.retired_at IS NULL "
"ORDER BY b.name";

static const char sql_plans[] =
"SELECT p.id, p.name, p.state, p.stage, "
"    coalesce(jsonb_array_length(p.spec -> 'stages'), 0), "
"    count(h.name), count(*) FILTER (WHERE h.state = 'confirmed'), "
"    count(*) FILTER (WHERE h.state = 'skipped'), "
"    count(*) FILTER (WHERE h.state = 'failed'), "
"    " ISO("p.started_at") ", " ISO("p.run_at") " "
"FROM power_plan p LEFT JOIN power_plan_host h ON h.plan_id = p.id "
"WHERE p.state IN ('running', 'paused', 'scheduled') "
"GROUP BY p.id ORDER BY p.id";

static const char sql_events[] =
"SELECT (SELECT count(*) FROM sel_event e "
"      WHERE e.seen_at >= now() - interval '1 day' AND NOT e.first_read), "
"    (SELECT count(*) FROM sel_event e WHERE e.seen_at >= now() - "
"      interval '1 day' AND NOT e.first_read AND e.severity = 'critical'), "
"    (SELECT count(*) FROM sel_event e WHERE e.seen_at >= now() - "
"      interval '1 day' AND NOT e.first_read AND e.severity = 'critical' "
"      AND NOT EXISTS (SELECT 1 FROM event_ack a WHERE a.event_id = e.id)), "
"    (SELECT count(*) FROM pet_trap t "
"      WHERE t.received_at >= now() - interval '1 day'), "
"    (SELECT count(*) FROM sel_event e WHERE e.source = 'pet' AND "
"      e.seen_at >= now() - interval '1 day'), "
"    n.sent, n.failed, n.suppressed, "
"    (SELECT count(*) FROM alert_notification q WHERE q.state = 'queued') "
"FROM (SELECT count(*) FILTER (WHERE state = 'sent') AS sent, "
"    count(*) FILTER (WHERE state = 'failed') AS failed, "
"    count(*) FILTER (WHERE state = 'suppressed') AS suppressed "
"  FROM alert_notification WHERE created_at >= now() - interval '1 day') n";

static const char sql_retired[] =
"SELECT count(*) FROM bmc WHERE retired_at IS NOT NULL";

const char *
statusq_sql(enum statusq_kind k)
{
	switch (k) {
	case STATUSQ_PLANS:
		return sql_plans;
	case STATUSQ_EVENTS:
		return sql_events;
	case STATUSQ_RETIRED:
		return sql_retired;
	case STATUSQ_HOSTS:
		break;
	}
	return sql_hosts;
}

int
statusq_run(struct pg_conn *pg, enum statusq_kind k,
    struct reportq_rows *rows, char *err, size_t errlen)
{
	return reportq_exec(pg, statusq_sql(k), 0, NULL, 0, rows, err,
	    errlen);
}
