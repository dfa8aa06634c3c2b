package differential

import (
	"encoding/json"

	"github.com/lockdown-dev/lockdown/internal/iampolicy"
)

// pinnedSpec is a hand-written case for behaviour the generator steers
// around because one evaluator is known to differ (KNOWN_DIFFERENCES.md).
type pinnedSpec struct {
	id       string
	policies []string
	boundary string
	// resourcePolicy is the resource's policy, same account.
	resourcePolicy string
	action         string
	resource       string
	role           bool              // assumed-role session instead of IAM user alice
	ctx            string            // named context
	extra          map[string]string // extra single-valued context keys
}

var pinnedSpecs = []pinnedSpec{
	{
		id:       "pin-getcalleridentity-deny",
		policies: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"sts:GetCallerIdentity","Resource":"*"}]}`},
		action:   "sts:GetCallerIdentity", resource: "*", ctx: iampolicy.ContextAccessKey,
	},
	{
		id:       "pin-date-epoch-policy-iso-request",
		policies: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*","Condition":{"DateLessThanEquals":{"aws:CurrentTime":"1559395800"}}}]}`},
		action:   "s3:ListAllMyBuckets", resource: "*", ctx: iampolicy.ContextMFASession,
		extra: map[string]string{"aws:CurrentTime": "2019-06-01T12:30:00Z"},
	},
	{
		id:       "pin-ipaddress-zero-prefix",
		policies: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetUser","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}}}]}`},
		action:   "iam:GetUser", resource: "arn:aws:iam::" + Account + ":user/alice", ctx: iampolicy.ContextMFASession,
		extra: map[string]string{"aws:SourceIp": "192.0.2.10"},
	},
	{
		id:       "pin-notipaddress-ipv4-value-ipv6-request",
		policies: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetUser","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":"203.0.113.77"}}}]}`},
		action:   "iam:GetUser", resource: "arn:aws:iam::" + Account + ":user/alice", ctx: iampolicy.ContextMFASession,
		extra: map[string]string{"aws:SourceIp": "2001:db8::1"},
	},
	{
		id:       "pin-question-mark-in-resource-type",
		policies: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:DeleteRole","Resource":"arn:aws:iam::123456789012:rol?/x"}]}`},
		action:   "iam:DeleteRole", resource: "arn:aws:iam::" + Account + ":role/x", ctx: iampolicy.ContextMFASession,
	},
	{
		id:       "pin-variable-in-arn-without-resource-type",
		policies: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sns:Publish","Resource":"arn:aws:sns:us-east-1:123456789012:${aws:username}"}]}`},
		action:   "sns:Publish", resource: "arn:aws:sns:us-east-1:" + Account + ":alice", ctx: iampolicy.ContextMFASession,
	},
	{
		id:       "pin-variable-literal-in-2008-policy",
		policies: []string{`{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetUser","Resource":"arn:aws:iam::123456789012:user/${aws:username}"}]}`},
		action:   "iam:GetUser", resource: "arn:aws:iam::" + Account + ":user/alice", ctx: iampolicy.ContextMFASession,
	},
	{
		id:       "pin-variable-literal-without-version",
		policies: []string{`{"Statement":[{"Effect":"Allow","Action":"iam:GetUser","Resource":"arn:aws:iam::123456789012:user/${aws:username}"}]}`},
		action:   "iam:GetUser", resource: "arn:aws:iam::" + Account + ":user/alice", ctx: iampolicy.ContextMFASession,
	},
	{
		id:       "pin-notprincipal-user-without-account",
		policies: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"*"}]}`},
		resource: "arn:aws:sqs:us-east-1:" + Account + ":queue", action: "sqs:SendMessage", ctx: iampolicy.ContextMFASession,
		resourcePolicy: `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::123456789012:user/alice"},"Action":"sqs:SendMessage","Resource":"*"}]}`,
	},
	{
		id:       "pin-notprincipal-account-only-role-session",
		policies: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"*"}]}`},
		resource: "arn:aws:sqs:us-east-1:" + Account + ":queue", action: "sqs:SendMessage", ctx: iampolicy.ContextMFASession, role: true,
		resourcePolicy: `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sqs:SendMessage","Resource":"*"}]}`,
	},
	// The next ones are areas where both evaluators agree today after a
	// change in one of them; pinned so that a regression shows up.
	{
		id:       "pin-foranyvalue-ifexists-absent-key",
		policies: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetUser","Resource":"*","Condition":{"ForAnyValue:StringEqualsIfExists":{"aws:CalledVia":"athena.amazonaws.com"}}}]}`},
		action:   "iam:GetUser", resource: "arn:aws:iam::" + Account + ":user/alice", ctx: iampolicy.ContextMFASession,
	},
	{
		id:       "pin-multivalued-key-plain-operator",
		policies: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:CalledVia":"athena.amazonaws.com"}}},{"Effect":"Allow","Action":"*","Resource":"*"}]}`},
		action:   "iam:GetUser", resource: "arn:aws:iam::" + Account + ":user/alice", ctx: iampolicy.ContextMFASession,
		extra: map[string]string{"aws:CalledVia": "athena.amazonaws.com"},
	},
	{
		id:       "pin-notresource-unresolvable-variable",
		policies: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetUser","NotResource":"arn:aws:iam::123456789012:user/${aws:PrincipalTag/missing}"}]}`},
		action:   "iam:GetUser", resource: "arn:aws:iam::" + Account + ":user/alice", ctx: iampolicy.ContextMFASession,
	},
	{
		id:       "pin-arn-prefix-case",
		policies: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"ARN:AWS:SQS:US-EAST-1:123456789012:queue"}]}`},
		action:   "sqs:SendMessage", resource: "arn:aws:sqs:us-east-1:" + Account + ":queue", ctx: iampolicy.ContextMFASession,
	},
	{
		id:       "pin-guide-null-mfa-age-access-key",
		policies: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","NotAction":"iam:*","Resource":"*","Condition":{"Null":{"aws:MultiFactorAuthAge":"true"}}}]}`},
		action:   "s3:ListAllMyBuckets", resource: "*", ctx: iampolicy.ContextAccessKey,
	},
	{
		id:       "pin-guide-bool-mfa-false-access-key",
		policies: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","NotAction":"iam:*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"false"}}}]}`},
		action:   "s3:ListAllMyBuckets", resource: "*", ctx: iampolicy.ContextAccessKey,
	},
}

// pinnedContext spells the named contexts out instead of calling
// iampolicy.NamedContext, so that a pinned case (and its signature in
// KNOWN_DIFFERENCES.md) does not change when NamedContext grows new keys.
func pinnedContext(name string, p iampolicy.Principal) map[string][]string {
	one := func(v string) []string { return []string{v} }
	ctx := map[string][]string{
		"aws:userid": one(p.ID), "aws:PrincipalAccount": one(Account), "aws:SecureTransport": one("true"),
		"aws:CurrentTime": one("2026-11-27T07:00:00Z"), "aws:EpochTime": one("1795762800"),
	}
	if p.Type == "user" {
		ctx["aws:username"] = one(p.Name)
		ctx["aws:PrincipalArn"] = one(p.ARN)
		ctx["aws:PrincipalType"] = one("User")
	} else {
		ctx["aws:PrincipalArn"] = one(p.RoleARN)
		ctx["aws:PrincipalType"] = one("AssumedRole")
	}
	for k, v := range p.Tags {
		ctx["aws:PrincipalTag/"+k] = one(v)
	}
	switch name {
	case iampolicy.ContextSessionNoMFA:
		ctx["aws:MultiFactorAuthPresent"] = one("false")
		ctx["aws:TokenIssueTime"] = one("2026-11-27T07:00:00Z")
	case iampolicy.ContextMFASession:
		ctx["aws:MultiFactorAuthPresent"] = one("true")
		ctx["aws:MultiFactorAuthAge"] = one("300")
		ctx["aws:TokenIssueTime"] = one("2026-11-27T06:55:00Z")
	}
	return ctx
}

// Pinned returns the hand-written cases, in a fixed order.
func Pinned() []Case {
	out := make([]Case, 0, len(pinnedSpecs))
	for _, s := range pinnedSpecs {
		p := iampolicy.Principal{
			ARN: "arn:aws:iam::" + Account + ":user/alice", AccountID: Account, Type: "user",
			Name: "alice", ID: "AIDAPINNEDUSER000001", Tags: map[string]string{"team": "blue"},
		}
		if s.role {
			p = iampolicy.Principal{
				ARN: "arn:aws:sts::" + Account + ":assumed-role/deploy/s1", AccountID: Account, Type: "assumed-role",
				Name: "deploy", ID: "AROAPINNEDROLE000001:s1", RoleARN: "arn:aws:iam::" + Account + ":role/deploy",
			}
		}
		ctx := pinnedContext(s.ctx, p)
		for k, v := range s.extra {
			ctx[k] = []string{v}
		}
		c := Case{ID: s.id, Principal: p, Features: []string{"pinned"},
			Request: WireRequest{Principal: p.ARN, Action: s.action, Resource: s.resource, Context: ctx}}
		for _, d := range s.policies {
			c.Identity = append(c.Identity, json.RawMessage(d))
		}
		if s.boundary != "" {
			c.Boundary = json.RawMessage(s.boundary)
		}
		if s.resourcePolicy != "" {
			c.ResourcePolicy = json.RawMessage(s.resourcePolicy)
		}
		out = append(out, c)
	}
	return out
}
