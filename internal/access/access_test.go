package access

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/lockdown-dev/lockdown/internal/iampolicy"
	"github.com/lockdown-dev/lockdown/internal/snapshot"
	"github.com/lockdown-dev/lockdown/internal/snapshot/snapshottest"
)

const acct = "123456789012"

// trustAccount is AdminRole's trust policy as the guide writes it: the own
// account, without MFA.
const trustAccount = snapshottest.TrustAnotherAccountDoc

func policy(name, doc string) snapshot.ManagedPolicy {
	return snapshot.ManagedPolicy{
		Name: name, ARN: "arn:aws:iam::" + acct + ":policy/" + name, DefaultVersionID: "v1",
		Versions: []snapshot.PolicyVersion{{VersionID: "v1", IsDefaultVersion: true, Document: json.RawMessage(doc)}},
	}
}

func attach(names ...string) []snapshot.AttachedPolicy {
	var out []snapshot.AttachedPolicy
	for _, n := range names {
		out = append(out, snapshot.AttachedPolicy{Name: n, ARN: "arn:aws:iam::" + acct + ":policy/" + n})
	}
	return out
}

// guideAccount is the account as the guide writes it, or with the fixes it
// implies (Administrators get AssumeAdminRole instead of AdminPolicy, the
// trust requires MFA), in the order the fixture lists them: policies
// IAMRequireMFA, AssumeAdminRole, AdminPolicy; groups Users, Administrators.
func guideAccount(fixed bool) *snapshot.Snapshot {
	if fixed {
		return snapshottest.GuideCompliant()
	}
	return snapshottest.GuideAsWritten()
}

