package privesc

import (
	"testing"

	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

// withSCP puts the account in an organization whose root carries
// FullAWSAccess and scp (a policy document), managed from management.
func (b *acctBuilder) withSCP(scp string, management string) {
	full := snapshot.OrgPolicy{ID: "p-FullAWSAccess", ARN: "arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess",
		Name: "FullAWSAccess", Type: snapshot.OrgPolicySCP, AWSManaged: true,
		Document: []byte(`{"Statement":[{"Action":"*","Effect":"Allow","Resource":"*"}],"Version":"2012-10-17"}`)}
	extra := snapshot.OrgPolicy{ID: "p-noiamedits1", ARN: "arn:aws:organizations::" + management + ":policy/o-abcdefghij/service_control_policy/p-noiamedits1",
		Name: "NoIAMEdits", Type: snapshot.OrgPolicySCP, Document: []byte(scp)}
	b.s.Organization = &snapshot.Organization{
		ID: "o-abcdefghij", ManagementAccountID: management, PolicyTypes: []string{snapshot.OrgPolicySCP},
		Path: []snapshot.OrgNode{
			{ID: "r-ab12", Type: "ROOT", SCPs: []string{full.ID, extra.ID}, RCPs: []string{}},
			{ID: testAcct, Type: "ACCOUNT", SCPs: []string{full.ID}, RCPs: []string{}},
		},
		Policies: []snapshot.OrgPolicy{full, extra},
	}
	b.s.Sources[snapshot.SourceOrganization] = snapshot.SourceStatus{Status: snapshot.StatusOK}
}

// An SCP that forbids editing policies removes the self-escalation it
// would take; in the management account, which SCPs do not bind, the path
// stays.
func TestSCPRemovesAnEscalation(t *testing.T) {
	bob := arn("user/bob")
	const noEdits = `{"Version":"2012-10-17","Statement":[{"Sid":"DenyPolicyEdits","Effect":"Deny","Action":["iam:PutUserPolicy","iam:AttachUserPolicy"],"Resource":"*"}]}`
	build := func() *acctBuilder {
		b := newAccount()
		b.user("bob", nil, doc(allow(`"iam:PutUserPolicy"`, `"arn:aws:iam::*:user/${aws:username}"`)))
		return b
	}
	wantPath(t, build().run(t, nil), bob, bob, "access_key", "iam-007")

	member := build()
	member.withSCP(noEdits, "999988887777")
	wantNoPath(t, member.run(t, nil), bob)

	management := build()
	management.withSCP(noEdits, testAcct)
	wantPath(t, management.run(t, nil), bob, bob, "access_key", "iam-007")

	// An SCP that requires MFA leaves the path, but only in an MFA session.
	mfa := build()
	mfa.withSCP(`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}]}`, "999988887777")
	p := wantPath(t, mfa.run(t, nil), bob, bob, "mfa_session", "iam-007")
	if !p.RequiresMFA {
		t.Errorf("under an SCP requiring MFA the path works only with MFA: %+v", p)
	}
}
