package iampolicy

import (
	"strings"
	"testing"
)

const (
	urlEvalBasics = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-basics.html"
	urlDenyAllow  = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html"
	urlCross      = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html"
	urlBoundaries = "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html"
	urlNotPrinc   = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html"
)

func user(name string) Principal {
	return Principal{ARN: "arn:aws:iam::123456789012:user/" + name, AccountID: "123456789012", Type: "user", Name: name, ID: "AIDA" + strings.ToUpper(name)}
}

func session(role, sess string) Principal {
	return Principal{ARN: "arn:aws:sts::123456789012:assumed-role/" + role + "/" + sess, AccountID: "123456789012", Type: "assumed-role", Name: role, ID: "AROAEXAMPLE:" + sess}
}

func ref(t *testing.T, kind, name, doc string) PolicyRef {
	return PolicyRef{Kind: kind, Name: name, Policy: mustParse(t, name, doc)}
}

// Carlos example: the identity policy's DenyS3Logs wins over the bucket
// policy's allow. (urlEvalBasics)
func TestEvalCarlosExample(t *testing.T) {
	carlos := user("carlossalazar")
	id := ref(t, "user-inline", "carlos", `{"Version":"2012-10-17","Statement":[
	 {"Sid":"AllowS3ListRead","Effect":"Allow","Action":["s3:GetBucketLocation","s3:GetAccountPublicAccessBlock","s3:ListAccessPoints","s3:ListAllMyBuckets"],"Resource":"arn:aws:s3:::*"},
	 {"Sid":"AllowS3Self","Effect":"Allow","Action":"s3:*","Resource":["arn:aws:s3:::amzn-s3-demo-bucket-carlossalazar/*","arn:aws:s3:::amzn-s3-demo-bucket-carlossalazar"]},
	 {"Sid":"DenyS3Logs","Effect":"Deny","Action":"s3:*","Resource":"arn:aws:s3:::*log*"}]}`)
	bucket := ref(t, "resource", "logs-bucket-policy", `{"Version":"2012-10-17","Statement":[
	 {"Sid":"AllowCarlos","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/carlossalazar"},"Action":"s3:*",
	  "Resource":["arn:aws:s3:::amzn-s3-demo-bucket-carlossalazar-logs","arn:aws:s3:::amzn-s3-demo-bucket-carlossalazar-logs/*"]}]}`)
	set := PolicySet{Identity: []PolicyRef{id}, Resource: []PolicyRef{bucket}}
	d := Evaluate(set, Request{Principal: carlos, Action: "s3:PutObject", Resource: "arn:aws:s3:::amzn-s3-demo-bucket-carlossalazar-logs"})
	if d.Effect != ExplicitDeny || !strings.Contains(d.Reason, "DenyS3Logs") {
		t.Fatalf("%s: got %s (%s)", urlEvalBasics, d.Effect, d.Reason)
	}
	d = Evaluate(set, Request{Principal: carlos, Action: "s3:PutObject", Resource: "arn:aws:s3:::amzn-s3-demo-bucket-carlossalazar/x"})
	if !d.Allowed {
		t.Fatalf("%s: own bucket: got %s (%s)", urlEvalBasics, d.Effect, d.Reason)
	}
}

