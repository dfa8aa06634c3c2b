package iampolicy

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// The guide's account: user "username" in groups Users (IAMRequireMFA) and
// Administrators (AdminPolicy); AdminRole trusts the account (the console's
// "Another AWS account" option with the own account ID) and has AdminPolicy.

const guideAccount = "123456789012"

func mustParseFile(t testing.TB, name string) *Policy {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	p, err := Parse(name, b)
	if err != nil {
		t.Fatalf("parse %s: %v", name, err)
	}
	return p
}

func mustParse(t testing.TB, name, doc string) *Policy {
	t.Helper()
	p, err := Parse(name, []byte(doc))
	if err != nil {
		t.Fatalf("parse %s: %v", name, err)
	}
	return p
}

func guideUser() Principal {
	return Principal{
		ARN:       "arn:aws:iam::" + guideAccount + ":user/username",
		AccountID: guideAccount,
		Type:      "user",
		Name:      "username",
		ID:        "AIDAEXAMPLEUSERID0001",
	}
}

func guideUserSet(t testing.TB, adminGroup bool) PolicySet {
	set := PolicySet{Identity: []PolicyRef{
		{Kind: "group-managed", Name: "IAMRequireMFA", Policy: mustParseFile(t, "guide-IAMRequireMFA.json")},
	}}
	if adminGroup {
		set.Identity = append(set.Identity,
			PolicyRef{Kind: "group-managed", Name: "AdminPolicy", Policy: mustParseFile(t, "guide-AdminPolicy.json")})
	}
	return set
}

