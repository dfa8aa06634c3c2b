package iampolicy

import "testing"

const urlResource = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html"

func TestResourceMatching(t *testing.T) {
	u := guideUser()
	e := &env{req: &Request{Principal: u, Context: kv("aws:PrincipalTag/team", "blue", "multi", "a", "multi", "b")}}
	cases := []struct {
		pattern, resource string
		want              bool
	}{
		{"*", "arn:aws:s3:::bucket", true},
		{"*", "*", true},
		{"arn:aws:s3:::bucket", "arn:aws:s3:::bucket", true},
		{"arn:aws:s3:::bucket", "arn:aws:s3:::Bucket", false}, // resource field is case-sensitive
		{"ARN:AWS:S3:::bucket", "arn:aws:s3:::bucket", true},  // arn, partition, service, region are not
		{"arn:aws:sns:US-EAST-1:123456789012:t", "arn:aws:sns:us-east-1:123456789012:t", true},
		{"arn:aws:iam::123456789012:user/Bob", "arn:aws:iam::123456789012:user/bob", false},
		{"arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/a/b/c", true},
		{"arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket", false},
		{"arn:aws:s3:::*", "*", false}, // "*" requests need Resource "*"
		{"arn:aws:iam::*:user/", "arn:aws:iam::123456789012:user/", true},
		{"arn:aws:iam::*:user/${aws:username}", "arn:aws:iam::123456789012:user/username", true},
		{"arn:aws:iam::*:user/${aws:username}", "arn:aws:iam::123456789012:user/other", false},
		{"arn:aws:iam::*:user/${aws:PrincipalTag/missing}", "arn:aws:iam::123456789012:user/", false}, // unresolvable
		{"arn:aws:iam::*:user/${multi}", "arn:aws:iam::123456789012:user/a", false},                   // multi-valued is unresolvable
		{"arn:aws:iam::*:user/${aws:PrincipalTag/missing, 'dflt'}", "arn:aws:iam::123456789012:user/dflt", true},
		{"arn:aws:s3:::${aws:PrincipalTag/team}-*", "arn:aws:s3:::blue-logs", true},
		{"arn:aws:ec2:*:*:instance/*", "arn:aws:ec2:us-east-1:123456789012:instance/i-1", true},
		{"arn:aws:ec2:us-east-?:*:instance/*", "arn:aws:ec2:us-east-1:123456789012:instance/i-1", true},
		{"arn:aws:ec2:us-east-?:*:instance/*", "arn:aws:ec2:us-east-10:123456789012:instance/i-1", false},
		// A trailing * in a shortened pattern spans the remaining fields.
		{"arn:aws:*", "arn:aws:iam::123456789012:user/x", true},
		{"arn:aws:iam::*", "arn:aws:iam::123456789012:user/x", true},
		{"arn:aws:iam::123456789012:*", "arn:aws:iam::123456789012:user/x", true},
		{"arn:aws:iam::999999999999:*", "arn:aws:iam::123456789012:user/x", false},
		// A * inside a field does not span colons.
		{"arn:aws:*:123456789012:user/x", "arn:aws:iam::123456789012:user/x", false},
		// Missing fields of a shortened ARN read as *.
		{"arn:aws:s?s", "arn:aws:sqs:us-east-1:123456789012:q", true},
		{"arn:aws:iam::123456789012", "arn:aws:iam::123456789012:user/x", true},
		{"arn:aws:iam::123456789012", "arn:aws:iam::999999999999:user/x", false},
		{"arn:aws:iam::123456789012:user/x", "arn:aws:iam::123456789012", false},
		// Resource part may itself contain colons.
		{"arn:aws:logs:us-east-1:123456789012:log-group:grp:*", "arn:aws:logs:us-east-1:123456789012:log-group:grp:log-stream:s", true},
		{"arn:aws:logs:us-east-1:123456789012:log-group:*", "arn:aws:logs:us-east-1:123456789012:log-group:grp:log-stream:s", true},
		// ? is one character, and a * never ends inside one: "€" is three
		// bytes but one character.
		{"arn:aws:s3:::b/*??", "arn:aws:s3:::b/€", false},
		{"arn:aws:s3:::b/*?", "arn:aws:s3:::b/€", true},
		{"arn:aws:s3:::b/*€?", "arn:aws:s3:::b/x€€", true},
		{"arn:aws:s3:::b/?*?", "arn:aws:s3:::b/€", false},
	}
	for _, c := range cases {
		rp := compileResource(c.pattern, true)
		if got := rp.match(c.resource, e, false); got != c.want {
			t.Errorf("%s: pattern %q resource %q: got %v want %v", urlResource, c.pattern, c.resource, got, c.want)
		}
	}
}