func TestEvalSingleAccount(t *testing.T) {
	bob := user("bob")
	sess := session("App", "s1")
	allowGet := `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}`
	denyGet := `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"s3:GetObject","Resource":"*"}}`
	allowAll := `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`
	allowIAM := `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"iam:*","Resource":"*"}}`
	bucketFor := func(principal string) string {
		return `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"` + principal + `"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}`
	}
	obj := "arn:aws:s3:::b/k"
	cases := []struct {
		name     string
		url      string
		p        Principal
		identity []string
		boundary string
		resource string
		want     Effect
	}{
		{"no policies: implicit deny", urlDenyAllow, bob, nil, "", "", ImplicitDeny},
		{"identity allow", urlDenyAllow, bob, []string{allowGet}, "", "", Allow},
		{"explicit deny beats allow", urlDenyAllow, bob, []string{allowAll, denyGet}, "", "", ExplicitDeny},
		{"boundary allows", urlBoundaries, bob, []string{allowAll}, allowGet, "", Allow},
		{"boundary does not allow", urlBoundaries, bob, []string{allowAll}, allowIAM, "", ImplicitDeny},
		{"boundary alone grants nothing", urlBoundaries, bob, nil, allowAll, "", ImplicitDeny},
		{"boundary explicit deny", urlBoundaries, bob, []string{allowAll}, denyGet, "", ExplicitDeny},
		{"resource policy names user: enough alone", urlDenyAllow, bob, nil, "", bucketFor(bob.ARN), Allow},
		{"resource policy names user: boundary implicit deny does not limit", urlDenyAllow, bob, nil, allowIAM, bucketFor(bob.ARN), Allow},
		{"resource policy names account: identity allow needed", urlDenyAllow, bob, nil, "", bucketFor("arn:aws:iam::123456789012:root"), ImplicitDeny},
		{"resource policy names account ID: identity allow present", urlDenyAllow, bob, []string{allowGet}, "", bucketFor("123456789012"), Allow},
		{"resource policy names other user", urlDenyAllow, bob, nil, "", bucketFor("arn:aws:iam::123456789012:user/alice"), ImplicitDeny},
		{"resource policy names session ARN", urlDenyAllow, sess, nil, allowIAM, bucketFor(sess.ARN), Allow},
		{"resource policy names role ARN: boundary limits", urlDenyAllow, sess, nil, allowIAM, bucketFor("arn:aws:iam::123456789012:role/App"), ImplicitDeny},
		{"resource policy names role ARN: no boundary", urlDenyAllow, sess, nil, "", bucketFor("arn:aws:iam::123456789012:role/App"), Allow},
		{"resource policy deny", urlDenyAllow, bob, []string{allowAll}, "", `{"Statement":{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}}`, ExplicitDeny},
		{"root user has full access", urlDenyAllow, Principal{ARN: "arn:aws:iam::123456789012:root", AccountID: "123456789012", Type: "root"}, nil, "", "", Allow},
		{"root user explicit deny", urlDenyAllow, Principal{ARN: "arn:aws:iam::123456789012:root", AccountID: "123456789012", Type: "root"}, nil, "", `{"Statement":{"Effect":"Deny","Principal":{"AWS":"123456789012"},"Action":"s3:*","Resource":"*"}}`, ExplicitDeny},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var set PolicySet
			for i, doc := range c.identity {
				set.Identity = append(set.Identity, ref(t, "user-inline", "id"+string(rune('0'+i)), doc))
			}
			if c.boundary != "" {
				b := ref(t, "boundary", "boundary", c.boundary)
				set.Boundary = &b
			}
			if c.resource != "" {
				set.Resource = []PolicyRef{ref(t, "resource", "bucket", c.resource)}
			}
			d := Evaluate(set, Request{Principal: c.p, Action: "s3:GetObject", Resource: obj})
			if d.Effect != c.want || d.Allowed != (c.want == Allow) {
				t.Fatalf("%s: got %s (%s), want %s", c.url, d.Effect, d.Reason, c.want)
			}
		})
	}
}

// Role trust policies must allow the caller: naming the user ARN is enough
// on its own, naming the account needs an identity-policy allow too, and an
// identity allow without a trust allow is not enough. (urlDenyAllow)
func TestEvalAssumeRoleTrust(t *testing.T) {
	bob := user("bob")
	role := "arn:aws:iam::123456789012:role/AdminRole"
	idAllow := `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"` + role + `"}}`
	trustFor := func(p string) string {
		return `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"` + p + `"},"Action":"sts:AssumeRole"}}`
	}
	cases := []struct {
		name   string
		trust  string
		id     bool
		want   Effect
		reason string
	}{
		{"trust names user, no identity policy", trustFor(bob.ARN), false, Allow, "names the principal directly"},
		{"trust names account, no identity policy", trustFor("arn:aws:iam::123456789012:root"), false, ImplicitDeny, "no identity policy"},
		{"trust names account, identity allow", trustFor("arn:aws:iam::123456789012:root"), true, Allow, ""},
		{"trust names bare account ID, identity allow", trustFor("123456789012"), true, Allow, ""},
		{"trust names someone else, identity allow", trustFor("arn:aws:iam::123456789012:user/alice"), true, ImplicitDeny, "trust policy"},
		{"trust allows a service only", `{"Statement":{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}}`, true, ImplicitDeny, "trust policy"},
		{"trust with MFA condition, no MFA", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"123456789012"},"Action":"sts:AssumeRole","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}}`, true, ImplicitDeny, "aws:MultiFactorAuthPresent"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			set := PolicySet{Resource: []PolicyRef{ref(t, "trust", "AdminRole", c.trust)}}
			if c.id {
				set.Identity = []PolicyRef{ref(t, "user-inline", "assume", idAllow)}
			}
			d := Evaluate(set, Request{Principal: bob, Action: "sts:AssumeRole", Resource: role})
			if d.Effect != c.want || !strings.Contains(d.Reason, c.reason) {
				t.Fatalf("%s: got %s (%s), want %s containing %q", urlDenyAllow, d.Effect, d.Reason, c.want, c.reason)
			}
		})
	}
	svc := Principal{Type: "service", Name: "ec2.amazonaws.com"}
	d := Evaluate(PolicySet{Resource: []PolicyRef{ref(t, "trust", "r", `{"Statement":{"Effect":"Allow","Principal":{"Service":["ec2.amazonaws.com"]},"Action":"sts:AssumeRole"}}`)}},
		Request{Principal: svc, Action: "sts:AssumeRole", Resource: role})
	if !d.Allowed {
		t.Fatalf("service principal: %s", d.Reason)
	}
}

