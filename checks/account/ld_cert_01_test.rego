package lockdown.checks.ld_cert_01_test

import data.lockdown.checks.ld_cert_01

acct := {"id": "111122223333", "partition": "aws", "arn": "arn:aws:iam::111122223333:root"}

cert(name, exp, expired) := {
	"name": name,
	"id": "ASCAEXAMPLE",
	"arn": sprintf("arn:aws:iam::111122223333:server-certificate/%s", [name]),
	"path": "/",
	"upload_date": "2020-01-01T00:00:00Z",
	"expiration": exp,
	"expired": expired,
}

inp(certs) := {"account": acct, "collected_at": "2026-11-27T12:00:00Z", "now_epoch": 1795780800, "server_certificates": certs}

test_expired_valid_unknown if {
	rs := ld_cert_01.results with input as inp([
		cert("old", "2026-11-27T11:59:59Z", true),
		cert("good", "2027-03-01T00:00:00Z", false),
		cert("nodate", null, null),
	])
	{r.resource.name: r.status | some r in rs} == {"old": "FAIL", "good": "PASS", "nodate": "NOT_ASSESSED"}
	some r in rs
	r.status == "FAIL"
	r.resource.arn == "arn:aws:iam::111122223333:server-certificate/old"
	r.resource.type == "AWS::IAM::ServerCertificate"
	contains(r.message, "expired on 2026-11-27")
	some p in rs
	p.status == "PASS"
	contains(p.message, "expires on 2027-03-01")
}

test_no_certificates if {
	rs := ld_cert_01.results with input as inp([])
	count(rs) == 1
	some r in rs
	r.status == "PASS"
	r.resource.type == "AWS::Account"
}