func TestShortARNInResourcePolicy(t *testing.T) {
	e := &env{req: &Request{}}
	for _, c := range []struct {
		pattern string
		want    bool
	}{
		{"arn:aws:sqs", false},
		{"arn:aws:sqs:*", true},
		{"arn:aws:s?s", true},
		{"arn:aws:sqs:us-east-1:123456789012:q", true},
	} {
		rp := compileResource(c.pattern, true)
		if got := rp.match("arn:aws:sqs:us-east-1:123456789012:q", e, true); got != c.want {
			t.Errorf("%s: resource policy pattern %q: got %v want %v", urlResource, c.pattern, got, c.want)
		}
	}
}

func TestNotResourceWithUnresolvableVariable(t *testing.T) {
	// "If AWS cannot resolve a variable this might cause the entire statement
	// to be invalid": a NotResource statement with one does not apply.
	p := mustParse(t, "nr", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"*","Resource":"*"},
		{"Effect":"Deny","Action":"ec2:*","NotResource":"arn:aws:ec2:*:*:instance/${aws:PrincipalTag/team}-*"}]}`)
	set := PolicySet{Identity: []PolicyRef{{Kind: "user-inline", Name: "nr", Policy: p}}}
	res := "arn:aws:ec2:us-east-1:123456789012:instance/x-1"
	noTag := user("bob")
	if d := Evaluate(set, Request{Principal: noTag, Action: "ec2:TerminateInstances", Resource: res}); !d.Allowed {
		t.Errorf("%s: unresolvable NotResource must not deny: %s", urlVariables, d.Reason)
	}
	tagged := user("bob")
	tagged.Tags = map[string]string{"team": "blue"}
	if d := Evaluate(set, Request{Principal: tagged, Action: "ec2:TerminateInstances", Resource: res}); d.Effect != ExplicitDeny {
		t.Errorf("%s: resolved NotResource must deny other teams' instances: %s", urlVariables, d.Reason)
	}
}

func TestActionMatching(t *testing.T) {
	cases := []struct {
		pattern, action string
		want            bool
	}{
		{"*", "iam:CreateUser", true},
		{"iam:*", "IAM:createuser", true},
		{"iam:Create*", "iam:CreateUser", true},
		{"iam:create*", "iam:CreateUser", true},
		{"iam:*User", "iam:CreateUser", true},
		{"iam:*User", "iam:CreateUsers", false},
		{"iam:?reateUser", "iam:CreateUser", true},
		{"iam:CreateUser", "iam:CreateUserX", false},
		{"s3:*Object*", "s3:GetObjectAcl", true},
		{"s*:Get*", "sts:GetCallerIdentity", true},
		{"iam:*", "sts:AssumeRole", false},
	}
	for _, c := range cases {
		g := compileGlob(c.pattern)
		if got := g.match(c.action); got != c.want {
			t.Errorf("action pattern %q vs %q: got %v want %v", c.pattern, c.action, got, c.want)
		}
	}
}

func TestNotActionNotResource(t *testing.T) {
	u := guideUser()
	p := mustParse(t, "na", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","NotAction":["iam:*","organizations:*"],"Resource":"*"},
		{"Effect":"Allow","Action":"iam:Get*","NotResource":"arn:aws:iam::*:role/Secret*"}]}`)
	set := PolicySet{Identity: []PolicyRef{{Kind: "user-managed", Name: "na", Policy: p}}}
	for _, c := range []struct {
		action, resource string
		want             bool
	}{
		{"s3:PutObject", "arn:aws:s3:::b/k", true},
		{"iam:CreateUser", "arn:aws:iam::123456789012:user/x", false},
		{"organizations:ListAccounts", "*", false},
		{"iam:GetRole", "arn:aws:iam::123456789012:role/Public", true},
		{"iam:GetRole", "arn:aws:iam::123456789012:role/SecretRole", false},
	} {
		d := Evaluate(set, Request{Principal: u, Action: c.action, Resource: c.resource})
		if d.Allowed != c.want {
			t.Errorf("%s %s: allowed=%v want %v (%s)", c.action, c.resource, d.Allowed, c.want, d.Reason)
		}
	}
}