func TestEvalCrossAccount(t *testing.T) {
	bob := user("bob")
	queue := "arn:aws:sqs:us-east-1:999999999999:q"
	idAllow := ref(t, "user-inline", "id", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"*"}}`)
	resAllow := ref(t, "resource", "queue", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/bob"},"Action":"sqs:SendMessage","Resource":"`+queue+`"}}`)
	for _, c := range []struct {
		name string
		set  PolicySet
		want bool
	}{
		{"both allow", PolicySet{Identity: []PolicyRef{idAllow}, Resource: []PolicyRef{resAllow}}, true},
		{"only resource allows", PolicySet{Resource: []PolicyRef{resAllow}}, false},
		{"only identity allows", PolicySet{Identity: []PolicyRef{idAllow}, Resource: []PolicyRef{ref(t, "resource", "q", `{"Statement":{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"sqs:*","Resource":"*"}}`)}}, false},
	} {
		d := Evaluate(c.set, Request{Principal: bob, Action: "sqs:SendMessage", Resource: queue})
		if d.Allowed != c.want {
			t.Errorf("%s: %s: allowed=%v (%s)", urlCross, c.name, d.Allowed, d.Reason)
		}
	}
}

func TestEvalNotPrincipal(t *testing.T) {
	bob := user("bob")
	alice := user("alice")
	allowAll := ref(t, "user-inline", "all", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`)
	// Bob and his account are both listed, so the deny does not apply to him.
	bucket := ref(t, "resource", "bucket", `{"Version":"2012-10-17","Statement":{"Effect":"Deny",
	  "NotPrincipal":{"AWS":["arn:aws:iam::123456789012:user/bob","arn:aws:iam::123456789012:root"]},"Action":"s3:*","Resource":"*"}}`)
	onlyUser := ref(t, "resource", "bucket", `{"Version":"2012-10-17","Statement":{"Effect":"Deny",
	  "NotPrincipal":{"AWS":"arn:aws:iam::123456789012:user/bob"},"Action":"s3:*","Resource":"*"}}`)
	req := func(p Principal) Request {
		return Request{Principal: p, Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k"}
	}
	if d := Evaluate(PolicySet{Identity: []PolicyRef{allowAll}, Resource: []PolicyRef{bucket}}, req(bob)); !d.Allowed {
		t.Errorf("%s: bob excluded from deny: %s", urlNotPrinc, d.Reason)
	}
	if d := Evaluate(PolicySet{Identity: []PolicyRef{allowAll}, Resource: []PolicyRef{bucket}}, req(alice)); d.Effect != ExplicitDeny {
		t.Errorf("%s: alice must be denied: %s", urlNotPrinc, d.Reason)
	}
	if d := Evaluate(PolicySet{Identity: []PolicyRef{allowAll}, Resource: []PolicyRef{onlyUser}}, req(bob)); d.Effect != ExplicitDeny {
		t.Errorf("%s: account ARN not listed, bob must be denied: %s", urlNotPrinc, d.Reason)
	}
	// A role session is excluded only when the session, its role and the
	// account are all listed (the NotPrincipal page's role example).
	sess := session("cross-account-read-only-role", "cross-account-audit-app")
	full := ref(t, "resource", "bucket", `{"Version":"2012-10-17","Statement":{"Effect":"Deny","NotPrincipal":{"AWS":[
		"arn:aws:sts::123456789012:assumed-role/cross-account-read-only-role/cross-account-audit-app",
		"arn:aws:iam::123456789012:role/cross-account-read-only-role","arn:aws:iam::123456789012:root"]},"Action":"s3:*","Resource":"*"}}`)
	noRole := ref(t, "resource", "bucket", `{"Version":"2012-10-17","Statement":{"Effect":"Deny","NotPrincipal":{"AWS":[
		"arn:aws:sts::123456789012:assumed-role/cross-account-read-only-role/cross-account-audit-app","arn:aws:iam::123456789012:root"]},"Action":"s3:*","Resource":"*"}}`)
	if d := Evaluate(PolicySet{Identity: []PolicyRef{allowAll}, Resource: []PolicyRef{full}}, req(sess)); !d.Allowed {
		t.Errorf("%s: session, role and account listed: %s", urlNotPrinc, d.Reason)
	}
	if d := Evaluate(PolicySet{Identity: []PolicyRef{allowAll}, Resource: []PolicyRef{noRole}}, req(sess)); d.Effect != ExplicitDeny {
		t.Errorf("%s: role ARN missing, the session must be denied: %s", urlNotPrinc, d.Reason)
	}
	b := ref(t, "boundary", "b", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`)
	if d := Evaluate(PolicySet{Identity: []PolicyRef{allowAll}, Boundary: &b, Resource: []PolicyRef{bucket}}, req(bob)); d.Effect != ExplicitDeny {
		t.Errorf("%s: NotPrincipal+Deny always denies a principal with a boundary: %s", urlBoundaries, d.Reason)
	}
}

