package iampolicy

import (
	"strings"
	"testing"
)

const (
	urlOperators = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html"
	urlMulti     = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html"
	urlMultiKeys = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_multi-value-conditions.html"
	urlVariables = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html"
	urlGlobal    = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html"
)

type ctx = map[string][]string

func kv(pairs ...string) ctx {
	c := ctx{}
	for i := 0; i+1 < len(pairs); i += 2 {
		c[pairs[i]] = append(c[pairs[i]], pairs[i+1])
	}
	return c
}

// condAllows evaluates an Allow-everything statement guarded by cond.
func condAllows(t *testing.T, version, cond string, p Principal, c ctx) Decision {
	t.Helper()
	v := ""
	if version != "" {
		v = `"Version":"` + version + `",`
	}
	pol := mustParse(t, "cond", `{`+v+`"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":`+cond+`}}`)
	return Evaluate(PolicySet{Identity: []PolicyRef{{Kind: "user-inline", Name: "cond", Policy: pol}}},
		Request{Principal: p, Action: "s3:GetObject", Resource: "arn:aws:s3:::bucket/key", Context: c})
}

func TestConditionOperators(t *testing.T) {
	user := guideUser()
	cases := []struct {
		name string
		url  string
		cond string
		ctx  ctx
		want bool
	}{
		// String operators.
		{"StringEquals match", urlOperators, `{"StringEquals":{"aws:PrincipalTag/job-category":"iamuser-admin"}}`, kv("aws:PrincipalTag/job-category", "iamuser-admin"), true},
		{"StringEquals case-sensitive value", urlOperators, `{"StringEquals":{"aws:PrincipalTag/job-category":"iamuser-admin"}}`, kv("aws:PrincipalTag/job-category", "IAMUser-Admin"), false},
		{"StringEquals key name case-insensitive", urlOperators, `{"StringEquals":{"AWS:PRINCIPALTAG/JOB-CATEGORY":"iamuser-admin"}}`, kv("aws:PrincipalTag/job-category", "iamuser-admin"), true},
		{"StringEquals missing key", urlOperators, `{"StringEquals":{"aws:PrincipalTag/job-category":"iamuser-admin"}}`, kv(), false},
		{"StringEquals no wildcards", urlOperators, `{"StringEquals":{"s3:prefix":"home/*"}}`, kv("s3:prefix", "home/x"), false},
		{"StringNotEquals differs", urlOperators, `{"StringNotEquals":{"aws:RequestedRegion":"us-east-1"}}`, kv("aws:RequestedRegion", "eu-west-1"), true},
		{"StringNotEquals equal", urlOperators, `{"StringNotEquals":{"aws:RequestedRegion":"us-east-1"}}`, kv("aws:RequestedRegion", "us-east-1"), false},
		{"StringNotEquals missing key is true", urlOperators, `{"StringNotEquals":{"aws:RequestedRegion":"us-east-1"}}`, kv(), true},
		{"StringNotEquals several values NOR (none equal)", urlMultiKeys, `{"StringNotEquals":{"aws:PrincipalTag/role":["audit","security"]}}`, kv("aws:PrincipalTag/role", "dev"), true},
		{"StringNotEquals several values NOR (one equal)", urlMultiKeys, `{"StringNotEquals":{"aws:PrincipalTag/role":["audit","security"]}}`, kv("aws:PrincipalTag/role", "security"), false},
		{"StringEqualsIgnoreCase", urlOperators, `{"StringEqualsIgnoreCase":{"aws:PrincipalTag/team":"Blue"}}`, kv("aws:PrincipalTag/team", "bLUE"), true},
		{"StringNotEqualsIgnoreCase", urlOperators, `{"StringNotEqualsIgnoreCase":{"aws:PrincipalTag/team":"Blue"}}`, kv("aws:PrincipalTag/team", "bLUE"), false},
		{"StringLike wildcard", urlOperators, `{"StringLike":{"s3:prefix":["","home/","home/${aws:username}/*"]}}`, kv("s3:prefix", "home/username/photos/a.jpg"), true},
		{"StringLike other user", urlOperators, `{"StringLike":{"s3:prefix":["","home/","home/${aws:username}/*"]}}`, kv("s3:prefix", "home/bob/a"), false},
		{"StringLike empty string value", urlOperators, `{"StringLike":{"s3:prefix":["","home/"]}}`, kv("s3:prefix", ""), true},
		{"StringLike ? one char", urlOperators, `{"StringLike":{"ec2:InstanceType":"t?.micro"}}`, kv("ec2:InstanceType", "t3.micro"), true},
		{"StringLike case-sensitive", urlOperators, `{"StringLike":{"ec2:InstanceType":"t2.*"}}`, kv("ec2:InstanceType", "T2.micro"), false},
		{"StringNotLike match", urlOperators, `{"StringNotLike":{"ec2:InstanceType":["t2.*","t3.*"]}}`, kv("ec2:InstanceType", "m5.large"), true},
		{"StringNotLike no match", urlOperators, `{"StringNotLike":{"ec2:InstanceType":["t2.*","t3.*"]}}`, kv("ec2:InstanceType", "t3.large"), false},
		{"StringNotLike missing key is true", urlOperators, `{"StringNotLike":{"ec2:InstanceType":"t2.*"}}`, kv(), true},
		// Numeric.
		{"NumericLessThanEquals", urlOperators, `{"NumericLessThanEquals":{"s3:max-keys":"10"}}`, kv("s3:max-keys", "10"), true},
		{"NumericLessThanEquals over", urlOperators, `{"NumericLessThanEquals":{"s3:max-keys":"10"}}`, kv("s3:max-keys", "11"), false},
		{"NumericLessThan JSON number", urlOperators, `{"NumericLessThan":{"aws:MultiFactorAuthAge":3600}}`, kv("aws:MultiFactorAuthAge", "300"), true},
		{"NumericGreaterThan decimal", urlOperators, `{"NumericGreaterThan":{"x:n":"1.5"}}`, kv("x:n", "2"), true},
		{"NumericGreaterThanEquals", urlOperators, `{"NumericGreaterThanEquals":{"x:n":"2"}}`, kv("x:n", "2.0"), true},
		{"NumericEquals", urlOperators, `{"NumericEquals":{"x:n":"10"}}`, kv("x:n", "10.0"), true},
		{"NumericNotEquals", urlOperators, `{"NumericNotEquals":{"x:n":["1","2"]}}`, kv("x:n", "3"), true},
		{"NumericNotEquals equal", urlOperators, `{"NumericNotEquals":{"x:n":["1","2"]}}`, kv("x:n", "2"), false},
		{"Numeric rejects Inf", urlOperators, `{"NumericGreaterThan":{"x:n":"1"}}`, kv("x:n", "Inf"), false},
		{"Numeric rejects hex", urlOperators, `{"NumericEquals":{"x:n":"16"}}`, kv("x:n", "0x10"), false},
		{"Numeric negative", urlOperators, `{"NumericLessThan":{"x:n":"0"}}`, kv("x:n", "-1.5"), true},
		{"Numeric bad request value", urlOperators, `{"NumericEquals":{"x:n":"1"}}`, kv("x:n", "one"), false},
		{"Numeric missing key", urlOperators, `{"NumericLessThan":{"aws:MultiFactorAuthAge":"3600"}}`, kv(), false},
		// Date.
		{"DateGreaterThan ISO", urlOperators, `{"DateGreaterThan":{"aws:TokenIssueTime":"2020-01-01T00:00:01Z"}}`, kv("aws:TokenIssueTime", "2020-01-01T00:00:02Z"), true},
		{"DateGreaterThan ISO equal", urlOperators, `{"DateGreaterThan":{"aws:TokenIssueTime":"2020-01-01T00:00:01Z"}}`, kv("aws:TokenIssueTime", "2020-01-01T00:00:01Z"), false},
		{"DateLessThan epoch vs ISO", urlOperators, `{"DateLessThan":{"aws:CurrentTime":"1577836800"}}`, kv("aws:CurrentTime", "2019-12-31T23:59:59Z"), true},
		{"DateEquals date-only", urlOperators, `{"DateEquals":{"aws:CurrentTime":"2020-01-01"}}`, kv("aws:CurrentTime", "2020-01-01T00:00:00Z"), true},
		{"DateLessThanEquals offset", urlOperators, `{"DateLessThanEquals":{"aws:CurrentTime":"2020-01-01T01:00:00+01:00"}}`, kv("aws:CurrentTime", "2020-01-01T00:00:00Z"), true},
		{"DateGreaterThanEquals epoch", urlOperators, `{"DateGreaterThanEquals":{"aws:EpochTime":"1577836800"}}`, kv("aws:EpochTime", "1577836800"), true},
		{"DateNotEquals", urlOperators, `{"DateNotEquals":{"aws:CurrentTime":"2020-01-01T00:00:00Z"}}`, kv("aws:CurrentTime", "2020-01-02T00:00:00Z"), true},
		{"DateEquals epoch vs ISO", urlOperators, `{"DateEquals":{"aws:CurrentTime":"1577836800"}}`, kv("aws:CurrentTime", "2020-01-01T00:00:00Z"), true},
		{"DateLessThan fractional epoch", urlOperators, `{"DateLessThan":{"aws:EpochTime":"1577836800.5"}}`, kv("aws:EpochTime", "1577836800"), true},
		{"Date bad value", urlOperators, `{"DateLessThan":{"aws:CurrentTime":"soon"}}`, kv("aws:CurrentTime", "2020-01-02T00:00:00Z"), false},
		// Bool.
		{"Bool true", urlOperators, `{"Bool":{"aws:SecureTransport":"true"}}`, kv("aws:SecureTransport", "true"), true},
		{"Bool JSON boolean", urlOperators, `{"Bool":{"aws:SecureTransport":true}}`, kv("aws:SecureTransport", "true"), true},
		{"Bool false vs true", urlOperators, `{"Bool":{"aws:SecureTransport":"false"}}`, kv("aws:SecureTransport", "true"), false},
		{"Bool missing key never matches", urlGlobal, `{"Bool":{"aws:MultiFactorAuthPresent":"false"}}`, kv(), false},
		{"BoolIfExists missing key", urlOperators, `{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}`, kv(), true},
		{"BoolIfExists present true", urlOperators, `{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}`, kv("aws:MultiFactorAuthPresent", "true"), false},
		// Binary.
		{"BinaryEquals", urlOperators, `{"BinaryEquals":{"key":"QmluYXJ5VmFsdWVJbkJhc2U2NA=="}}`, kv("key", "QmluYXJ5VmFsdWVJbkJhc2U2NA=="), true},
		{"BinaryEquals differs", urlOperators, `{"BinaryEquals":{"key":"QmluYXJ5VmFsdWVJbkJhc2U2NA=="}}`, kv("key", "QmluYXJ5"), false},
		// IP.
		{"IpAddress v4 CIDR", urlOperators, `{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`, kv("aws:SourceIp", "203.0.113.77"), true},
		{"IpAddress v4 outside", urlOperators, `{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`, kv("aws:SourceIp", "198.51.100.1"), false},
		{"IpAddress single address", urlOperators, `{"IpAddress":{"aws:SourceIp":"203.0.113.5"}}`, kv("aws:SourceIp", "203.0.113.5"), true},
		{"IpAddress v6", urlOperators, `{"IpAddress":{"aws:SourceIp":["203.0.113.0/24","2001:DB8:1234:5678::/64"]}}`, kv("aws:SourceIp", "2001:db8:1234:5678::1"), true},
		{"IpAddress v6 outside", urlOperators, `{"IpAddress":{"aws:SourceIp":"2001:DB8:1234:5678::/64"}}`, kv("aws:SourceIp", "2001:db8:1234:5679::1"), false},
		{"NotIpAddress outside", urlOperators, `{"NotIpAddress":{"aws:SourceIp":["192.0.2.0/24","203.0.113.0/24"]}}`, kv("aws:SourceIp", "198.51.100.1"), true},
		{"NotIpAddress inside", urlOperators, `{"NotIpAddress":{"aws:SourceIp":["192.0.2.0/24","203.0.113.0/24"]}}`, kv("aws:SourceIp", "192.0.2.9"), false},
		{"NotIpAddress missing key", urlOperators, `{"NotIpAddress":{"aws:SourceIp":"192.0.2.0/24"}}`, kv(), true},
		// ARN.
		{"ArnLike", urlOperators, `{"ArnLike":{"aws:SourceArn":"arn:aws:sns:*:123456789012:TOPIC-*"}}`, kv("aws:SourceArn", "arn:aws:sns:us-east-1:123456789012:TOPIC-1"), true},
		{"ArnLike other account", urlOperators, `{"ArnLike":{"aws:SourceArn":"arn:aws:sns:*:123456789012:*"}}`, kv("aws:SourceArn", "arn:aws:sns:us-east-1:999999999999:t"), false},
		{"ArnEquals exact", urlOperators, `{"ArnEquals":{"aws:SourceArn":"arn:aws:sns:us-east-1:123456789012:t"}}`, kv("aws:SourceArn", "arn:aws:sns:us-east-1:123456789012:t"), true},
		{"ArnEquals wildcard per field", urlOperators, `{"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::*:role/Admin*"}}`, kv("aws:PrincipalArn", "arn:aws:iam::123456789012:role/AdminRole"), true},
		{"ArnLike wildcard within a field", urlOperators, `{"ArnLike":{"aws:SourceArn":"arn:aws:s*:us-east-1:123456789012:t"}}`, kv("aws:SourceArn", "arn:aws:sns:us-east-1:123456789012:t"), true},
		{"ArnNotEquals", urlOperators, `{"ArnNotEquals":{"aws:PrincipalArn":"arn:aws:iam::123456789012:role/Break"}}`, kv("aws:PrincipalArn", "arn:aws:iam::123456789012:role/Other"), true},
		{"ArnNotLike match", urlOperators, `{"ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/Break*"}}`, kv("aws:PrincipalArn", "arn:aws:iam::123456789012:role/BreakGlass"), false},
		{"ArnLike with variable", urlVariables, `{"ArnLike":{"aws:SourceArn":"arn:aws:sns:*:${aws:PrincipalAccount}:*"}}`, kv("aws:SourceArn", "arn:aws:sns:us-east-1:123456789012:t"), true},
		{"ArnLike with variable other account", urlVariables, `{"ArnLike":{"aws:SourceArn":"arn:aws:sns:*:${aws:PrincipalAccount}:*"}}`, kv("aws:SourceArn", "arn:aws:sns:us-east-1:999999999999:t"), false},
		{"ArnNotLike unresolvable variable", urlVariables, `{"ArnNotLike":{"aws:SourceArn":"arn:aws:sns:*:${aws:PrincipalTag/none}:*"}}`, kv("aws:SourceArn", "arn:aws:sns:us-east-1:999999999999:t"), false},
		{"ArnNotLike missing key", urlOperators, `{"ArnNotLike":{"aws:SourceArn":"arn:aws:iam::*:role/x"}}`, kv(), true},
		// Null.
		{"Null true absent", urlOperators, `{"Null":{"aws:TokenIssueTime":"true"}}`, kv(), true},
		{"Null true present", urlOperators, `{"Null":{"aws:TokenIssueTime":"true"}}`, kv("aws:TokenIssueTime", "2020-01-01T00:00:00Z"), false},
		{"Null false present", urlOperators, `{"Null":{"aws:TokenIssueTime":"false"}}`, kv("aws:TokenIssueTime", "2020-01-01T00:00:00Z"), true},
		{"Null JSON bool", urlOperators, `{"Null":{"aws:TokenIssueTime":false}}`, kv(), false},
		// IfExists.
		{"StringLikeIfExists absent", urlOperators, `{"StringLikeIfExists":{"ec2:InstanceType":["t1.*","t2.*","m3.*"]}}`, kv(), true},
		{"StringLikeIfExists present match", urlOperators, `{"StringLikeIfExists":{"ec2:InstanceType":["t1.*","t2.*","m3.*"]}}`, kv("ec2:InstanceType", "t2.micro"), true},
		{"StringLikeIfExists present no match", urlOperators, `{"StringLikeIfExists":{"ec2:InstanceType":["t1.*","t2.*","m3.*"]}}`, kv("ec2:InstanceType", "m5.large"), false},
		{"NumericLessThanIfExists absent", urlOperators, `{"NumericLessThanIfExists":{"aws:MultiFactorAuthAge":"3600"}}`, kv(), true},
		// Set qualifiers.
		{"ForAllValues subset", urlMulti, `{"ForAllValues:StringEquals":{"aws:TagKeys":["environment","cost-center"]}}`, kv("aws:TagKeys", "environment"), true},
		{"ForAllValues extra value", urlMulti, `{"ForAllValues:StringEquals":{"aws:TagKeys":["environment","cost-center"]}}`, kv("aws:TagKeys", "environment", "aws:TagKeys", "dept"), false},
		{"ForAllValues absent key is true", urlMulti, `{"ForAllValues:StringEquals":{"aws:TagKeys":["environment"]}}`, kv(), true},
		{"ForAllValues empty key is true", urlMulti, `{"ForAllValues:StringEquals":{"aws:TagKeys":["environment"]}}`, ctx{"aws:TagKeys": {}}, true},
		{"ForAnyValue one matches", urlMulti, `{"ForAnyValue:StringEquals":{"aws:TagKeys":["environment","cost-center"]}}`, kv("aws:TagKeys", "dept", "aws:TagKeys", "cost-center"), true},
		{"ForAnyValue none match", urlMulti, `{"ForAnyValue:StringEquals":{"aws:TagKeys":["environment"]}}`, kv("aws:TagKeys", "dept"), false},
		{"ForAnyValue absent key is false", urlMulti, `{"ForAnyValue:StringEquals":{"aws:TagKeys":["environment"]}}`, kv(), false},
		{"ForAllValues:StringLike", urlMulti, `{"ForAllValues:StringLike":{"aws:TagKeys":["key*"]}}`, kv("aws:TagKeys", "key1", "aws:TagKeys", "key2"), true},
		{"ForAnyValue:StringNotEquals", urlMulti, `{"ForAnyValue:StringNotEquals":{"aws:TagKeys":["a","b"]}}`, kv("aws:TagKeys", "a", "aws:TagKeys", "c"), true},
		{"ForAnyValue:StringNotEquals all listed", urlMulti, `{"ForAnyValue:StringNotEquals":{"aws:TagKeys":["a","b"]}}`, kv("aws:TagKeys", "a", "aws:TagKeys", "b"), false},
		{"ForAllValues:StringNotEquals", urlMulti, `{"ForAllValues:StringNotEquals":{"aws:TagKeys":["a","b"]}}`, kv("aws:TagKeys", "c", "aws:TagKeys", "d"), true},
		{"ForAllValues:StringNotEquals one listed", urlMulti, `{"ForAllValues:StringNotEquals":{"aws:TagKeys":["a","b"]}}`, kv("aws:TagKeys", "c", "aws:TagKeys", "a"), false},
		// ForAnyValue with an absent key is false even with IfExists, as AWS
		// confirmed in https://repost.aws/questions/QU9HFmDzP0QGuU-fd7rS6B7w
		{"ForAnyValue:StringEqualsIfExists absent", urlMulti, `{"ForAnyValue:StringEqualsIfExists":{"aws:TagKeys":["a"]}}`, kv(), false},
		{"ForAllValues:StringEqualsIfExists absent", urlMulti, `{"ForAllValues:StringEqualsIfExists":{"aws:TagKeys":["a"]}}`, kv(), true},
		// Multivalued keys need a set operator: a plain operator never matches them.
		{"multivalued key without set operator", urlMulti, `{"StringEquals":{"aws:CalledVia":"athena.amazonaws.com"}}`, kv("aws:CalledVia", "athena.amazonaws.com"), false},
		{"multivalued key negated without set operator", urlMulti, `{"StringNotEquals":{"aws:CalledVia":"athena.amazonaws.com"}}`, kv("aws:CalledVia", "ec2.amazonaws.com", "aws:CalledVia", "s3.amazonaws.com"), false},
		{"multivalued key absent, negated", urlMulti, `{"StringNotEquals":{"aws:CalledVia":"athena.amazonaws.com"}}`, kv(), true},
		{"multivalued key with ForAnyValue", urlMulti, `{"ForAnyValue:StringEquals":{"aws:CalledVia":"athena.amazonaws.com"}}`, kv("aws:CalledVia", "athena.amazonaws.com"), true},
		{"service ArrayOf key without set operator", urlMulti, `{"StringEquals":{"acm:DomainNames":"example.com"}}`, kv("acm:DomainNames", "example.com"), false},
		{"several values for a single-valued key", urlMulti, `{"StringEquals":{"aws:PrincipalTag/team":"blue"}}`, kv("aws:PrincipalTag/team", "blue", "aws:PrincipalTag/team", "red"), false},
		{"multivalued key is not a variable", urlVariables, `{"StringEquals":{"s3:prefix":"${aws:CalledVia}"}}`, kv("s3:prefix", "athena.amazonaws.com", "aws:CalledVia", "athena.amazonaws.com"), false},
		// AND across keys and operators, OR across values.
		{"keys AND: both", urlMultiKeys, `{"StringEquals":{"aws:PrincipalTag/department":["finance","hr","legal"],"aws:PrincipalTag/role":["audit","security"]}}`, kv("aws:PrincipalTag/department", "hr", "aws:PrincipalTag/role", "audit"), true},
		{"keys AND: one fails", urlMultiKeys, `{"StringEquals":{"aws:PrincipalTag/department":["finance","hr","legal"],"aws:PrincipalTag/role":["audit","security"]}}`, kv("aws:PrincipalTag/department", "hr", "aws:PrincipalTag/role", "dev"), false},
		{"operators AND", urlMultiKeys, `{"Bool":{"aws:SecureTransport":"true"},"NumericLessThan":{"aws:MultiFactorAuthAge":"3600"}}`, kv("aws:SecureTransport", "true", "aws:MultiFactorAuthAge", "4000"), false},
		// Policy variables in condition values.
		{"variable principal tag", urlVariables, `{"StringEquals":{"aws:ResourceTag/owner":"${aws:username}"}}`, kv("aws:ResourceTag/owner", "username"), true},
		{"variable default used", urlVariables, `{"StringEquals":{"s3:prefix":"${aws:PrincipalTag/team, 'company-wide'}"}}`, kv("s3:prefix", "company-wide"), true},
		{"variable unresolvable matches nothing", urlVariables, `{"StringEquals":{"s3:prefix":"${aws:PrincipalTag/team}"}}`, kv("s3:prefix", ""), false},
		{"variable unresolvable in negated op", urlVariables, `{"StringNotEquals":{"s3:prefix":"${aws:PrincipalTag/team}"}}`, kv("s3:prefix", "x"), false},
		{"escape ${*} is a literal star", urlVariables, `{"StringLike":{"s3:prefix":"a${*}b"}}`, kv("s3:prefix", "axxb"), false},
		{"escape ${*} literal match", urlVariables, `{"StringLike":{"s3:prefix":"a${*}b"}}`, kv("s3:prefix", "a*b"), true},
		{"escape ${$} and ${?}", urlVariables, `{"StringEquals":{"s3:prefix":"${$}{x}${?}"}}`, kv("s3:prefix", "${x}?"), true},
		{"variable value is not a wildcard", urlVariables, `{"StringLike":{"s3:prefix":"${aws:PrincipalTag/p}"}}`, kv("s3:prefix", "anything", "aws:PrincipalTag/p", "*"), false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := condAllows(t, Version2012, c.cond, user, c.ctx)
			if d.Allowed != c.want {
				t.Fatalf("%s\ncondition %s with %v: allowed=%v, want %v (%s)", c.url, c.cond, c.ctx, d.Allowed, c.want, d.Reason)
			}
		})
	}
}

