package facts_test

// The policy checks end to end: snapshot -> facts (the policy engine's
// per-document verdicts) -> the built-in Rego checks, for every encoding
// that grants, or does not grant, every action.

import (
	"context"
	"testing"

	"github.com/lockdown-dev/lockdown/internal/engine"
	"github.com/lockdown-dev/lockdown/internal/facts"
	"github.com/lockdown-dev/lockdown/internal/findings"
	"github.com/lockdown-dev/lockdown/internal/snapshot"
	"github.com/lockdown-dev/lockdown/internal/snapshot/snapshottest"
)

const acctARN = "arn:aws:iam::" + snapshottest.AccountID + ":"

func doc(stmts string) []byte {
	return snapshottest.Doc(`{"Version":"2012-10-17","Statement":[` + stmts + `]}`)
}

// verdicts runs the checks on s and returns check -> "resource name/detail" -> status.
func verdicts(t *testing.T, s *snapshot.Snapshot, checks ...string) map[string]map[string]findings.Status {
	t.Helper()
	snapshot.Normalize(s)
	f, err := facts.Build(s)
	if err != nil {
		t.Fatal(err)
	}
	e, err := engine.New(engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	out, err := e.Evaluate(context.Background(), f, checks)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]map[string]findings.Status{}
	for _, r := range out.Results {
		if got[r.CheckID] == nil {
			got[r.CheckID] = map[string]findings.Status{}
		}
		got[r.CheckID][r.Resource.Name+"/"+r.Detail] = r.Status
	}
	return got
}

func TestFullAdminPolicyEncodingsEndToEnd(t *testing.T) {
	s := snapshottest.GuideCompliant()
	inline := map[string]string{
		"star-list":       `{"Effect":"Allow","Action":["*"],"Resource":["*"]}`,
		"empty-notaction": `{"Effect":"Allow","NotAction":[],"Resource":"*"}`,
		"no-such-action":  `{"Effect":"Allow","NotAction":"lockdownnone:Nothing","Resource":"*"}`,
		"not-resource":    `{"Effect":"Allow","Action":"*","NotResource":"*"}`,
		"not-iam":         `{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}`,
		"s3-wildcard":     `{"Effect":"Allow","Action":"s3:*","Resource":"*"}`,
	}
	var roles []snapshot.Role
	for name, st := range inline {
		roles = append(roles, snapshot.Role{
			Name: name, ID: snapshottest.ID("AROA", name), ARN: acctARN + "role/" + name, Path: "/",
			AssumeRolePolicyDocument: snapshottest.Doc(snapshottest.TrustRequireMFADoc),
			InlinePolicies:           []snapshot.InlinePolicy{{Name: "p", Document: doc(st)}},
		})
	}
	s.Roles = append(s.Roles, roles...)
	// A customer managed "*" on "*" attached to nobody, and one as a group's.
	unattached := snapshottest.Policy(s, snapshottest.AdminPolicyARN)
	unattached.AttachmentCount = 0
	snapshottest.Role(s, "AdminRole").AttachedPolicies = nil
	snapshottest.Group(s, "Users").InlinePolicies = []snapshot.InlinePolicy{{Name: "all", Document: doc(`{"Effect":"Allow","Action":"*:*","Resource":"*"}`)}}

	got := verdicts(t, s, "LD-POL-01", "LD-POL-02", "LD-POL-03")
	want01 := map[string]findings.Status{
		"star-list/inline:p": findings.Fail, "empty-notaction/inline:p": findings.Fail, "no-such-action/inline:p": findings.Fail,
		"not-resource/inline:p": findings.Pass, "not-iam/inline:p": findings.Pass, "s3-wildcard/inline:p": findings.Pass,
		"Users/inline:all": findings.Fail, "AdminPolicy/": findings.Pass, "IAMRequireMFA/": findings.Pass, "AssumeAdminRole/": findings.Pass,
	}
	for k, w := range want01 {
		if got["LD-POL-01"][k] != w {
			t.Errorf("LD-POL-01 %s = %s, want %s", k, got["LD-POL-01"][k], w)
		}
	}
	// IAM.1 and IAM.21 judge the customer managed policy attached or not.
	if got["LD-POL-02"]["AdminPolicy/"] != findings.Fail || got["LD-POL-03"]["AdminPolicy/"] != findings.Fail {
		t.Errorf("unattached AdminPolicy: LD-POL-02 %s, LD-POL-03 %s", got["LD-POL-02"]["AdminPolicy/"], got["LD-POL-03"]["AdminPolicy/"])
	}
	if got["LD-POL-02"]["IAMRequireMFA/"] != findings.Pass || got["LD-POL-03"]["IAMRequireMFA/"] != findings.Pass {
		t.Errorf("IAMRequireMFA (iam:* only in a NotAction Deny): %v %v", got["LD-POL-02"], got["LD-POL-03"])
	}
}

func TestTrustAnyPrincipalEndToEnd(t *testing.T) {
	s := snapshottest.GuideCompliant()
	trusts := map[string]string{
		"open":     `{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"}`,
		"open-mfa": `{"Effect":"Allow","Principal":{"AWS":["*"]},"Action":"sts:AssumeRole","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}`,
		"org":      `{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abc"}}}`,
		"external": `{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"x"}}}`,
		"service":  `{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}`,
	}
	for name, st := range trusts {
		s.Roles = append(s.Roles, snapshot.Role{
			Name: name, ID: snapshottest.ID("AROA", name), ARN: acctARN + "role/" + name, Path: "/",
			AssumeRolePolicyDocument: doc(st),
		})
	}
	got := verdicts(t, s, "LD-ROLE-02")["LD-ROLE-02"]
	want := map[string]findings.Status{"open/": findings.Fail, "open-mfa/": findings.Fail, "org/": findings.Pass,
		"external/": findings.Pass, "service/": findings.Pass, "AdminRole/": findings.Pass}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s = %s, want %s", k, got[k], w)
		}
	}
}
