package iampolicy

import (
	"strings"
	"testing"
)

// Organization policies as the AWS Organizations User Guide describes
// them: every level from the root down must allow, a Deny anywhere wins,
// and they bound resource-based grants too.
func TestOrganizationPolicies(t *testing.T) {
	const acct = "123456789012"
	alice := Principal{ARN: "arn:aws:iam::" + acct + ":user/alice", AccountID: acct, Type: "user", Name: "alice"}
	root := Principal{ARN: "arn:aws:iam::" + acct + ":root", AccountID: acct, Type: "root"}
	service := Principal{ARN: "lambda.amazonaws.com", Type: "service", Name: "lambda.amazonaws.com"}
	admin := mustParse(t, "admin", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`)
	full := PolicyRef{Kind: KindSCP, Name: "FullAWSAccess", Policy: mustParse(t, "FullAWSAccess", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`)}
	denyNoMFA := PolicyRef{Kind: KindSCP, Name: "RequireMFA", Policy: mustParse(t, "RequireMFA", `{"Version":"2012-10-17","Statement":[{"Sid":"DenyWithoutMFA","Effect":"Deny","NotAction":["iam:ChangePassword","sts:GetSessionToken"],"Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}]}`)}
	noIAM := PolicyRef{Kind: KindSCP, Name: "NoIAMWrites", Policy: mustParse(t, "NoIAMWrites", `{"Version":"2012-10-17","Statement":[{"Sid":"DenyIAM","Effect":"Deny","Action":["iam:Put*","iam:Attach*","iam:CreatePolicyVersion"],"Resource":"*"}]}`)}
	onlyS3 := PolicyRef{Kind: KindSCP, Name: "OnlyS3", Policy: mustParse(t, "OnlyS3", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`)}
	rcpOrgOnly := PolicyRef{Kind: KindRCP, Name: "OrgOnly", Policy: mustParse(t, "OrgOnly", `{"Version":"2012-10-17","Statement":[{"Sid":"DenyOutsideOrg","Effect":"Deny","Principal":"*","Action":["s3:*","sts:AssumeRole"],"Resource":"*","Condition":{"StringNotEqualsIfExists":{"aws:PrincipalOrgID":"o-abc123"}}}]}`)}
	bucketPolicy := PolicyRef{Kind: KindResource, Name: "bucket", Policy: mustParse(t, "bucket", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::`+acct+`:user/alice"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::data/*"}]}`)}

	levels := func(ps ...[]PolicyRef) []OrgLevel {
		targets := []string{"r-ab12", "ou-ab12-11111111", acct}
		var out []OrgLevel
		for i, p := range ps {
			out = append(out, OrgLevel{Target: targets[i], Policies: p})
		}
		return out
	}
	withMFA := map[string][]string{"aws:MultiFactorAuthPresent": {"true"}}
	noMFA := map[string][]string{"aws:MultiFactorAuthPresent": {"false"}}
	accessKey := map[string][]string{}

	for _, c := range []struct {
		name      string
		set       PolicySet
		p         Principal
		action    string
		resource  string
		ctx       map[string][]string
		want      Effect
		reasonHas string
	}{
		{"FullAWSAccess at every level changes nothing", PolicySet{Identity: []PolicyRef{{Kind: KindUserInline, Name: "admin", Policy: admin}}, SCPs: levels([]PolicyRef{full}, []PolicyRef{full}, []PolicyRef{full})},
			alice, "iam:CreateUser", "arn:aws:iam::" + acct + ":user/bob", accessKey, Allow, "admin"},
		{"an SCP that denies without MFA refuses access keys", PolicySet{Identity: []PolicyRef{{Kind: KindUserInline, Name: "admin", Policy: admin}}, SCPs: levels([]PolicyRef{full, denyNoMFA}, []PolicyRef{full})},
			alice, "ec2:RunInstances", "*", accessKey, ExplicitDeny, "scp policy RequireMFA statement DenyWithoutMFA"},
		{"... and a session without MFA", PolicySet{Identity: []PolicyRef{{Kind: KindUserInline, Name: "admin", Policy: admin}}, SCPs: levels([]PolicyRef{full, denyNoMFA})},
			alice, "ec2:RunInstances", "*", noMFA, ExplicitDeny, "RequireMFA"},
		{"... but not an MFA session", PolicySet{Identity: []PolicyRef{{Kind: KindUserInline, Name: "admin", Policy: admin}}, SCPs: levels([]PolicyRef{full, denyNoMFA})},
			alice, "ec2:RunInstances", "*", withMFA, Allow, "admin"},
		{"an SCP that forbids policy edits", PolicySet{Identity: []PolicyRef{{Kind: KindUserInline, Name: "admin", Policy: admin}}, SCPs: levels([]PolicyRef{full}, []PolicyRef{full, noIAM})},
			alice, "iam:PutUserPolicy", alice.ARN, withMFA, ExplicitDeny, "NoIAMWrites statement DenyIAM"},
		{"a level whose SCPs allow only S3", PolicySet{Identity: []PolicyRef{{Kind: KindUserInline, Name: "admin", Policy: admin}}, SCPs: levels([]PolicyRef{full}, []PolicyRef{onlyS3})},
			alice, "iam:CreateUser", "arn:aws:iam::" + acct + ":user/bob", withMFA, ImplicitDeny, "no service control policy attached to ou-ab12-11111111 allows iam:CreateUser"},
		{"a level with no SCP at all allows nothing", PolicySet{Identity: []PolicyRef{{Kind: KindUserInline, Name: "admin", Policy: admin}}, SCPs: levels([]PolicyRef{full}, nil)},
			alice, "s3:ListAllMyBuckets", "*", withMFA, ImplicitDeny, "ou-ab12-11111111"},
		{"SCPs bound a resource policy that names the principal", PolicySet{Resource: []PolicyRef{bucketPolicy}, SCPs: levels([]PolicyRef{full}, []PolicyRef{full, denyNoMFA})},
			alice, "s3:GetObject", "arn:aws:s3:::data/report.csv", accessKey, ExplicitDeny, "RequireMFA"},
		{"the root user of a member account is bound by SCPs", PolicySet{SCPs: levels([]PolicyRef{full, noIAM})},
			root, "iam:AttachUserPolicy", alice.ARN, withMFA, ExplicitDeny, "NoIAMWrites"},
		{"SCPs do not restrict AWS services", PolicySet{Resource: []PolicyRef{{Kind: KindResource, Name: "fn", Policy: mustParse(t, "fn", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"s3:GetObject","Resource":"*"}]}`)}}, SCPs: levels([]PolicyRef{onlyS3}, nil)},
			service, "s3:GetObject", "arn:aws:s3:::data/x", accessKey, Allow, "fn"},
		{"an RCP denies principals outside the organization", PolicySet{Identity: []PolicyRef{{Kind: KindUserInline, Name: "admin", Policy: admin}}, RCPs: levels([]PolicyRef{rcpOrgOnly})},
			alice, "s3:GetObject", "arn:aws:s3:::data/x", map[string][]string{"aws:PrincipalOrgID": {"o-other"}}, ExplicitDeny, "rcp policy OrgOnly statement DenyOutsideOrg"},
		{"... and lets the organization's own in", PolicySet{Identity: []PolicyRef{{Kind: KindUserInline, Name: "admin", Policy: admin}}, RCPs: levels([]PolicyRef{rcpOrgOnly})},
			alice, "s3:GetObject", "arn:aws:s3:::data/x", map[string][]string{"aws:PrincipalOrgID": {"o-abc123"}}, Allow, "admin"},
		{"RCPs restrict only the services that support them", PolicySet{Identity: []PolicyRef{{Kind: KindUserInline, Name: "admin", Policy: admin}}, RCPs: levels([]PolicyRef{{Kind: KindRCP, Name: "DenyAll", Policy: mustParse(t, "DenyAll", `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":["s3:*","ec2:*"],"Resource":"*"}]}`)}})},
			alice, "ec2:RunInstances", "*", withMFA, Allow, "admin"},
		{"an RCP level without its own Allow still passes requests (RCPFullAWSAccess is always attached)", PolicySet{Identity: []PolicyRef{{Kind: KindUserInline, Name: "admin", Policy: admin}}, RCPs: levels(nil, nil)},
			alice, "s3:GetObject", "arn:aws:s3:::data/x", withMFA, Allow, "admin"},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := Evaluate(c.set, Request{Principal: c.p, Action: c.action, Resource: c.resource, Context: c.ctx})
			if d.Effect != c.want || !strings.Contains(d.Reason, c.reasonHas) {
				t.Errorf("got %s (%s), want %s with a reason naming %q", d.Effect, d.Reason, c.want, c.reasonHas)
			}
		})
	}
}