// In a 2008-10-17 (or versionless) policy ${...} is literal text.
func TestVariablesOnlyIn2012(t *testing.T) {
	u := guideUser()
	cond := `{"StringEquals":{"s3:prefix":"${aws:username}"}}`
	if !condAllows(t, Version2012, cond, u, kv("s3:prefix", "username")).Allowed {
		t.Fatal("2012-10-17: variable not substituted")
	}
	for _, v := range []string{Version2008, ""} {
		if condAllows(t, v, cond, u, kv("s3:prefix", "username")).Allowed {
			t.Fatalf("version %q: variable substituted", v)
		}
		if !condAllows(t, v, cond, u, kv("s3:prefix", "${aws:username}")).Allowed {
			t.Fatalf("version %q: literal text not matched", v)
		}
	}
}

func TestMissingKeysReported(t *testing.T) {
	d := condAllows(t, Version2012, `{"Bool":{"aws:MultiFactorAuthPresent":"true"}}`, guideUser(), kv())
	if d.Allowed || len(d.Missing) != 1 || d.Missing[0] != "aws:MultiFactorAuthPresent" {
		t.Fatalf("got %+v", d)
	}
	if !strings.Contains(d.Reason, "aws:MultiFactorAuthPresent") {
		t.Fatalf("reason does not name the missing key: %s", d.Reason)
	}
}
