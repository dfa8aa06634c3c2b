package iampolicy

import (
	"testing"
	"time"
)

func TestNamedContexts(t *testing.T) {
	u := guideUser()
	u.Tags = map[string]string{"team": "blue"}
	now := time.Date(2026, 11, 27, 7, 0, 0, 0, time.UTC)
	f := false
	for _, c := range []struct {
		name string
		opts ContextOptions
		want map[string]string // "" value: key must be absent
	}{
		{ContextAccessKey, ContextOptions{CurrentTime: now}, map[string]string{
			"aws:MultiFactorAuthPresent": "", "aws:MultiFactorAuthAge": "", "aws:SecureTransport": "true",
			"aws:username": "username", "aws:userid": u.ID, "aws:PrincipalArn": u.ARN, "aws:PrincipalAccount": guideAccount,
			"aws:PrincipalType": "User", "aws:PrincipalTag/team": "blue", "aws:CurrentTime": "2026-11-27T07:00:00Z",
			"aws:EpochTime": "1795762800", "aws:TokenIssueTime": "", "aws:ViaAWSService": "false", "aws:PrincipalIsAWSService": "false",
		}},
		{ContextSessionNoMFA, ContextOptions{SecureTransport: &f}, map[string]string{
			"aws:MultiFactorAuthPresent": "false", "aws:MultiFactorAuthAge": "", "aws:SecureTransport": "false", "aws:CurrentTime": "",
		}},
		{ContextMFASession, ContextOptions{CurrentTime: now, SourceIP: "192.0.2.1"}, map[string]string{
			"aws:MultiFactorAuthPresent": "true", "aws:MultiFactorAuthAge": "300", "aws:SourceIp": "192.0.2.1",
			"aws:TokenIssueTime": "2026-11-27T06:55:00Z",
		}},
		{ContextMFASession, ContextOptions{MFAAgeSeconds: 7200}, map[string]string{"aws:MultiFactorAuthAge": "7200"}},
	} {
		ctx, err := NamedContext(c.name, u, c.opts)
		if err != nil {
			t.Fatal(err)
		}
		for k, want := range c.want {
			v, ok := ctx[k]
			switch {
			case want == "" && ok:
				t.Errorf("%s: %s must be absent, got %v", c.name, k, v)
			case want != "" && (len(v) != 1 || v[0] != want):
				t.Errorf("%s: %s = %v, want %s", c.name, k, v, want)
			}
		}
	}
	if _, err := NamedContext("console", u, ContextOptions{}); err == nil {
		t.Fatal("unknown context accepted")
	}
	s := session("AdminRole", "alice")
	ctx, err := NamedContext(ContextMFASession, s, ContextOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := ctx["aws:username"]; ok {
		t.Error("aws:username is only set for IAM users")
	}
	if got := ctx["aws:PrincipalArn"]; len(got) != 1 || got[0] != "arn:aws:iam::123456789012:role/AdminRole" {
		t.Errorf("session aws:PrincipalArn = %v", got)
	}
	if got := ctx["aws:PrincipalType"]; len(got) != 1 || got[0] != "AssumedRole" {
		t.Errorf("session aws:PrincipalType = %v", got)
	}
}

func TestPrincipalKeysDerived(t *testing.T) {
	cases := []struct {
		p    Principal
		key  string
		want string // "" means absent
	}{
		{guideUser(), "AWS:USERNAME", "username"},
		{Principal{ARN: "arn:aws:iam::123456789012:user/path/carol", Type: "user"}, "aws:username", "carol"},
		{Principal{ARN: "arn:aws:iam::123456789012:user/path/carol", Type: "user"}, "aws:PrincipalAccount", "123456789012"},
		{session("Ops", "s"), "aws:username", ""},
		{session("Ops", "s"), "aws:PrincipalArn", "arn:aws:iam::123456789012:role/Ops"},
		{Principal{ARN: "arn:aws:sts::123456789012:assumed-role/Ops/s", Type: "assumed-role", RoleARN: "arn:aws:iam::123456789012:role/team/Ops"}, "aws:PrincipalArn", "arn:aws:iam::123456789012:role/team/Ops"},
		{Principal{ARN: "arn:aws:iam::123456789012:root", Type: "root"}, "aws:userid", "123456789012"},
		{Principal{ARN: "arn:aws:iam::123456789012:root", Type: "root"}, "aws:PrincipalType", "Account"},
		{Principal{ARN: "arn:aws:sts::123456789012:federated-user/f", Type: "federated"}, "aws:PrincipalType", "FederatedUser"},
		{Principal{Type: "service", Name: "ec2.amazonaws.com"}, "aws:PrincipalType", ""},
		{Principal{Type: "user", ARN: "arn:aws:iam::1:user/u", Tags: map[string]string{"Team": "blue"}}, "aws:PrincipalTag/team", "blue"},
		{Principal{}, "aws:username", ""},
	}
	for _, c := range cases {
		got, ok := principalKey(&c.p, c.key)
		if ok != (c.want != "") || got != c.want {
			t.Errorf("%+v %s: got %q,%v want %q", c.p, c.key, got, ok, c.want)
		}
	}
}

func TestStatementAllows(t *testing.T) {
	p := mustParse(t, "p", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:Get*","Resource":"*"},{"Effect":"Deny","NotAction":"iam:*","Resource":"*"}]}`)
	if !p.Statements[0].Allows("s3:GetObject") || p.Statements[0].Allows("s3:PutObject") {
		t.Fatal("Action")
	}
	if p.Statements[1].Allows("iam:CreateUser") || !p.Statements[1].Allows("s3:PutObject") {
		t.Fatal("NotAction")
	}
}

func TestEvaluateInContext(t *testing.T) {
	u := guideUser()
	set := guideUserSet(t, true)
	req := Request{Principal: u, Action: "s3:ListAllMyBuckets", Resource: "*"}
	d, err := EvaluateInContext(set, req, ContextAccessKey, ContextOptions{})
	if err != nil || d.Effect != ExplicitDeny {
		t.Fatalf("access_key: %v %+v", err, d)
	}
	d, err = EvaluateInContext(set, req, ContextMFASession, ContextOptions{})
	if err != nil || !d.Allowed {
		t.Fatalf("mfa_session: %v %+v", err, d)
	}
	// A request key replaces the named one, whatever its case.
	req.Context = map[string][]string{"AWS:MULTIFACTORAUTHAGE": nil}
	d, err = EvaluateInContext(set, req, ContextMFASession, ContextOptions{})
	if err != nil || d.Effect != ExplicitDeny {
		t.Fatalf("override: %v %+v", err, d)
	}
	if _, err := EvaluateInContext(set, req, "nope", ContextOptions{}); err == nil {
		t.Fatal("unknown context accepted")
	}
}
