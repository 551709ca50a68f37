#include <strings.h>

#include "ipmi.h"

const char *
ipmi_strerror(int e)
{
	switch (e) {
	case IPMI_OK:
		return "success";
	case IPMI_E_SHORT:
		return "truncated packet";
	case IPMI_E_MALFORMED:
		return "malformed packet";
	case IPMI_E_CHECKSUM:
		return "bad IPMI message checksum";
	case IPMI_E_AUTHCODE:
		return "packet failed authentication";
	case IPMI_E_SESSION_ID:
		return "packet for another session";
	case IPMI_E_SEQ:
		return "replayed or out-of-window sequence number";
	case IPMI_E_UNEXPECTED:
		return "unexpected response";
	case IPMI_E_NOSPACE:
		return "message too large";
	case IPMI_E_CRYPTO:
		return "cryptographic library failure";
	case IPMI_E_TIMEOUT:
		return "no response from BMC (timed out)";
	case IPMI_E_PASSWORD:
		return "password rejected by BMC";
	case IPMI_E_USER:
		return "user name rejected by BMC";
	case IPMI_E_INSECURE:
		return "BMC offers only insecure authentication";
	case IPMI_E_UNSUPPORTED:
		return "BMC does not support the requested mode";
	case IPMI_E_PRIVILEGE:
		return "privilege level refused by BMC";
	case IPMI_E_CC:
		return "BMC returned an error completion code";
	case IPMI_E_BMC_KEY:
		return "BMC key (K_g) mismatch";
	case IPMI_E_NOSLOT:
		return "BMC has no free session slot";
	case IPMI_E_CLOSED:
		return "session closed";
	case IPMI_E_BUSY:
		return "request already in progress";
	case IPMI_E_INVAL:
		return "invalid argument";
	case IPMI_E_RAKP:
		return "RMCP+ session establishment refused";
	}
	return "unknown error";
}

const char *
ipmi_ccstr(uint8_t cc)
{
	switch (cc) {
	case IPMI_CC_OK:
		return "command completed normally";
	case IPMI_CC_NODE_BUSY:
		return "node busy";
	case IPMI_CC_INVALID_CMD:
		return "invalid command";
	case 0xc2:
		return "command invalid for given LUN";
	case IPMI_CC_TIMEOUT:
		return "timeout while processing command";
	case IPMI_CC_OUT_OF_SPACE:
		return "out of space";
	case IPMI_CC_RESERVATION:
		return "reservation cancelled or invalid";
	case IPMI_CC_TRUNCATED:
		return "request data truncated";
	case IPMI_CC_REQ_LEN:
		return "request data length invalid";
	case IPMI_CC_REQ_TOO_LONG:
		return "request data field length limit exceeded";
	case IPMI_CC_PARAM_RANGE:
		return "parameter out of range";
	case IPMI_CC_CANT_RETURN:
		return "cannot return number of requested data bytes";
	case IPMI_CC_NOT_PRESENT:
		return "requested sensor, data, or record not present";
	case IPMI_CC_INVALID_FIELD:
		return "invalid data field in request";
	case IPMI_CC_ILLEGAL:
		return "command illegal for specified sensor or record type";
	case IPMI_CC_NO_RESPONSE:
		return "command response could not be provided";
	case IPMI_CC_DUPLICATE:
		return "cannot execute duplicated request";
	case IPMI_CC_SDR_UPDATE:
		return "SDR repository in update mode";
	case IPMI_CC_FW_UPDATE:
		return "device in firmware update mode";
	case IPMI_CC_INIT:
		return "BMC initialization in progress";
	case IPMI_CC_DEST_UNAVAIL:
		return "destination unavailable";
	case IPMI_CC_PRIVILEGE:
		return "insufficient privilege level";
	case IPMI_CC_NOT_NOW:
		return "command not supported in present state";
	case IPMI_CC_SUBFN_DISABLED:
		return "command sub-function disabled or unavailable";
	case IPMI_CC_UNSPECIFIED:
		return "unspecified error";
	}
	if (cc >= 0x01 && cc <= 0x7e)
		return "device-specific (OEM) completion code";
	if (cc >= 0x80 && cc <= 0xbe)
		return "command-specific completion code";
	return "unknown completion code";
}

const char *
ipmi_priv_name(int p)
{
	switch (p) {
	case IPMI_PRIV_CALLBACK:
		return "callback";
	case IPMI_PRIV_USER:
		return "user";
	case IPMI_PRIV_OPERATOR:
		return "operator";
	case IPMI_PRIV_ADMIN:
		return "admin";
	case IPMI_PRIV_OEM:
		return "oem";
	}
	return "unknown";
}

int
ipmi_priv_parse(const char *s)
{
	if (strcasecmp(s, "callback") == 0)
		return IPMI_PRIV_CALLBACK;
	if (strcasecmp(s, "user") == 0)
		return IPMI_PRIV_USER;
	if (strcasecmp(s, "operator") == 0 || strcasecmp(s, "op") == 0)
		return IPMI_PRIV_OPERATOR;
	if (strcasecmp(s, "admin") == 0 ||
	    strcasecmp(s, "administrator") == 0)
		return IPMI_PRIV_ADMIN;
	if (strcasecmp(s, "oem") == 0)
		return IPMI_PRIV_OEM;
	return -1;
}
