package snapshottest

import (
	"bytes"
	"regexp"
	"testing"

	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

func TestGenerateValidatesAndIsDeterministic(t *testing.T) {
	cfg := Config{Users: 50, Roles: 20, Policies: 40, Groups: 6, Seed: 7}
	a, err := snapshot.Marshal(Generate(cfg))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := snapshot.Decode("synth(seed 7)", a); err != nil {
		t.Fatalf("generated snapshot does not validate: %v", err)
	}
	b, err := snapshot.Marshal(Generate(cfg))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Fatal("two runs with the same seed differ")
	}
	cfg.Seed = 8
	c, err := snapshot.Marshal(Generate(cfg))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(a, c) {
		t.Fatal("seeds 7 and 8 gave the same snapshot")
	}
}

func TestGenerateIsConsistent(t *testing.T) {
	cfg := Config{Users: 300, Roles: 60, Policies: 120, Seed: 1}
	s := Generate(cfg)
	if len(s.Users) != cfg.Users || len(s.Roles) != cfg.Roles {
		t.Fatalf("%d users, %d roles; want %d, %d", len(s.Users), len(s.Roles), cfg.Users, cfg.Roles)
	}
	if len(s.Groups) != 7 { // derived: max(3, 300/40)
		t.Errorf("%d groups, want 7", len(s.Groups))
	}
	policies := map[string]*snapshot.ManagedPolicy{}
	customer := 0
	for i := range s.Policies {
		p := &s.Policies[i]
		policies[p.ARN] = p
		if p.DefaultDocument() == nil {
			t.Errorf("policy %s has no default version document", p.ARN)
		}
		if !regexp.MustCompile(`^arn:aws:iam::aws:`).MatchString(p.ARN) {
			customer++
		}
	}
	if customer != cfg.Policies {
		t.Errorf("%d customer managed policies, want %d", customer, cfg.Policies)
	}
	counts := map[string]int32{}
	groups := map[string]bool{}
	for _, g := range s.Groups {
		groups[g.Name] = true
		for _, a := range g.AttachedPolicies {
			counts[a.ARN]++
		}
	}
	rows := map[string]bool{}
	for _, r := range s.CredentialReport.Rows {
		rows[r["arn"]] = true
		if len(r) != 22 {
			t.Errorf("row %s has %d columns", r["user"], len(r))
		}
	}
	if !rows["arn:aws:iam::"+GeneratedAccountID+":root"] {
		t.Error("no root row in the credential report")
	}
	idRE := regexp.MustCompile(`^AIDA[A-Z2-7]{17}$`)
	kinds := map[string]bool{}
	for _, u := range s.Users {
		if !rows[u.ARN] {
			t.Errorf("user %s has no credential report row", u.ARN)
		}
		if !idRE.MatchString(u.ID) {
			t.Errorf("user %s has ID %q", u.Name, u.ID)
		}
		for _, g := range u.Groups {
			if !groups[g] {
				t.Errorf("user %s is in unknown group %s", u.Name, g)
			}
		}
		for _, a := range u.AttachedPolicies {
			counts[a.ARN]++
			kinds["user-attached"] = true
		}
		if len(u.InlinePolicies) > 0 {
			kinds["user-inline"] = true
		}
	}
	for _, r := range s.Roles {
		if len(r.AssumeRolePolicyDocument) == 0 {
			t.Errorf("role %s has no trust policy", r.Name)
		}
		for _, a := range r.AttachedPolicies {
			counts[a.ARN]++
		}
	}
	for arn, n := range counts {
		p, ok := policies[arn]
		if !ok {
			t.Errorf("attached policy %s is not in the snapshot", arn)
			continue
		}
		if p.AttachmentCount != n {
			t.Errorf("policy %s: attachment_count %d, attached %d times", arn, p.AttachmentCount, n)
		}
	}
	if len(s.Users) != int(s.AccountSummary["Users"]) || len(s.Roles) != int(s.AccountSummary["Roles"]) {
		t.Error("account summary counts disagree with the entities")
	}
	// The documents exercise the policy language, not just Allow *.
	all, _ := snapshot.Marshal(s)
	for _, want := range []string{`"NotAction"`, `"NotResource"`, `"Condition"`, `IfExists`, `ForAllValues:`, `ForAnyValue:`, `${aws:username}`, `"Federated"`, `"Service"`} {
		if !bytes.Contains(all, []byte(want)) {
			t.Errorf("generated snapshot never uses %s", want)
		}
	}
	for _, k := range []string{"user-attached", "user-inline"} {
		if !kinds[k] {
			t.Errorf("no user has a %s policy", k)
		}
	}
}

func TestIDShape(t *testing.T) {
	for _, p := range []string{"AIDA", "AGPA", "AROA", "ANPA"} {
		id := ID(p, "x")
		if len(id) != 21 || id[:4] != p || ID(p, "x") != id || ID(p, "y") == id {
			t.Errorf("ID(%s) = %q", p, id)
		}
	}
}
