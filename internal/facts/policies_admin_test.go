package facts

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/lockdown-dev/lockdown/internal/snapshot"
	"github.com/lockdown-dev/lockdown/internal/snapshot/snapshottest"
)

func grantsOf(t *testing.T, doc string) *PolicyGrants {
	t.Helper()
	pa := newPolicyAnalyzer(Account{ID: "111122223333", Partition: "aws"}, time.Date(2026, 11, 27, 7, 0, 0, 0, time.UTC))
	return pa.grants("p", []byte(doc))
}

func stmt(s string) string { return `{"Version":"2012-10-17","Statement":[` + s + `]}` }

// Every encoding of "every action on every resource" is full admin; what
// grants less, or nothing, is not.
func TestFullAdminEncodings(t *testing.T) {
	cases := []struct {
		name      string
		doc       string
		full      bool
		star      bool
		wildcards bool
	}{
		{"action star string", stmt(`{"Effect":"Allow","Action":"*","Resource":"*"}`), true, true, true},
		{"action star list", stmt(`{"Effect":"Allow","Action":["*"],"Resource":["*"]}`), true, true, true},
		{"action star colon star", stmt(`{"Effect":"Allow","Action":"*:*","Resource":"*"}`), true, true, true},
		{"empty NotAction", stmt(`{"Effect":"Allow","NotAction":[],"Resource":"*"}`), true, true, true},
		{"NotAction of no real action", stmt(`{"Effect":"Allow","NotAction":"lockdownnone:Nothing","Resource":"*"}`), true, true, true},
		{"two statements", stmt(`{"Effect":"Allow","Action":"s3:*","Resource":"*"},{"Sid":"All","Effect":"Allow","Action":"*","Resource":"*"}`), true, true, true},
		{"MFA condition still full admin", stmt(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}`), true, true, true},
		{"NotResource star grants nothing", stmt(`{"Effect":"Allow","Action":"*","NotResource":"*"}`), false, false, false},
		{"only s3 resources", stmt(`{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::*"}`), false, false, true},
		{"NotAction iam", stmt(`{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}`), false, false, true},
		{"own deny removes iam", stmt(`{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"iam:*","Resource":"*"}`), false, true, true},
		{"suffix wildcard", stmt(`{"Effect":"Allow","Action":"ec2:Describe*","Resource":"*"}`), false, false, false},
		{"condition no context satisfies", stmt(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:SourceVpc":"vpc-1"}}}`), false, true, true},
		{"deny only", stmt(`{"Effect":"Deny","Action":"*","Resource":"*"}`), false, false, false},
		{"role sessions only", stmt(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalType":"AssumedRole"}}}`), true, true, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := grantsOf(t, c.doc)
			if g.Error != "" {
				t.Fatal(g.Error)
			}
			if g.FullAdmin != c.full {
				t.Errorf("full_admin = %v, want %v", g.FullAdmin, c.full)
			}
			if (len(g.StarStatements) > 0) != c.star {
				t.Errorf("star statements = %v, want any: %v", g.StarStatements, c.star)
			}
			if (len(g.ServiceWildcards) > 0) != c.wildcards {
				t.Errorf("service wildcards = %+v, want any: %v", g.ServiceWildcards, c.wildcards)
			}
			if g.FullAdmin && len(g.FullAdminStatements) == 0 {
				t.Error("full admin without the statement that grants it")
			}
		})
	}
}

func TestServiceWildcards(t *testing.T) {
	g := grantsOf(t, stmt(`{"Sid":"S3","Effect":"Allow","Action":["s3:*","ec2:Describe*"],"Resource":"*"},{"Sid":"Not","Effect":"Allow","NotAction":["s3:*"],"Resource":"*"}`))
	if len(g.ServiceWildcards) != 2 {
		t.Fatalf("got %+v", g.ServiceWildcards)
	}
	s3 := g.ServiceWildcards[0]
	if s3.Statement != "S3" || !slices.Equal(s3.Services, []string{"s3"}) || s3.NotAction || s3.AllActions {
		t.Errorf("S3 statement: %+v", s3)
	}
	not := g.ServiceWildcards[1]
	if !not.NotAction || slices.Contains(not.Services, "s3") || !slices.Contains(not.Services, "ec2") || !slices.Contains(not.Services, "iam") {
		t.Errorf("NotAction statement: %+v", not)
	}
	// Case does not matter to IAM.
	g = grantsOf(t, stmt(`{"Effect":"Allow","Action":"S3:*","Resource":"arn:aws:s3:::b/*"}`))
	if len(g.ServiceWildcards) != 1 || g.ServiceWildcards[0].Services[0] != "s3" {
		t.Errorf("S3:* not seen: %+v", g.ServiceWildcards)
	}
}

func TestRejectedPolicyIsAnError(t *testing.T) {
	g := grantsOf(t, stmt(`{"Effect":"Permit","Action":"*","Resource":"*"}`))
	if g.Error == "" || g.FullAdmin {
		t.Errorf("got %+v", g)
	}
}

func trustOf(t *testing.T, doc string) *TrustGrants {
	t.Helper()
	pa := newPolicyAnalyzer(Account{ID: "111122223333", Partition: "aws"}, time.Date(2026, 11, 27, 7, 0, 0, 0, time.UTC))
	return pa.trust("arn:aws:iam::111122223333:role/R", "R", []byte(doc))
}

func TestTrustAnyPrincipal(t *testing.T) {
	cases := []struct {
		name string
		doc  string
		open bool
	}{
		{"principal star", stmt(`{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"}`), true},
		{"AWS star", stmt(`{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}`), true},
		{"AWS star list", stmt(`{"Effect":"Allow","Principal":{"AWS":["*"]},"Action":["sts:AssumeRole","sts:TagSession"]}`), true},
		{"MFA does not narrow who", stmt(`{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}`), true},
		{"web identity star", stmt(`{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRoleWithWebIdentity"}`), true},
		{"org condition", stmt(`{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abc"}}}`), false},
		{"account condition", stmt(`{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:PrincipalAccount":"111122223333"}}}`), false},
		{"external id", stmt(`{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"x"}}}`), false},
		{"source account", stmt(`{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:SourceAccount":"111122223333"}}}`), false},
		{"one other account", stmt(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999999999999:root"},"Action":"sts:AssumeRole"}`), false},
		{"one other account by ID", stmt(`{"Effect":"Allow","Principal":{"AWS":"999999999999"},"Action":"sts:AssumeRole"}`), false},
		{"own account", stmt(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"}`), false},
		{"service", stmt(`{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}`), false},
		{"denied", stmt(`{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"},{"Effect":"Deny","Principal":"*","Action":"sts:*","Condition":{"StringNotEquals":{"aws:PrincipalAccount":"111122223333"}}}`), false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tg := trustOf(t, c.doc)
			if tg.Error != "" {
				t.Fatal(tg.Error)
			}
			if tg.AnyPrincipal != c.open {
				t.Errorf("any_principal = %v, want %v (%+v)", tg.AnyPrincipal, c.open, tg)
			}
			if tg.AnyPrincipal && (len(tg.Statements) == 0 || len(tg.Actions) == 0 || len(tg.Contexts) == 0) {
				t.Errorf("open trust without its evidence: %+v", tg)
			}
		})
	}
}

// Identical documents are judged once and share the verdict; a broken
// managed policy is an error entry, not a missing one.
func TestPolicyFactsBuild(t *testing.T) {
	s := snapshottest.GuideCompliant()
	for _, name := range []string{"u1", "u2"} {
		s.Users = append(s.Users, snapshot.User{Name: name, ARN: "arn:aws:iam::" + snapshottest.AccountID + ":user/" + name,
			InlinePolicies: []snapshot.InlinePolicy{{Name: "all", Document: snapshottest.Doc(snapshottest.AdminPolicyDoc)}}})
	}
	f, err := Build(s)
	if err != nil {
		t.Fatal(err)
	}
	pf := f.PolicyGrants
	if pf == nil {
		t.Fatal("no policy facts")
	}
	a, b := pf.Inline["arn:aws:iam::"+snapshottest.AccountID+":user/u1"]["all"], pf.Inline["arn:aws:iam::"+snapshottest.AccountID+":user/u2"]["all"]
	if a == nil || a != b || !a.FullAdmin {
		t.Errorf("inline verdicts: %p %p %+v", a, b, a)
	}
	if m := pf.Managed[snapshottest.AdminPolicyARN]; m == nil || !m.FullAdmin || m != a {
		t.Errorf("AdminPolicy: %+v", m)
	}
	if m := pf.Managed[snapshottest.RequireMFAARN]; m == nil || m.FullAdmin || len(m.StarStatements) != 0 {
		t.Errorf("IAMRequireMFA: %+v", m)
	}
	if tr := pf.Trust[snapshottest.AdminRoleARN]; tr == nil || tr.AnyPrincipal {
		t.Errorf("AdminRole trust: %+v", tr)
	}
	s.Sources[snapshot.SourceAuthorizationDetails] = snapshot.SourceStatus{Status: snapshot.StatusError}
	if f, _ := Build(s); f.PolicyGrants != nil {
		t.Error("policy facts from a failed source")
	}
}

// A large account stays fast: the work is per distinct document.
func BenchmarkPolicyFacts(b *testing.B) {
	s := snapshottest.GuideCompliant()
	for i := 0; i < 10000; i++ {
		s.Users = append(s.Users, snapshot.User{Name: fmt.Sprint("u", i), ARN: fmt.Sprint("arn:aws:iam::", snapshottest.AccountID, ":user/u", i),
			InlinePolicies: []snapshot.InlinePolicy{{Name: "all", Document: snapshottest.Doc(snapshottest.AdminPolicyDoc)}}})
	}
	f := &Facts{Account: Account{ID: snapshottest.AccountID, Partition: "aws"}, Sources: map[string]Source{snapshot.SourceAuthorizationDetails: {Status: snapshot.StatusOK}}}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f.buildPolicyFacts(s)
	}
}

// Among all of AWS's managed policies (shared/data/aws-managed-policies.json)
// only AdministratorAccess grants every action on every resource: the
// near-admin ones (PowerUserAccess's NotAction, ReadOnlyAccess's long
// lists) do not.
func TestAWSManagedPoliciesFullAdmin(t *testing.T) {
	dir := os.Getenv("LOCKDOWN_SHARED_DATA")
	if dir == "" {
		t.Skip("reference data not available: set LOCKDOWN_SHARED_DATA")
	}
	b, err := os.ReadFile(filepath.Join(dir, "aws-managed-policies.json"))
	if err != nil {
		t.Skipf("reference data not available (set LOCKDOWN_SHARED_DATA): %v", err)
	}
	var d struct {
		Policies map[string]struct {
			Document json.RawMessage `json:"document"`
		} `json:"policies"`
	}
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	if len(d.Policies) < 1000 {
		t.Fatalf("only %d policies in the reference data", len(d.Policies))
	}
	pa := newPolicyAnalyzer(Account{ID: "111122223333", Partition: "aws"}, time.Date(2026, 11, 27, 7, 0, 0, 0, time.UTC))
	var full []string
	for name, p := range d.Policies {
		g := pa.grants(name, p.Document)
		if g.Error != "" {
			t.Errorf("%s: %s", name, g.Error)
		}
		if g.FullAdmin {
			full = append(full, name)
		}
	}
	if !slices.Equal(full, []string{"AdministratorAccess"}) {
		t.Errorf("full admin: %v, want [AdministratorAccess]", full)
	}
	if g := pa.grants("PowerUserAccess", d.Policies["PowerUserAccess"].Document); len(g.ServiceWildcards) == 0 || len(g.StarStatements) != 0 {
		t.Errorf("PowerUserAccess: %+v", g)
	}
}
