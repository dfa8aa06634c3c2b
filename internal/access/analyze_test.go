package access

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/lockdown-dev/lockdown/internal/iampolicy"
	"github.com/lockdown-dev/lockdown/internal/snapshot"
	"github.com/lockdown-dev/lockdown/internal/snapshot/snapshottest"
)

const (
	alice     = "arn:aws:iam::123456789012:user/alice"
	adminRole = "arn:aws:iam::123456789012:role/AdminRole"
)

func analyzeSnap(t *testing.T, s *snapshot.Snapshot) *Analysis {
	t.Helper()
	a, err := New(s)
	if err != nil {
		t.Fatal(err)
	}
	return a.Analyze(AnalyzeOptions{Now: time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)})
}

func TestAnalyzeGuideAsWritten(t *testing.T) {
	an := analyzeSnap(t, guideAccount(false))
	u := an.Users[alice]
	if !u.AdminWithoutMFA || len(u.Admin) == 0 || u.Admin[0].Policy != "AdminPolicy" {
		t.Fatalf("alice should hold admin-equivalent IAM actions without MFA via AdminPolicy: %+v", u.Admin)
	}
	if len(u.WithoutMFA) == 0 {
		t.Fatal("alice can use iam:* without MFA; WithoutMFA is empty")
	}
	for _, g := range u.WithoutMFA {
		if g.Action == "s3:ListAllMyBuckets" {
			t.Fatalf("s3 is denied without MFA by IAMRequireMFA, got grant %+v", g)
		}
	}
	if len(u.OtherUsers) == 0 {
		t.Fatal("AdminPolicy lets alice manage other users' credentials")
	}
	if !slices.Equal(u.MFAGroups, []string{"Users"}) {
		t.Fatalf("MFA groups %v, want [Users]", u.MFAGroups)
	}
	if !an.Roles[adminRole].Admin {
		t.Fatal("AdminRole is administrator-equivalent")
	}
	if g := an.Groups["arn:aws:iam::123456789012:group/Administrators"]; g.RequiresMFA || len(g.Admin) == 0 {
		t.Fatalf("Administrators group: requires_mfa=%v admin=%d", g.RequiresMFA, len(g.Admin))
	}
	// AdminPolicy's unconditional "*" lets an MFA session assume the role
	// without TLS and with a stale MFA.
	if a := u.AssumeAdmin; a.Roles != 1 || a.LoopholeCount != 1 || !slices.Equal(a.Loopholes[0].Loopholes, []Loophole{LoopholeNoTLS, LoopholeStaleMFA}) {
		t.Fatalf("assume checks %+v", u.AssumeAdmin)
	}
	// The console's "Another AWS account" trust with the own account ID and
	// no condition admits the account's principals without MFA.
	if tr := an.Roles[adminRole].Trust; len(tr.Outsiders) != 0 || len(tr.WithoutMFA) != 1 {
		t.Fatalf("trust %+v", tr)
	}
}

