/*
 * pettool: ipmi/pet's decoder on the command line, for the interop tests
 * (tests/interop/pet-*.sh).  Not installed.
 *
 *   pettool lines < FILE
 *       FILE holds traps as ipmi-pet(8) reads them with --file: a
 *       specific trap number (or NA) and the PET binding's bytes in hex
 *       ("0x44 0x45 ...").  Each is wrapped in an SNMPv1 Trap-PDU
 *       (pet_trap_encode) and decoded back (pet_datagram_decode), and one
 *       line is printed per trap, in the columns of `ipmi-pet -vv
 *       --comma-separated-output --output-event-severity`:
 *         date,time,Sensor #N,sensor type,GUID,manufacturer,system ID,
 *         severity,direction,event
 *       then ours alone: entity,instance,sensor number,manufacturer number,
 *       our severity (info/warning/critical).
 *   pettool datagram FILE
 *       FILE is one UDP payload; prints "trap: community=C enterprise=OID
 *       agent=A generic=G specific=S timeticks=T bindings=N" and the line
 *       above, or "error: WHY" and exits 1.
 *
 * Times are printed in UTC as ipmi-pet prints them with TZ=UTC.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ipmi/evtab.h"
#include "ipmi/iana.h"
#include "ipmi/ipmi.h"
#include "ipmi/pet.h"
#include "ipmi/sel.h"

static void
print_pet(const struct pet *p)
{
	uint8_t rec[SEL_ENTRY_LEN];
	struct sel_entry e;
	char text[256], when[64], guid[37];
	const char *iana;
	struct tm tm;
	time_t ts;

	pet_to_sel(p, rec);
	if (sel_decode(rec, sizeof(rec), &e) < 0) {
		printf("error: sel_decode\n");
		return;
	}
	if (e.timestamp == 0)
		snprintf(when, sizeof(when), "N/A,N/A");
	else {
		ts = (time_t)e.timestamp;
		gmtime_r(&ts, &tm);
		strftime(when, sizeof(when), "%b-%d-%Y,%H:%M:%S", &tm);
	}
	printf("%s,Sensor #%u,%s,", when, p->sensor_number,
	    p->has_specific ? ipmi_sensor_type_name(p->sensor_type) : "N/A");
	pet_guid_format(p->guid, guid);
	printf("%s", guid);
	iana = ipmi_iana_name(p->manufacturer);
	if (p->has_specific)
		sel_describe(&e, text, sizeof(text));
	else
		snprintf(text, sizeof(text), "N/A");
	printf(",%s,%u,%s,%s,%s,%u,%u,%u,%u,%s\n", iana ? iana : "?",
	    p->system_id, pet_severity_name(p->severity),
	    !p->has_specific ? "N/A" : p->direction ? "Deassertion Event" :
	    "Assertion Event", text[0] ? text : "?", p->entity,
	    p->entity_instance, p->sensor_number, p->manufacturer,
	    sel_severity_name(pet_severity(p)));
}

static int
lines(void)
{
	struct pet_trap t;
	struct pet p;
	uint8_t dgram[2048];
	struct buf b;
	char line[4096], *tok, *end, *save;
	unsigned long v;
	int rc, bad = 0;

	while (fgets(line, sizeof(line), stdin) != NULL) {
		if ((tok = strtok_r(line, " \t\n", &save)) == NULL)
			continue;
		memset(&t, 0, sizeof(t));
		if (strcmp(tok, "NA") == 0)
			t.specific = PET_SPECIFIC_NA;
		else
			t.specific = (int32_t)strtol(tok, NULL, 0);
		while ((tok = strtok_r(NULL, " \t\n", &save)) != NULL) {
			v = strtoul(tok, &end, 16);
			if (*end != '\0' || v > 0xff ||
			    t.varbind_len == sizeof(t.varbind)) {
				fprintf(stderr, "pettool: bad byte '%s'\n",
				    tok);
				return 1;
			}
			t.varbind[t.varbind_len++] = (uint8_t)v;
		}
		memcpy(t.enterprise, pet_enterprise_oid,
		    pet_enterprise_oid_len * sizeof(uint32_t));
		t.enterprise_len = pet_enterprise_oid_len;
		t.generic = PET_GENERIC_ENTERPRISE;
		memcpy(t.community, "public", 6);
		t.community_len = 6;
		buf_init_write(&b, dgram, sizeof(dgram));
		if ((rc = pet_trap_encode(&t, &b)) < 0 ||
		    (rc = pet_datagram_decode(dgram, b.len, &t, &p)) < 0) {
			printf("error: %s\n", pet_strerror(rc));
			bad = 1;
			continue;
		}
		if (t.specific == PET_SPECIFIC_NA)
			p.has_specific = 0;
		print_pet(&p);
	}
	return bad;
}

static int
datagram(const char *path)
{
	struct pet_trap t;
	struct pet p;
	uint8_t d[65536];
	size_t n, i;
	FILE *f;
	int rc;

	if ((f = fopen(path, "rb")) == NULL) {
		perror(path);
		return 2;
	}
	n = fread(d, 1, sizeof(d), f);
	fclose(f);
	rc = pet_datagram_decode(d, n, &t, &p);
	if (rc == PET_E_ENTERPRISE || rc == PET_E_GENERIC || rc == 0) {
		printf("trap: community=");
		for (i = 0; i < t.community_len; i++)
			putchar(isprint((unsigned char)t.community[i]) ?
			    t.community[i] : '?');
		printf(" enterprise=");
		for (i = 0; i < t.enterprise_len; i++)
			printf("%s%u", i ? "." : "", t.enterprise[i]);
		printf(" agent=%u.%u.%u.%u generic=%d specific=%d "
		    "timeticks=%u bindings=%u\n", t.agent_addr[0],
		    t.agent_addr[1], t.agent_addr[2], t.agent_addr[3],
		    t.generic, t.specific, t.timeticks, t.nvarbinds);
	}
	if (rc < 0) {
		printf("error: %s\n", pet_strerror(rc));
		return 1;
	}
	print_pet(&p);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "lines") == 0)
		return lines();
	if (argc == 3 && strcmp(argv[1], "datagram") == 0)
		return datagram(argv[2]);
	fprintf(stderr, "usage: pettool lines < FILE | pettool datagram "
	    "FILE\n");
	return 2;
}