func decide(t *testing.T, a *Account, who, action, resource, ctxName string) iampolicy.Decision {
	t.Helper()
	s, err := a.Lookup(who)
	if err != nil {
		t.Fatal(err)
	}
	ctx, err := iampolicy.NamedContext(ctxName, s.Principal, iampolicy.ContextOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return a.Decide(s, action, resource, ctx)
}

func TestGuideAsWrittenGivesIAMWithoutMFA(t *testing.T) {
	a, err := New(guideAccount(false))
	if err != nil {
		t.Fatal(err)
	}
	// The deny exempts iam:*, and AdminPolicy (via Administrators) allows *:
	// long-term keys alone can administer IAM.
	if d := decide(t, a, "alice", "iam:AttachUserPolicy", "arn:aws:iam::123456789012:user/alice", iampolicy.ContextAccessKey); !d.Allowed {
		t.Fatalf("iam:AttachUserPolicy under access_key: %s (%s), want allowed", d.Effect, d.Reason)
	}
	if d := decide(t, a, "alice", "s3:ListAllMyBuckets", "*", iampolicy.ContextAccessKey); d.Effect != iampolicy.ExplicitDeny {
		t.Fatalf("s3:ListAllMyBuckets under access_key: %s, want explicit deny", d.Effect)
	}
	if d := decide(t, a, "alice", "s3:ListAllMyBuckets", "*", iampolicy.ContextMFASession); !d.Allowed {
		t.Fatalf("s3:ListAllMyBuckets under mfa_session: %s, want allowed", d.Effect)
	}
}

func TestGuideFixedNeedsMFAToAssumeAdminRole(t *testing.T) {
	a, err := New(guideAccount(true))
	if err != nil {
		t.Fatal(err)
	}
	role := "arn:aws:iam::123456789012:role/AdminRole"
	if d := decide(t, a, "alice", "iam:AttachUserPolicy", "arn:aws:iam::123456789012:user/alice", iampolicy.ContextAccessKey); d.Allowed {
		t.Fatalf("iam:AttachUserPolicy allowed under access_key in the fixed account: %s", d.Reason)
	}
	if d := decide(t, a, "alice", "sts:AssumeRole", role, iampolicy.ContextAccessKey); d.Allowed {
		t.Fatalf("AssumeRole allowed without MFA: %s", d.Reason)
	}
	if d := decide(t, a, "alice", "sts:AssumeRole", role, iampolicy.ContextMFASession); !d.Allowed {
		t.Fatalf("AssumeRole with MFA: %s (%s), want allowed", d.Effect, d.Reason)
	}
	// The role itself is an administrator.
	if d := decide(t, a, "AdminRole", "iam:CreateUser", "*", iampolicy.ContextMFASession); !d.Allowed {
		t.Fatalf("AdminRole iam:CreateUser: %s", d.Effect)
	}
}

func TestUnknownAttachedPolicyMakesOwnersUnknown(t *testing.T) {
	s := guideAccount(false)
	s.Policies = s.Policies[:1] // AdminPolicy, attached to Administrators and AdminRole, is gone
	a, err := New(s)
	if err != nil {
		t.Fatal(err)
	}
	group := "arn:aws:iam::" + acct + ":group/Administrators"
	alice := "arn:aws:iam::" + acct + ":user/alice"
	role := "arn:aws:iam::" + acct + ":role/AdminRole"
	for _, arn := range []string{group, alice, role} {
		if a.Unknown(arn) == "" {
			t.Errorf("%s should be unknown", arn)
		}
	}
	if a.Unknown("arn:aws:iam::"+acct+":group/Users") != "" {
		t.Error("group Users is fully known")
	}
	if len(a.Problems) != 2 || !strings.Contains(a.Problems[0].Item, "group/Administrators") {
		t.Fatalf("problems = %+v", a.Problems)
	}
	an := a.Analyze(AnalyzeOptions{})
	if an.Users[alice] != nil || an.Groups[group] != nil || an.Roles[role] != nil {
		t.Fatal("unknown principals must be left out of the analysis")
	}
	if an.Groups["arn:aws:iam::"+acct+":group/Users"] == nil {
		t.Fatal("group Users must still be analysed")
	}
	if _, err := a.Lookup("alice"); err == nil || !strings.Contains(err.Error(), "not completely known") {
		t.Fatalf("Lookup of an unknown principal: %v", err)
	}
}

func TestRejectedPolicyIsOneProblem(t *testing.T) {
	s := guideAccount(true)
	s.Users = append(s.Users, snapshot.User{Name: "bob", ARN: "arn:aws:iam::" + acct + ":user/bob", Groups: []string{"Users"},
		InlinePolicies: []snapshot.InlinePolicy{{Name: "bad", Document: json.RawMessage(`{"Version":"2012-10-17","Statement":[{"Effect":"Maybe","Action":"*","Resource":"*"}]}`)}}})
	s.Users = append(s.Users, snapshot.User{Name: "carol", ARN: "arn:aws:iam::" + acct + ":user/carol", Groups: []string{"Users", "Ghosts"}})
	a, err := New(s)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Problems) != 2 {
		t.Fatalf("problems = %+v", a.Problems)
	}
	bob, carol := "arn:aws:iam::"+acct+":user/bob", "arn:aws:iam::"+acct+":user/carol"
	if !strings.Contains(a.Unknown(bob), `inline policy "bad"`) {
		t.Errorf("bob: %q", a.Unknown(bob))
	}
	if !strings.Contains(a.Unknown(carol), `"Ghosts"`) {
		t.Errorf("carol: %q", a.Unknown(carol))
	}
	an := a.Analyze(AnalyzeOptions{})
	if an.Users["arn:aws:iam::"+acct+":user/alice"] == nil || an.Users[bob] != nil || an.Users[carol] != nil {
		t.Fatalf("analysis users: %v", an.Users)
	}
}

func TestLookup(t *testing.T) {
	s := guideAccount(false)
	s.Roles = append(s.Roles, snapshot.Role{Name: "alice", ARN: "arn:aws:iam::123456789012:role/alice"})
	a, err := New(s)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Lookup("alice"); err == nil || !strings.Contains(err.Error(), "give the ARN") {
		t.Fatalf("ambiguous name: %v", err)
	}
	if sub, err := a.Lookup("arn:aws:iam::123456789012:user/alice"); err != nil || sub.Kind != "user" {
		t.Fatalf("by ARN: %v %v", sub, err)
	}
	if _, err := a.Lookup("bob"); err == nil {
		t.Fatal("unknown name found")
	}
}