func TestEvalMatchedOrderAndExplanation(t *testing.T) {
	bob := user("bob")
	a := ref(t, "user-managed", "A", `{"Version":"2012-10-17","Statement":[{"Sid":"One","Effect":"Allow","Action":"s3:*","Resource":"*"},{"Effect":"Allow","Action":"ec2:*","Resource":"*"},{"Sid":"Three","Effect":"Allow","Action":"s3:Get*","Resource":"*"}]}`)
	b := ref(t, "group-inline", "B", `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:GetObject","Resource":"*"}]}`)
	d := Evaluate(PolicySet{Identity: []PolicyRef{a, b}}, Request{Principal: bob, Action: "s3:GetObject", Resource: "arn:aws:s3:::x/y"})
	want := []MatchedStatement{
		{Policy: "A", PolicyKind: "user-managed", Sid: "One", Index: 1, Effect: "Allow"},
		{Policy: "A", PolicyKind: "user-managed", Sid: "Three", Index: 3, Effect: "Allow"},
		{Policy: "B", PolicyKind: "group-inline", Index: 1, Effect: "Deny"},
	}
	if len(d.Matched) != len(want) {
		t.Fatalf("matched %+v", d.Matched)
	}
	for i := range want {
		if d.Matched[i] != want[i] {
			t.Fatalf("matched[%d] = %+v, want %+v", i, d.Matched[i], want[i])
		}
	}
	if d.Reason != "explicitly denied by group-inline policy B statement #1" {
		t.Fatalf("reason %q", d.Reason)
	}
}

