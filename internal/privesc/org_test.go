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

// An SCP exemption that reads the principal (a break-glass user) is not
// shared between users whose own policies are the same: each may assume a
// role that can edit its own policy, and the SCP refuses the AssumeRole to
// everyone but breakglass.
func TestSCPExemptionIsPerPrincipal(t *testing.T) {
	b := newAccount()
	editor := arn("role/editor")
	b.role("editor", trustAccount(), false, doc(allow(`"iam:PutRolePolicy"`, `"`+editor+`"`)))
	// One managed policy, no policy variable: the users' own policies
	// decide alike.
	assume := b.managed("AssumeEditor", doc(allow(`"sts:AssumeRole"`, `"`+editor+`"`)))
	for _, name := range []string{"alice", "bob", "breakglass", "carol"} {
		u := b.user(name, nil)
		u.AttachedPolicies = append(u.AttachedPolicies, attachedPolicy("AssumeEditor", assume))
	}
	b.withSCP(`{"Version":"2012-10-17","Statement":[{"Sid":"OnlyBreakGlassAssumes","Effect":"Deny","Action":"sts:AssumeRole","Resource":"*",
"Condition":{"ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::*:user/breakglass"}}}]}`, "999988887777")
	res := b.run(t, nil)
	for _, name := range []string{"alice", "bob", "carol"} {
		wantNoPath(t, res, arn("user/"+name))
	}
	bg := arn("user/breakglass")
	wantPath(t, res, bg, editor, "access_key", "sts-001", "iam-005")
}

// The same through a resource lockdown does not collect (a Glue
// development endpoint): the possible path is breakglass's alone.
func TestSCPExemptionIsPerPrincipalOnPossiblePaths(t *testing.T) {
	b := newAccount()
	b.role("glue-admin", trustService("glue.amazonaws.com"), true)
	update := b.managed("GlueUpdate", doc(allow(`"glue:UpdateDevEndpoint"`, `"*"`)))
	for _, name := range []string{"alice", "bob", "breakglass", "carol"} {
		u := b.user(name, nil)
		u.AttachedPolicies = append(u.AttachedPolicies, attachedPolicy("GlueUpdate", update))
	}
	b.withSCP(`{"Version":"2012-10-17","Statement":[{"Sid":"OnlyBreakGlassGlue","Effect":"Deny","Action":"glue:*","Resource":"*",
"Condition":{"ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::*:user/breakglass"}}}]}`, "999988887777")
	res := b.run(t, nil)
	for _, name := range []string{"alice", "bob", "carol"} {
		wantNoPath(t, res, arn("user/"+name))
	}
	v := verdictOf(t, res, arn("user/breakglass"))
	if len(v.Paths) == 0 || !v.Paths[0].Possible || v.Paths[0].MethodIDs[0] != "glue-002" {
		t.Fatalf("breakglass may update a Glue endpoint that runs as glue-admin: %+v", v.Paths)
	}
}

// A group is judged as a member would hold it: in a member account its
// hypothetical member is bound by the SCPs too.
func TestSCPBindsAGroupsMember(t *testing.T) {
	b := newAccount()
	b.group("devs", doc(allow(`"iam:PutGroupPolicy"`, `"`+arn("group/devs")+`"`)))
	b.user("bob", []string{"devs"})
	b.withSCP(`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:PutGroupPolicy","Resource":"*"}]}`, "999988887777")
	res := b.run(t, nil)
	wantNoPath(t, res, arn("user/bob"))
	wantNoPath(t, res, arn("group/devs"))
}

// A long chain is still a path: a user assumes role 1, which assumes role
// 2, ... up to role 10, which may edit its own policy (11 steps).
func TestLongChainIsFound(t *testing.T) {
	b := newAccount()
	const n = 10
	role := func(i int) string { return arn("role/hop" + itoa(i)) }
	for i := 1; i <= n; i++ {
		var d []byte
		if i < n {
			d = doc(allow(`"sts:AssumeRole"`, `"`+role(i+1)+`"`))
		} else {
			d = doc(allow(`"iam:PutRolePolicy"`, `"`+role(i)+`"`))
		}
		b.role("hop"+itoa(i), trustAccount(), false, d)
	}
	b.user("bob", nil, doc(allow(`"sts:AssumeRole"`, `"`+role(1)+`"`)))
	ids := []string{}
	for i := 0; i < n; i++ {
		ids = append(ids, "sts-001")
	}
	wantPath(t, b.run(t, nil), arn("user/bob"), role(n), "access_key", append(ids, "iam-005")...)
}
