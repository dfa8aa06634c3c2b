package privesc

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lockdown-dev/lockdown/internal/access"
	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

const testAcct = "111122223333"

func arn(s string) string { return "arn:aws:iam::" + testAcct + ":" + s }

// acctBuilder makes a small account for one test: users, groups, roles and
// managed policies given as policy documents.
type acctBuilder struct {
	s *snapshot.Snapshot
}

func newAccount() *acctBuilder {
	return &acctBuilder{s: &snapshot.Snapshot{
		Schema: snapshot.SchemaV1, CollectedAt: time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC),
		Account: snapshot.Account{ID: testAcct, Partition: "aws"},
		Sources: map[string]snapshot.SourceStatus{snapshot.SourceAuthorizationDetails: {Status: snapshot.StatusOK}},
		Policies: []snapshot.ManagedPolicy{{Name: "AdministratorAccess", ARN: "arn:aws:iam::aws:policy/AdministratorAccess",
			DefaultVersionID: "v1", Versions: []snapshot.PolicyVersion{{VersionID: "v1", IsDefaultVersion: true,
				Document: json.RawMessage(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`)}}}},
	}}
}

// doc is a policy document of the given statements (JSON objects).
func doc(statements ...string) json.RawMessage {
	return json.RawMessage(`{"Version":"2012-10-17","Statement":[` + strings.Join(statements, ",") + `]}`)
}

func allow(actions, resources string) string {
	return `{"Effect":"Allow","Action":` + actions + `,"Resource":` + resources + `}`
}

func allowIf(actions, resources, cond string) string {
	return `{"Effect":"Allow","Action":` + actions + `,"Resource":` + resources + `,"Condition":` + cond + `}`
}

func deny(actions, resources string) string {
	return `{"Effect":"Deny","Action":` + actions + `,"Resource":` + resources + `}`
}

func trustService(svc string) json.RawMessage {
	return doc(`{"Effect":"Allow","Principal":{"Service":"` + svc + `"},"Action":"sts:AssumeRole"}`)
}

func trustAccount() json.RawMessage {
	return doc(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + testAcct + `:root"},"Action":"sts:AssumeRole"}`)
}

var adminAttached = []snapshot.AttachedPolicy{{Name: "AdministratorAccess", ARN: "arn:aws:iam::aws:policy/AdministratorAccess"}}

func (b *acctBuilder) user(name string, groups []string, docs ...json.RawMessage) *snapshot.User {
	u := snapshot.User{Name: name, ID: "AIDA" + strings.ToUpper(name), ARN: arn("user/" + name), Path: "/", Groups: groups}
	for i, d := range docs {
		u.InlinePolicies = append(u.InlinePolicies, snapshot.InlinePolicy{Name: name + "-" + itoa(i), Document: d})
	}
	b.s.Users = append(b.s.Users, u)
	return &b.s.Users[len(b.s.Users)-1]
}

func (b *acctBuilder) admin(name string) {
	b.s.Users = append(b.s.Users, snapshot.User{Name: name, ID: "AIDA" + strings.ToUpper(name), ARN: arn("user/" + name), Path: "/",
		AttachedPolicies: adminAttached})
}

func (b *acctBuilder) role(name string, trust json.RawMessage, admin bool, docs ...json.RawMessage) *snapshot.Role {
	r := snapshot.Role{Name: name, ID: "AROA" + strings.ToUpper(name), ARN: arn("role/" + name), Path: "/", AssumeRolePolicyDocument: trust}
	if admin {
		r.AttachedPolicies = adminAttached
	}
	for i, d := range docs {
		r.InlinePolicies = append(r.InlinePolicies, snapshot.InlinePolicy{Name: name + "-" + itoa(i), Document: d})
	}
	b.s.Roles = append(b.s.Roles, r)
	return &b.s.Roles[len(b.s.Roles)-1]
}

func (b *acctBuilder) group(name string, docs ...json.RawMessage) *snapshot.Group {
	g := snapshot.Group{Name: name, ID: "AGPA" + strings.ToUpper(name), ARN: arn("group/" + name), Path: "/"}
	for i, d := range docs {
		g.InlinePolicies = append(g.InlinePolicies, snapshot.InlinePolicy{Name: name + "-" + itoa(i), Document: d})
	}
	b.s.Groups = append(b.s.Groups, g)
	return &b.s.Groups[len(b.s.Groups)-1]
}

func (b *acctBuilder) managed(name string, d json.RawMessage, extra ...json.RawMessage) string {
	p := snapshot.ManagedPolicy{Name: name, ARN: arn("policy/" + name), DefaultVersionID: "v1",
		Versions: []snapshot.PolicyVersion{{VersionID: "v1", IsDefaultVersion: true, Document: d}}}
	for i, x := range extra {
		p.Versions = append(p.Versions, snapshot.PolicyVersion{VersionID: "v" + itoa(i+2), Document: x})
	}
	b.s.Policies = append(b.s.Policies, p)
	return p.ARN
}

// run analyses the account with a complete inventory (no instances, no
// functions, every user's credentials known: no password, no MFA, one key)
// changed by edit.
func (b *acctBuilder) run(t *testing.T, edit func(*Inventory)) *Result {
	t.Helper()
	inv := Inventory{Users: map[string]UserState{}, InstanceProfiles: map[string][]string{}, AdminVersions: AdminVersions(b.s)}
	for _, u := range b.s.Users {
		f, one := false, 1
		inv.Users[u.ARN] = UserState{Password: &f, MFA: &f, AccessKeys: &one}
	}
	for _, r := range b.s.Roles {
		if len(r.InstanceProfiles) > 0 {
			inv.InstanceProfiles[r.ARN] = r.InstanceProfiles
		}
	}
	if edit != nil {
		edit(&inv)
	}
	acct, err := access.New(b.s)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range acct.Problems {
		t.Fatalf("test account problem: %s: %s", p.Item, p.Message)
	}
	an := acct.Analyze(access.AnalyzeOptions{Now: b.s.CollectedAt})
	res, err := Analyze(acct, an, Options{Now: b.s.CollectedAt, Inventory: inv})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func verdictOf(t *testing.T, res *Result, a string) *Verdict {
	t.Helper()
	v := res.Principals[a]
	if v == nil {
		t.Fatalf("no verdict for %s", a)
	}
	return v
}

// wantPath checks that a's first path has these method ids, ends at
// target and works in context ctx (definite).
func wantPath(t *testing.T, res *Result, a, target, ctx string, ids ...string) Path {
	t.Helper()
	v := verdictOf(t, res, a)
	if v.Admin {
		t.Fatalf("%s is already admin, want a path", a)
	}
	if len(v.Paths) == 0 {
		t.Fatalf("%s: no path, want %v", a, ids)
	}
	p := v.Paths[0]
	if strings.Join(p.MethodIDs, ",") != strings.Join(ids, ",") || p.Target != target || p.Context != ctx || p.Possible {
		b, _ := json.MarshalIndent(v.Paths, "", " ")
		t.Fatalf("%s: got %s, want %v to %s in %s", a, b, ids, target, ctx)
	}
	if len(p.Steps) != len(ids) || p.Steps[len(p.Steps)-1].To != target || p.Steps[0].From != a {
		t.Fatalf("%s: steps %+v", a, p.Steps)
	}
	return p
}

func wantNoPath(t *testing.T, res *Result, a string) {
	t.Helper()
	v := verdictOf(t, res, a)
	if v.Admin || len(v.Paths) > 0 {
		b, _ := json.MarshalIndent(v, "", " ")
		t.Fatalf("%s: want no path and not admin, got %s", a, b)
	}
}

type snapshotPermissionsBoundary = snapshot.PermissionsBoundary

type snapshotInline = snapshot.InlinePolicy

func attachedPolicy(name, a string) snapshot.AttachedPolicy {
	return snapshot.AttachedPolicy{Name: name, ARN: a}
}

func inline(name string, d json.RawMessage) snapshot.InlinePolicy {
	return snapshot.InlinePolicy{Name: name, Document: d}
}

func itoa(i int) string { return strconv.Itoa(i) }
