# METADATA
# title: No expired IAM server certificates are stored
# description: |
#   CIS 1.18 and Security Hub IAM.26: SSL/TLS certificates stored in IAM
#   (iam:ListServerCertificates) that have expired should be deleted, so that
#   they cannot be deployed by mistake. A certificate fails when its
#   expiration is before the snapshot's collection time; one without an
#   expiration date in the snapshot is NOT_ASSESSED. One result per
#   certificate (its ARN); no certificate at all is one PASS on the account.
# custom:
#   id: LD-CERT-01
#   severity: low
#   section: IAM server certificates
#   requires: [server_certificates]
#   remediation: |
#     Delete the expired certificate (make sure nothing still references it):
#       aws iam list-server-certificates
#       aws iam delete-server-certificate --server-certificate-name NAME
#     Use AWS Certificate Manager for new certificates where it is supported.
#   docs_url: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_server-certs.html
package lockdown.checks.ld_cert_01

import data.lockdown.lib.result
import data.lockdown.lib.time

resource(c) := {"arn": c.arn, "type": "AWS::IAM::ServerCertificate", "name": c.name}

results contains verdict(c) if some c in input.server_certificates

verdict(c) := result.not_assessed(resource(c), msg) if {
	c.expired == null
	msg := sprintf("Server certificate %s cannot be checked for expiry: the snapshot gives no expiration date.", [c.name])
} else := result.fail(resource(c), msg) if {
	c.expired == true
	msg := sprintf("Server certificate %s expired on %s (%s), before the snapshot was collected (%s). Delete it.", [c.name, time.date(c.expiration), c.expiration, input.collected_at])
} else := result.pass(resource(c), msg) if {
	msg := sprintf("Server certificate %s expires on %s (%s).", [c.name, time.date(c.expiration), c.expiration])
}

results contains result.pass(result.account, "No IAM server certificates are stored in the account.") if {
	count(input.server_certificates) == 0
}