func TestAnalyzeGuideFixed(t *testing.T) {
	s := guideAccount(true)
	s.Roles[0].AssumeRolePolicyDocument = json.RawMessage(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}`)
	an := analyzeSnap(t, s)
	u := an.Users[alice]
	if len(u.Admin) != 0 || len(u.WithoutMFA) != 0 || len(u.OtherUsers) != 0 {
		t.Fatalf("fixed account: admin=%+v withoutMFA=%+v other=%+v", u.Admin, u.WithoutMFA, u.OtherUsers)
	}
	if a := u.AssumeAdmin; a.Roles != 1 || a.LoopholeCount != 0 || len(a.Loopholes) != 0 {
		t.Fatalf("AssumeAdminRole should allow only MFA+TLS+fresh: %+v", u.AssumeAdmin)
	}
	if tr := an.Roles[adminRole].Trust; len(tr.WithoutMFA) != 0 || len(tr.Outsiders) != 0 {
		t.Fatalf("trust with MFA condition: %+v", tr)
	}
}

func TestTrustOutsiders(t *testing.T) {
	s := guideAccount(true)
	s.Roles[0].AssumeRolePolicyDocument = json.RawMessage(`{"Version":"2012-10-17","Statement":[
	 {"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"},
	 {"Effect":"Allow","Principal":{"AWS":["111122223333"],"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`)
	tr := analyzeSnap(t, s).Roles[adminRole].Trust
	want := []string{"*", "111122223333", "service:ec2.amazonaws.com"}
	if !slices.Equal(tr.Outsiders, want) {
		t.Fatalf("outsiders %v, want %v", tr.Outsiders, want)
	}
}

func TestBoolFalseDenyMissesAccessKeys(t *testing.T) {
	s := guideAccount(true)
	// The deny written with Bool MultiFactorAuthPresent false does not
	// match requests signed with long-term keys (the key is absent).
	s.Policies[0].Versions[0].Document = json.RawMessage(`{"Version":"2012-10-17","Statement":[
	 {"Effect":"Allow","Action":"s3:*","Resource":"*"},
	 {"Effect":"Deny","NotAction":"iam:*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"false"}}}]}`)
	an := analyzeSnap(t, s)
	u := an.Users[alice]
	ctxs := map[ContextName]int{}
	for _, g := range u.WithoutMFA {
		ctxs[g.Context]++
	}
	if ctxs["access_key"] == 0 || ctxs["session_no_mfa"] != 0 {
		t.Fatalf("s3 grants without MFA per context %v, want some under access_key only", ctxs)
	}
	if len(u.MFAGroups) != 0 {
		t.Fatalf("a Bool-false deny does not carry the MFA requirement: %v", u.MFAGroups)
	}
}

// A grant on role/${aws:username} decides differently for every user: the
// decision cache must not share it between them.
func TestVariableResourcesAreNotShared(t *testing.T) {
	s := guideAccount(true)
	s.Policies = append(s.Policies, policy("AssumeOwnRole", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::*:role/${aws:username}"}]}`))
	s.Groups = append(s.Groups, snapshot.Group{Name: "Own", ARN: "arn:aws:iam::123456789012:group/Own", AttachedPolicies: attach("AssumeOwnRole")})
	for _, name := range []string{"bob", "carol"} {
		s.Users = append(s.Users, snapshot.User{Name: name, ID: "AIDAEXAMPLE" + name, ARN: "arn:aws:iam::123456789012:user/" + name, Groups: []string{"Own"}})
		s.Roles = append(s.Roles, snapshot.Role{Name: name, ARN: "arn:aws:iam::123456789012:role/" + name,
			AssumeRolePolicyDocument: json.RawMessage(trustAccount), AttachedPolicies: attach("AdminPolicy")})
	}
	an := analyzeSnap(t, s)
	for _, name := range []string{"bob", "carol"} {
		a := an.Users["arn:aws:iam::123456789012:user/"+name].AssumeAdmin
		if a.Roles != 1 || a.LoopholeCount != 1 || a.Loopholes[0].Role != "arn:aws:iam::123456789012:role/"+name {
			t.Fatalf("%s: %+v; want exactly their own role, assumable without MFA", name, a)
		}
	}
}

// Users are analysed concurrently with shared caches; the verdicts must
// not depend on which goroutine got there first.
func TestAnalyzeDeterministic(t *testing.T) {
	snap := snapshottest.Generate(snapshottest.Config{Users: 300, Roles: 60, Policies: 150, Seed: 7})
	var first []byte
	for i := 0; i < 3; i++ {
		a, err := New(snap)
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(a.Analyze(AnalyzeOptions{Now: snap.CollectedAt}))
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = b
		} else if string(b) != string(first) {
			t.Fatal("two analyses of the same snapshot differ")
		}
	}
}

// The same managed policy attached to a user and reached through a group:
// each user's evidence names the way it applies to them, however the
// shared decisions were computed.
func TestSharedDecisionsKeepThePolicyKind(t *testing.T) {
	s := guideAccount(false)
	// Same single policy for both users: directly for dave, via a group for erin.
	s.Groups = append(s.Groups, snapshot.Group{Name: "Ops", ARN: "arn:aws:iam::123456789012:group/Ops", AttachedPolicies: attach("AdminPolicy")})
	s.Users = append(s.Users,
		snapshot.User{Name: "dave", ID: "AIDAEXAMPLEDAVE000001", ARN: "arn:aws:iam::123456789012:user/dave", AttachedPolicies: attach("AdminPolicy")},
		snapshot.User{Name: "erin", ID: "AIDAEXAMPLEERIN000001", ARN: "arn:aws:iam::123456789012:user/erin", Groups: []string{"Ops"}})
	for i := 0; i < 30; i++ {
		an := analyzeSnap(t, s)
		if k := an.Users["arn:aws:iam::123456789012:user/dave"].Admin[0].Kind; k != "user-managed" {
			t.Fatalf("run %d: dave's admin grant kind %q, want user-managed", i, k)
		}
		if k := an.Users["arn:aws:iam::123456789012:user/erin"].Admin[0].Kind; k != "group-managed" {
			t.Fatalf("run %d: erin's admin grant kind %q, want group-managed", i, k)
		}
	}
}

// A role whose MaxSessionDuration the snapshot does not give has none in
// the analysis either (null, not IAM's default of 3600): a check must not
// pass on data that is missing.
func TestMaxSessionDurationStaysUnknown(t *testing.T) {
	s := guideAccount(false)
	s.Roles[0].MaxSessionDuration = nil
	an := analyzeSnap(t, s)
	ra := an.Roles[adminRole]
	if ra.MaxSessionDuration != nil {
		t.Fatalf("max_session_duration %d, want null", *ra.MaxSessionDuration)
	}
	b, err := json.Marshal(ra)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"max_session_duration":null`) {
		t.Fatalf("role JSON %s: want max_session_duration null", b)
	}
	d := int32(43200)
	s.Roles[0].MaxSessionDuration = &d
	if got := analyzeSnap(t, s).Roles[adminRole].MaxSessionDuration; got == nil || *got != 43200 {
		t.Fatalf("max_session_duration %v, want 43200", got)
	}
}

// A group's verdicts carry no without_mfa list (it was never filled in).
func TestGroupJSONHasNoWithoutMFA(t *testing.T) {
	an := analyzeSnap(t, guideAccount(false))
	for arn, g := range an.Groups {
		b, err := json.Marshal(g)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), `"without_mfa"`) {
			t.Fatalf("group %s: %s", arn, b)
		}
	}
}

// Roles are asked about once per class of roles the covering statements
// treat alike, and summaries are shared between subjects: the loopholes
// must still be those of asking about every role one by one.
func TestAssumeAdminAgreesRoleByRole(t *testing.T) {
	// Three admin roles, and users whose AssumeRole allows reach some of
	// them only (by name, by wildcard, by NotResource, with and without MFA).
	hand := guideAccount(false)
	for _, n := range []string{"AdminRole2", "OpsAdmin"} {
		hand.Roles = append(hand.Roles, snapshot.Role{Name: n, ID: "AROAEXAMPLE" + strings.ToUpper(n), ARN: "arn:aws:iam::" + acct + ":role/" + n,
			AssumeRolePolicyDocument: json.RawMessage(trustAccount), AttachedPolicies: attach("AdminPolicy")})
	}
	for i, doc := range []string{
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::123456789012:role/AdminRole"}]}`,
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::123456789012:role/Admin*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}`,
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","NotResource":"arn:aws:iam::123456789012:role/OpsAdmin"},{"Effect":"Deny","Action":"sts:AssumeRole","Resource":"arn:aws:iam::123456789012:role/AdminRole2","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}`,
	} {
		n := fmt.Sprintf("assumer%d", i)
		hand.Users = append(hand.Users, snapshot.User{Name: n, ID: fmt.Sprintf("AIDAEXAMPLEASSUMER%03d", i), ARN: "arn:aws:iam::" + acct + ":user/" + n,
			InlinePolicies: []snapshot.InlinePolicy{{Name: "assume", Document: json.RawMessage(doc)}}})
	}
	for _, snap := range []*snapshot.Snapshot{hand, snapshottest.Generate(snapshottest.Config{Users: 300, Roles: 120, Policies: 150, Seed: 3})} {
		assumeAdminAgreesRoleByRole(t, snap)
	}
}

func assumeAdminAgreesRoleByRole(t *testing.T, snap *snapshot.Snapshot) {
	a, err := New(snap)
	if err != nil {
		t.Fatal(err)
	}
	an := a.Analyze(AnalyzeOptions{Now: snap.CollectedAt})
	var admins []string
	for arn, r := range an.Roles {
		if r.Admin {
			admins = append(admins, arn)
		}
	}
	sort.Strings(admins)
	if len(admins) < 2 {
		t.Fatalf("the generated account has %d admin roles; the test needs several", len(admins))
	}
	ctx := func(s *Subject, name string, mod func(map[string][]string)) map[string][]string {
		c, err := iampolicy.NamedContext(name, s.Principal, iampolicy.ContextOptions{CurrentTime: snap.CollectedAt})
		if err != nil {
			t.Fatal(err)
		}
		if mod != nil {
			mod(c)
		}
		return c
	}
	checked := 0
	for _, u := range a.Users() {
		ua := an.Users[u.ARN]
		if ua == nil {
			continue
		}
		allowed := func(role string, c map[string][]string) bool {
			return iampolicy.Evaluate(u.Set, iampolicy.Request{Principal: u.Principal, Action: "sts:AssumeRole", Resource: role, Context: c}).Allowed
		}
		want := map[string][]Loophole{}
		roles := 0
		for _, role := range admins {
			var l []Loophole
			if allowed(role, ctx(u, iampolicy.ContextAccessKey, nil)) || allowed(role, ctx(u, iampolicy.ContextSessionNoMFA, nil)) {
				l = append(l, LoopholeNoMFA)
			}
			if allowed(role, ctx(u, iampolicy.ContextMFASession, func(c map[string][]string) { c["aws:SecureTransport"] = []string{"false"} })) {
				l = append(l, LoopholeNoTLS)
			}
			if allowed(role, ctx(u, iampolicy.ContextMFASession, func(c map[string][]string) { c["aws:MultiFactorAuthAge"] = []string{"3601"} })) {
				l = append(l, LoopholeStaleMFA)
			}
			if len(l) > 0 || allowed(role, ctx(u, iampolicy.ContextMFASession, nil)) {
				roles++
			}
			if len(l) > 0 {
				want[role] = l
			}
		}
		got := map[string][]Loophole{}
		inClasses := 0
		for _, c := range ua.AssumeAdmin.Loopholes {
			roles := an.RolesOf(c)
			if len(roles) != c.RoleCount || len(roles) == 0 || roles[0] != c.Role || (c.RoleSet == "") != (c.RoleCount == 1) {
				t.Fatalf("%s: class %+v has roles %v", u.ARN, c, roles)
			}
			if c.RoleSet != "" && !slices.Contains(an.AdminRoleSets[c.RoleSet].Principals, u.ARN) {
				t.Fatalf("%s: role set %s does not list the user among its principals", u.ARN, c.RoleSet)
			}
			for _, role := range roles {
				if _, dup := got[role]; dup {
					t.Fatalf("%s: role %s in two classes", u.ARN, role)
				}
				got[role] = c.Loopholes
			}
			inClasses += len(roles)
		}
		if inClasses != ua.AssumeAdmin.LoopholeCount {
			t.Fatalf("%s: classes hold %d roles, loophole_count %d", u.ARN, inClasses, ua.AssumeAdmin.LoopholeCount)
		}
		if ua.AssumeAdmin.Roles != roles || len(got) != len(want) {
			t.Fatalf("%s: %d roles, %d with loopholes; asked role by role: %d, %d", u.ARN, ua.AssumeAdmin.Roles, len(got), roles, len(want))
		}
		for role, l := range want {
			if !slices.Equal(got[role], l) {
				t.Fatalf("%s on %s: loopholes %v, asked alone %v", u.ARN, role, got[role], l)
			}
		}
		if roles > 0 {
			checked++
		}
	}
	if checked == 0 {
		t.Fatal("no user may assume an admin role in the generated account; the test checks nothing")
	}
}

// A principal allowed every role by one statement has one class of them
// all, named by a role set listed once for every principal that shares it:
// the summary does not grow with the number of admin roles.
func TestAssumeClassesShareRoleSets(t *testing.T) {
	snap := snapshottest.Generate(snapshottest.Config{Users: 300, Roles: 120, Policies: 150, Seed: 3})
	a, err := New(snap)
	if err != nil {
		t.Fatal(err)
	}
	an := a.Analyze(AnalyzeOptions{Now: snap.CollectedAt})
	admins := 0
	for _, r := range an.Roles {
		if r.Admin {
			admins++
		}
	}
	whole, classes := 0, 0
	for arn, u := range an.Users {
		classes += len(u.AssumeAdmin.Loopholes)
		for _, c := range u.AssumeAdmin.Loopholes {
			if c.RoleCount == admins {
				whole++
				if s := an.AdminRoleSets[c.RoleSet]; s == nil || len(s.Roles) != admins || s.ID != c.RoleSet || s.ID != roleSetID(s.Roles) {
					t.Fatalf("%s: class of every admin role names set %q: %+v", arn, c.RoleSet, s)
				}
			}
		}
	}
	if whole < 2 {
		t.Fatalf("%d users may assume every one of the %d admin roles; the test needs several", whole, admins)
	}
	if classes > len(an.Users)*2 {
		t.Fatalf("%d classes for %d users: the classes multiply with the roles", classes, len(an.Users))
	}
	for id, s := range an.AdminRoleSets {
		if len(s.Principals) == 0 || !sort.StringsAreSorted(s.Principals) {
			t.Fatalf("role set %s: principals %v", id, s.Principals)
		}
	}
	if roleSetID([]string{"a", "b"}) == roleSetID([]string{"ab"}) {
		t.Fatal("role set IDs must tell the role lists apart")
	}
}