func TestEvalRootCrossAccountAndReasons(t *testing.T) {
	root := Principal{ARN: "arn:aws:iam::123456789012:root", AccountID: "123456789012", Type: "root"}
	queue := "arn:aws:sqs:us-east-1:999999999999:q"
	other := ref(t, "resource", "queue", `{"Statement":{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"sqs:*","Resource":"*"}}`)
	mine := ref(t, "resource", "queue", `{"Statement":{"Sid":"Acct","Effect":"Allow","Principal":{"AWS":"123456789012"},"Action":"sqs:*","Resource":"*"}}`)
	if d := Evaluate(PolicySet{Resource: []PolicyRef{other}}, Request{Principal: root, Action: "sqs:SendMessage", Resource: queue}); d.Allowed {
		t.Errorf("%s: root of another account needs the resource policy: %s", urlCross, d.Reason)
	}
	if d := Evaluate(PolicySet{Resource: []PolicyRef{mine}}, Request{Principal: root, Action: "sqs:SendMessage", Resource: queue}); !d.Allowed || !strings.Contains(d.Reason, "Acct") {
		t.Errorf("%s: root allowed by the queue policy: %s", urlCross, d.Reason)
	}
	// The strongest principal match is the one reported.
	sess := session("App", "s1")
	b := ref(t, "boundary", "OnlyIAM", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"iam:*","Resource":"*"}}`)
	bucket := ref(t, "resource", "bucket", `{"Version":"2012-10-17","Statement":[
		{"Sid":"Account","Effect":"Allow","Principal":{"AWS":"123456789012"},"Action":"s3:*","Resource":"*"},
		{"Sid":"Role","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:role/App"},"Action":"s3:*","Resource":"*"}]}`)
	d := Evaluate(PolicySet{Boundary: &b, Resource: []PolicyRef{bucket}}, Request{Principal: sess, Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k"})
	if d.Allowed || !strings.Contains(d.Reason, "statement Role") || !strings.Contains(d.Reason, "OnlyIAM") {
		t.Errorf("%s: got %s (%s)", urlBoundaries, d.Effect, d.Reason)
	}
}

func TestEvalGetCallerIdentityAndWildcardPrincipal(t *testing.T) {
	bob := user("bob")
	deny := ref(t, "user-inline", "deny", `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"*","Resource":"*"}}`)
	// https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
	if d := Evaluate(PolicySet{Identity: []PolicyRef{deny}}, Request{Principal: bob, Action: "sts:GetCallerIdentity", Resource: "*"}); !d.Allowed {
		t.Errorf("GetCallerIdentity cannot be denied: %s", d.Reason)
	}
	// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_getsessiontoken.html
	if d := Evaluate(PolicySet{Identity: []PolicyRef{deny}}, Request{Principal: bob, Action: "sts:GetSessionToken", Resource: "*"}); !d.Allowed {
		t.Errorf("GetSessionToken cannot be controlled by policies: %s", d.Reason)
	}
	if d := Evaluate(PolicySet{}, Request{Principal: session("App", "s"), Action: "sts:GetSessionToken", Resource: "*"}); d.Allowed {
		t.Errorf("role sessions cannot call GetSessionToken: %s", d.Reason)
	}
	if d := Evaluate(PolicySet{Identity: []PolicyRef{deny}}, Request{Principal: bob, Action: "sts:GetFederationToken", Resource: "*"}); d.Allowed {
		t.Errorf("GetFederationToken is an ordinary action: %s", d.Reason)
	}
	public := ref(t, "resource", "bucket", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}`)
	b := ref(t, "boundary", "OnlyIAM", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"iam:*","Resource":"*"}}`)
	for _, p := range []Principal{bob, session("App", "s1")} {
		if d := Evaluate(PolicySet{Boundary: &b, Resource: []PolicyRef{public}}, Request{Principal: p, Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k"}); !d.Allowed {
			t.Errorf("%s: Principal * grants %s directly: %s", urlDenyAllow, p.ARN, d.Reason)
		}
	}
}

// CoversResource agrees with Evaluate on identity policies, and declines
// to answer for patterns with policy variables.
func TestCoversResource(t *testing.T) {
	p := mustParse(t, "p", `{"Version":"2012-10-17","Statement":[
	 {"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::*:role/admin-*"},
	 {"Effect":"Allow","Action":"sts:AssumeRole","NotResource":["arn:aws:iam::123456789012:role/admin-1"]},
	 {"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"},
	 {"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::123456789012:role/${aws:username}"}]}`)
	roles := []string{"arn:aws:iam::123456789012:role/admin-1", "arn:aws:iam::123456789012:role/admin-2", "arn:aws:iam::123456789012:role/ops"}
	for si := 0; si < 3; si++ {
		one := &Policy{Name: "one", Statements: []Statement{p.Statements[si]}}
		for _, r := range roles {
			got, ok := p.Statements[si].CoversResource(r)
			if !ok {
				t.Fatalf("statement %d: no answer for %s", si, r)
			}
			d := Evaluate(PolicySet{Identity: []PolicyRef{{Kind: "user-managed", Name: "one", Policy: one}}},
				Request{Principal: Principal{Type: "user", AccountID: "123456789012", Name: "u"}, Action: "sts:AssumeRole", Resource: r})
			if got != d.Allowed {
				t.Errorf("statement %d on %s: CoversResource %v, Evaluate allowed %v", si, r, got, d.Allowed)
			}
		}
	}
	if _, ok := p.Statements[3].CoversResource(roles[0]); ok {
		t.Error("a pattern with a policy variable must not be answered without a request")
	}
}
