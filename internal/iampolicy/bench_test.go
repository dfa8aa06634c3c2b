package iampolicy

import (
	"fmt"
	"strings"
	"testing"
)

func BenchmarkEvaluateGuide(b *testing.B) {
	u := guideUser()
	set := guideUserSet(b, true)
	set.Identity = append(set.Identity, PolicyRef{Kind: "group-managed", Name: "AssumeAdminRole", Policy: mustParseFile(b, "guide-AssumeAdminRole.json")})
	reqs := []Request{
		{Principal: u, Action: "iam:CreateUser", Resource: "arn:aws:iam::123456789012:user/new", Context: namedCtx(b, ContextAccessKey, u)},
		{Principal: u, Action: "s3:ListAllMyBuckets", Resource: "*", Context: namedCtx(b, ContextAccessKey, u)},
		{Principal: u, Action: "iam:ChangePassword", Resource: u.ARN, Context: namedCtx(b, ContextSessionNoMFA, u)},
		{Principal: u, Action: "sts:AssumeRole", Resource: "arn:aws:iam::123456789012:role/AdminRole", Context: namedCtx(b, ContextMFASession, u)},
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		_ = Evaluate(set, reqs[i%len(reqs)])
	}
}

// twentyPolicies builds a principal's 20 attached policies with a mix of
// wildcards, NotAction, variables and conditions.
func twentyPolicies(b *testing.B) PolicySet {
	var set PolicySet
	services := []string{"s3", "ec2", "lambda", "dynamodb", "sqs", "sns", "kms", "logs", "cloudwatch", "rds"}
	for i := 0; i < 20; i++ {
		svc := services[i%len(services)]
		doc := fmt.Sprintf(`{"Version":"2012-10-17","Statement":[
			{"Sid":"Read%d","Effect":"Allow","Action":["%s:Get*","%s:List*","%s:Describe*"],"Resource":"*"},
			{"Sid":"Own%d","Effect":"Allow","Action":"%s:*","Resource":"arn:aws:%s:*:123456789012:*/${aws:username}/*",
			 "Condition":{"StringEquals":{"aws:PrincipalTag/team":"blue"},"Bool":{"aws:SecureTransport":"true"}}},
			{"Sid":"Net%d","Effect":"Deny","Action":"%s:Delete*","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":["10.0.0.0/8","192.0.2.0/24"]}}},
			{"Sid":"MFA%d","Effect":"Deny","NotAction":["iam:*","sts:*"],"Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}]}`,
			i, svc, svc, svc, i, svc, svc, i, svc, i)
		set.Identity = append(set.Identity, PolicyRef{Kind: "user-managed", Name: fmt.Sprintf("P%02d", i), Policy: mustParse(b, fmt.Sprint(i), doc)})
	}
	return set
}

func BenchmarkEvaluate20Policies(b *testing.B) {
	u := guideUser()
	u.Tags = map[string]string{"team": "blue"}
	set := twentyPolicies(b)
	c, _ := NamedContext(ContextMFASession, u, ContextOptions{SourceIP: "10.1.2.3"})
	reqs := []Request{
		{Principal: u, Action: "s3:GetObject", Resource: "arn:aws:s3:::bucket/key", Context: c},
		{Principal: u, Action: "rds:DeleteDBInstance", Resource: "arn:aws:rds:us-east-1:123456789012:db/username/x", Context: c},
		{Principal: u, Action: "iam:CreateUser", Resource: "arn:aws:iam::123456789012:user/x", Context: c},
		{Principal: u, Action: "kms:Decrypt", Resource: "arn:aws:kms:us-east-1:123456789012:key/username/k", Context: c},
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		_ = Evaluate(set, reqs[i%len(reqs)])
	}
}

func BenchmarkParseGuide(b *testing.B) {
	doc := []byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","NotAction":"iam:*","Resource":"*","Condition":{"Null":{"aws:MultiFactorAuthAge":"true"}}}]}`)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse("p", doc); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkManyAbsentKeys: one statement with n distinct absent condition
// keys and n tag conditions, for a principal with n tags.
func BenchmarkManyAbsentKeys(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		var cond strings.Builder
		cond.WriteString(`{"StringEqualsIfExists":{"aws:PrincipalTag/t0":"v0"`)
		for i := range n {
			fmt.Fprintf(&cond, `,"aws:PrincipalTag/T%d":"v%d"`, i, i)
		}
		cond.WriteString(`},"StringEquals":{"x:absent":"a"`)
		for i := range n {
			fmt.Fprintf(&cond, `,"x:absent%d":"a"`, i)
		}
		cond.WriteString(`}}`)
		p := mustParse(b, "big", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":`+cond.String()+`}}`)
		u := user("bob")
		u.Tags = map[string]string{}
		for i := range n {
			u.Tags[fmt.Sprintf("t%d", i)] = fmt.Sprintf("v%d", i)
		}
		set := PolicySet{Identity: []PolicyRef{{Kind: "user-inline", Name: "big", Policy: p}}}
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if Evaluate(set, Request{Principal: u, Action: "s3:GetObject", Resource: "*"}).Allowed {
					b.Fatal("allowed")
				}
			}
		})
	}
}
