package iampolicy

import (
	"compress/gzip"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"testing"
)

// The AWS managed policy corpora live in the shared reference data (test
// data only: the MAMIP file is GPL and is never embedded).
func sharedData(t testing.TB, name string) string {
	dir := os.Getenv("LOCKDOWN_SHARED_DATA")
	if dir == "" {
		dir = "/work/shared/data"
	}
	p := filepath.Join(dir, name)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("reference data %s not available (set LOCKDOWN_SHARED_DATA): %v", p, err)
	}
	return p
}

type managedCorpus struct {
	Policies map[string]struct {
		Document json.RawMessage `json:"document"`
	} `json:"policies"`
}

func loadManaged(t testing.TB) map[string]*Policy {
	t.Helper()
	b, err := os.ReadFile(sharedData(t, "aws-managed-policies.json"))
	if err != nil {
		t.Fatal(err)
	}
	var c managedCorpus
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	out := map[string]*Policy{}
	names := make([]string, 0, len(c.Policies))
	for n := range c.Policies {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		p, err := Parse(n, c.Policies[n].Document)
		if err != nil {
			t.Errorf("parse %s: %v", n, err)
			continue
		}
		out[n] = p
	}
	return out
}

func TestManagedPoliciesParse(t *testing.T) {
	pols := loadManaged(t)
	if len(pols) < 1500 {
		t.Fatalf("parsed only %d managed policies", len(pols))
	}
	var stmts, conds, notAction, notResource int
	for _, p := range pols {
		for _, s := range p.Statements {
			stmts++
			if len(s.Conditions) > 0 {
				conds++
			}
			if len(s.NotAction) > 0 {
				notAction++
			}
			if len(s.NotResource) > 0 {
				notResource++
			}
		}
	}
	// The data README counts 13 NotAction and 15 NotResource statements.
	if notAction != 13 || notResource != 15 {
		t.Errorf("NotAction=%d NotResource=%d, want 13 and 15", notAction, notResource)
	}
	t.Logf("%d policies, %d statements, %d with conditions", len(pols), stmts, conds)
}

func TestManagedPoliciesDatasetParse(t *testing.T) {
	f, err := os.Open(sharedData(t, "aws-managed-policies.iam-dataset.json.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var c managedCorpus
	if err := json.NewDecoder(zr).Decode(&c); err != nil {
		t.Fatal(err)
	}
	n := 0
	for name, p := range c.Policies {
		if _, err := Parse(name, p.Document); err != nil {
			t.Errorf("parse %s: %v", name, err)
		}
		n++
	}
	if n < 1600 {
		t.Fatalf("only %d policies", n)
	}
}

func TestManagedPolicyDecisions(t *testing.T) {
	pols := loadManaged(t)
	u := guideUser()
	decide := func(name string, ctxName, action, resource string) Decision {
		p := pols[name]
		if p == nil {
			t.Fatalf("managed policy %s missing", name)
		}
		set := PolicySet{Identity: []PolicyRef{{Kind: "user-managed", Name: name, ARN: "arn:aws:iam::aws:policy/" + name, Policy: p}}}
		return Evaluate(set, Request{Principal: u, Action: action, Resource: resource, Context: namedCtx(t, ctxName, u)})
	}
	admin := []struct{ action, resource string }{
		{"iam:CreateUser", "arn:aws:iam::123456789012:user/x"},
		{"iam:AttachUserPolicy", "arn:aws:iam::123456789012:user/x"},
		{"s3:PutObject", "arn:aws:s3:::b/k"},
		{"ec2:RunInstances", "*"},
		{"organizations:LeaveOrganization", "*"},
		{"madeup:Action", "*"},
	}
	for _, cx := range ContextNames {
		for _, a := range admin {
			if d := decide("AdministratorAccess", cx, a.action, a.resource); !d.Allowed {
				t.Errorf("AdministratorAccess %s %s under %s: %s", a.action, a.resource, cx, d.Reason)
			}
		}
	}
	for _, name := range []string{"ReadOnlyAccess", "ViewOnlyAccess", "SecurityAudit"} {
		for _, a := range []struct{ action, resource string }{
			{"iam:CreateUser", "arn:aws:iam::123456789012:user/x"},
			{"iam:AttachUserPolicy", "arn:aws:iam::123456789012:user/x"},
			{"s3:PutObject", "arn:aws:s3:::b/k"},
		} {
			for _, cx := range ContextNames {
				if d := decide(name, cx, a.action, a.resource); d.Allowed {
					t.Errorf("%s must not allow %s under %s: %s", name, a.action, cx, d.Reason)
				}
			}
		}
	}
	if d := decide("ReadOnlyAccess", ContextAccessKey, "s3:GetObject", "arn:aws:s3:::b/k"); !d.Allowed {
		t.Errorf("ReadOnlyAccess should allow s3:GetObject: %s", d.Reason)
	}
	if d := decide("PowerUserAccess", ContextAccessKey, "s3:PutObject", "arn:aws:s3:::b/k"); !d.Allowed {
		t.Errorf("PowerUserAccess should allow s3:PutObject: %s", d.Reason)
	}
	for _, a := range []string{"iam:CreateUser", "iam:PutUserPolicy"} {
		if d := decide("PowerUserAccess", ContextMFASession, a, "arn:aws:iam::123456789012:user/x"); d.Allowed {
			t.Errorf("PowerUserAccess must not allow %s: %s", a, d.Reason)
		}
	}
	if d := decide("PowerUserAccess", ContextAccessKey, "iam:CreateServiceLinkedRole", "arn:aws:iam::123456789012:role/aws-service-role/x"); !d.Allowed {
		t.Errorf("PowerUserAccess allows iam:CreateServiceLinkedRole: %s", d.Reason)
	}
}