func namedCtx(t testing.TB, name string, p Principal) map[string][]string {
	t.Helper()
	ctx, err := NamedContext(name, p, ContextOptions{CurrentTime: time.Date(2026, 11, 27, 7, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	return ctx
}

func TestGuidePoliciesUnderNamedContexts(t *testing.T) {
	u := guideUser()
	userARN := u.ARN
	cases := []struct {
		ctx, action, resource string
		admin                 bool
		want                  Effect
	}{
		// access_key: the Null MultiFactorAuthAge deny fires for non-IAM actions only.
		{ContextAccessKey, "iam:CreateUser", "arn:aws:iam::123456789012:user/new", true, Allow},
		{ContextAccessKey, "s3:ListAllMyBuckets", "*", true, ExplicitDeny},
		{ContextAccessKey, "ec2:RunInstances", "*", true, ExplicitDeny},
		{ContextAccessKey, "iam:ChangePassword", userARN, false, Allow},
		{ContextAccessKey, "iam:ChangePassword", "arn:aws:iam::123456789012:user/other", false, ImplicitDeny},
		{ContextAccessKey, "iam:GetLoginProfile", userARN, false, ImplicitDeny}, // needs MultiFactorAuthPresent
		{ContextAccessKey, "iam:ListUsers", "arn:aws:iam::123456789012:user/", false, Allow},
		{ContextAccessKey, "iam:CreateVirtualMFADevice", "arn:aws:iam::123456789012:mfa/username", false, Allow},
		// session without MFA: MultiFactorAuthAge still absent, so the same.
		{ContextSessionNoMFA, "iam:CreateUser", "arn:aws:iam::123456789012:user/new", true, Allow},
		{ContextSessionNoMFA, "s3:ListAllMyBuckets", "*", true, ExplicitDeny},
		{ContextSessionNoMFA, "iam:GetLoginProfile", userARN, false, ImplicitDeny},
		// MFA session: everything allowed for the admin.
		{ContextMFASession, "iam:CreateUser", "arn:aws:iam::123456789012:user/new", true, Allow},
		{ContextMFASession, "s3:ListAllMyBuckets", "*", true, Allow},
		{ContextMFASession, "ec2:RunInstances", "*", true, Allow},
		{ContextMFASession, "iam:GetLoginProfile", userARN, false, Allow},
		{ContextMFASession, "iam:DeactivateMFADevice", "arn:aws:iam::123456789012:mfa/username", false, Allow},
		{ContextMFASession, "s3:ListAllMyBuckets", "*", false, ImplicitDeny},
	}
	for _, c := range cases {
		t.Run(c.ctx+"/"+c.action, func(t *testing.T) {
			set := guideUserSet(t, c.admin)
			d := Evaluate(set, Request{Principal: u, Action: c.action, Resource: c.resource, Context: namedCtx(t, c.ctx, u)})
			if d.Effect != c.want || d.Allowed != (c.want == Allow) {
				t.Fatalf("got %s (%s), want %s", d.Effect, d.Reason, c.want)
			}
			if d.Reason == "" {
				t.Fatal("empty reason")
			}
		})
	}
}

func TestGuideExplicitDenyNamesStatement(t *testing.T) {
	u := guideUser()
	d := Evaluate(guideUserSet(t, true), Request{Principal: u, Action: "s3:ListAllMyBuckets", Resource: "*", Context: namedCtx(t, ContextAccessKey, u)})
	if d.Effect != ExplicitDeny {
		t.Fatalf("got %s", d.Effect)
	}
	var deny *MatchedStatement
	for i := range d.Matched {
		if d.Matched[i].Effect == "Deny" {
			deny = &d.Matched[i]
		}
	}
	if deny == nil || deny.Sid != "DoNotAllowAnythingOtherThanAboveUnlessMFA" || deny.Policy != "IAMRequireMFA" || deny.Index != 8 {
		t.Fatalf("matched = %+v", d.Matched)
	}
	if len(d.Matched) != 2 { // AdminPolicy allow + the deny
		t.Fatalf("matched = %+v", d.Matched)
	}
}

func TestGuideAssumeAdminRole(t *testing.T) {
	u := guideUser()
	trust := mustParse(t, "AdminRole-trust", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
		"Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}`)
	role := "arn:aws:iam::123456789012:role/AdminRole"
	for _, c := range []struct {
		name   string
		ctx    string
		admin  bool
		assume bool
		want   Effect
	}{
		{"mfa session with AssumeAdminRole", ContextMFASession, false, true, Allow},
		{"access key with AssumeAdminRole", ContextAccessKey, false, true, ExplicitDeny},
		{"session without MFA", ContextSessionNoMFA, false, true, ExplicitDeny},
		{"mfa session without identity allow", ContextMFASession, false, false, ImplicitDeny},
	} {
		t.Run(c.name, func(t *testing.T) {
			set := guideUserSet(t, c.admin)
			if c.assume {
				set.Identity = append(set.Identity, PolicyRef{Kind: "group-managed", Name: "AssumeAdminRole", Policy: mustParseFile(t, "guide-AssumeAdminRole.json")})
			}
			set.Resource = []PolicyRef{{Kind: "trust", Name: "AdminRole", Policy: trust}}
			d := Evaluate(set, Request{Principal: u, Action: "sts:AssumeRole", Resource: role, Context: namedCtx(t, c.ctx, u)})
			if d.Effect != c.want {
				t.Fatalf("got %s (%s), want %s", d.Effect, d.Reason, c.want)
			}
		})
	}
}

// Equivalent encodings of "deny everything without MFA" must agree, and the
// broken Bool form must not deny long-term access keys
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-multifactorauthpresent).
func TestMFADenyEncodings(t *testing.T) {
	u := guideUser()
	allowAll := mustParseFile(t, "guide-AdminPolicy.json")
	mk := func(cond string) *Policy {
		return mustParse(t, "deny", `{"Version":"2012-10-17","Statement":[{"Sid":"DenyNoMFA","Effect":"Deny","NotAction":"iam:*","Resource":"*","Condition":`+cond+`}]}`)
	}
	encodings := []struct {
		name           string
		cond           string
		denyAccessKey  bool
		denyNoMFA      bool
		denyMFASession bool
	}{
		{"Null MultiFactorAuthAge", `{"Null":{"aws:MultiFactorAuthAge":"true"}}`, true, true, false},
		{"BoolIfExists MultiFactorAuthPresent", `{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}`, true, true, false},
		{"BoolIfExists MultiFactorAuthPresent JSON bool", `{"BoolIfExists":{"aws:MultiFactorAuthPresent":false}}`, true, true, false},
		{"broken Bool MultiFactorAuthPresent", `{"Bool":{"aws:MultiFactorAuthPresent":"false"}}`, false, true, false},
		// AWS's knowledge-center example: the same gap, plus ViaAWSService
		// (https://repost.aws/knowledge-center/mfa-iam-user-aws-cli).
		{"Bool MultiFactorAuthPresent and ViaAWSService", `{"Bool":{"aws:MultiFactorAuthPresent":"false","aws:ViaAWSService":"false"}}`, false, true, false},
		{"BoolIfExists MultiFactorAuthPresent and ViaAWSService", `{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false","aws:ViaAWSService":"false"}}`, true, true, false},
	}
	for _, enc := range encodings {
		for _, cx := range []struct {
			name string
			want bool
		}{{ContextAccessKey, enc.denyAccessKey}, {ContextSessionNoMFA, enc.denyNoMFA}, {ContextMFASession, enc.denyMFASession}} {
			t.Run(enc.name+"/"+cx.name, func(t *testing.T) {
				set := PolicySet{Identity: []PolicyRef{{Kind: "user-managed", Name: "Admin", Policy: allowAll}, {Kind: "user-inline", Name: "RequireMFA", Policy: mk(enc.cond)}}}
				d := Evaluate(set, Request{Principal: u, Action: "s3:ListAllMyBuckets", Resource: "*", Context: namedCtx(t, cx.name, u)})
				if got := d.Effect == ExplicitDeny; got != cx.want {
					t.Fatalf("denied=%v, want %v (%s)", got, cx.want, d.Reason)
				}
			})
		}
	}
}
