package iampolicy_test

import (
	"fmt"
	"time"

	"github.com/lockdown-dev/lockdown/internal/iampolicy"
)

// The guide's "deny everything but IAM unless MFA" statement, asked under
// long-term access keys and under an MFA session.
func ExampleEvaluate() {
	admin, _ := iampolicy.Parse("AdminPolicy", []byte(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`))
	requireMFA, err := iampolicy.Parse("RequireMFA", []byte(`{"Version":"2012-10-17","Statement":[{
		"Sid":"DenyWithoutMFA","Effect":"Deny","NotAction":"iam:*","Resource":"*",
		"Condition":{"Null":{"aws:MultiFactorAuthAge":"true"}}}]}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	set := iampolicy.PolicySet{Identity: []iampolicy.PolicyRef{
		{Kind: iampolicy.KindGroupManaged, Name: "AdminPolicy", Policy: admin},
		{Kind: iampolicy.KindGroupManaged, Name: "RequireMFA", Policy: requireMFA},
	}}
	user := iampolicy.Principal{ARN: "arn:aws:iam::123456789012:user/alice", AccountID: "123456789012", Type: "user", Name: "alice"}
	now := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	for _, name := range iampolicy.ContextNames {
		ctx, _ := iampolicy.NamedContext(name, user, iampolicy.ContextOptions{CurrentTime: now})
		d := iampolicy.Evaluate(set, iampolicy.Request{Principal: user, Action: "s3:ListAllMyBuckets", Resource: "*", Context: ctx})
		fmt.Printf("%s: %s: %s\n", name, d.Effect, d.Reason)
	}
	// Output:
	// access_key: ExplicitDeny: explicitly denied by group-managed policy RequireMFA statement DenyWithoutMFA
	// session_no_mfa: ExplicitDeny: explicitly denied by group-managed policy RequireMFA statement DenyWithoutMFA
	// mfa_session: Allow: allowed by group-managed policy AdminPolicy statement #1
}

func ExampleParse_error() {
	_, err := iampolicy.Parse("inline/alice", []byte(`{"Statement":[{"Sid":"S1","Effect":"allow","Action":"*","Resource":"*"}]}`))
	fmt.Println(err)
	// Output:
	// policy "inline/alice" statement S1 field Effect: must be exactly "Allow" or "Deny", got "allow"
}

func ExampleExpandAction() {
	fmt.Println(iampolicy.ExpandAction("iam:CreateLogin*"), iampolicy.AccessLevel("iam:CreateLoginProfile"))
	// Output:
	// [iam:CreateLoginProfile] Write
}
