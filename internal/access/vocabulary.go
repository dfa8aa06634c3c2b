package access

// The guide's action vocabulary: self-service, credential and admin actions, the probe sample.

import (
	"strings"
	"sync"

	"github.com/lockdown-dev/lockdown/internal/iampolicy"
)

// The guide's self-service: what an IAM user may do for itself without MFA
// (IAMRequireMFA's allow statements). Anything else allowed without MFA
// breaks the guide's "deny everything but self-service unless MFA".
var selfService = map[string]bool{
	"iam:getaccountpasswordpolicy": true, "iam:getaccountsummary": true, "iam:listaccountaliases": true,
	"iam:listusers": true, "iam:changepassword": true, "iam:listvirtualmfadevices": true,
	"iam:listmfadevices": true, "iam:createvirtualmfadevice": true, "iam:deletevirtualmfadevice": true,
	"iam:enablemfadevice": true, "iam:resyncmfadevice": true, "iam:getuser": true,
	"iam:getloginprofile": true, "iam:listaccesskeys": true, "iam:listsshpublickeys": true,
	"iam:listservicespecificcredentials": true, "iam:listsigningcertificates": true,
}

// Actions IAM does not authorise with policies: they always work, so they
// say nothing about a policy set.
var unauthorised = map[string]bool{"sts:getcalleridentity": true, "sts:getsessiontoken": true}

// credentialActions are the self-service actions that, performed on another
// user, take over that user's credentials.
// (iam:ChangePassword is not among them: it only ever changes the caller's
// own password and takes no user name.)
var credentialActions = []string{
	"iam:CreateLoginProfile", "iam:UpdateLoginProfile", "iam:DeleteLoginProfile",
	"iam:CreateAccessKey", "iam:UpdateAccessKey", "iam:DeleteAccessKey",
	"iam:EnableMFADevice", "iam:DeactivateMFADevice", "iam:ResyncMFADevice", "iam:DeleteVirtualMFADevice",
}

// adminActions each let a principal grant itself (or anyone) every
// permission: holding any one of them is administrator-equivalent.
var adminActions = []string{
	"iam:AttachUserPolicy", "iam:PutUserPolicy", "iam:AttachGroupPolicy", "iam:PutGroupPolicy",
	"iam:AttachRolePolicy", "iam:PutRolePolicy", "iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion",
	"iam:UpdateAssumeRolePolicy", "iam:AddUserToGroup", "iam:CreateAccessKey", "iam:CreateLoginProfile",
	"iam:UpdateLoginProfile", "iam:DeleteUserPermissionsBoundary", "iam:DeleteRolePermissionsBoundary",
}

// anyActionProbe is an action no service defines: only a statement that
// grants every action ("*", or a NotAction that leaves it in) allows it.
const anyActionProbe = "lockdownprobe:AnyAction"

// nonIAMSamples are requests the guide's MFA deny must refuse without MFA.
var nonIAMSamples = []string{"s3:ListAllMyBuckets", "ec2:DescribeInstances", "sts:AssumeRole"}

var contextPhrase = map[ContextName]string{
	ContextAccessKey:    "with long-term access keys",
	ContextSessionNoMFA: "in a session without MFA",
}

var expanded sync.Map // pattern -> []string

// expandAction memoises the catalogue expansion of an Action pattern.
func expandAction(pat string) []string {
	if v, ok := expanded.Load(pat); ok {
		return v.([]string)
	}
	exp := iampolicy.ExpandAction(pat)
	expanded.Store(pat, exp)
	return exp
}

var (
	sampleOnce sync.Once
	sample     []sampleAction
	sampleAt   map[string]int // lower-case action -> its first place in sample
)

// sampleIndex finds an action (lower case) in the probe sample.
func sampleIndex() map[string]int {
	probeSample()
	return sampleAt
}

type sampleAction struct {
	action, lower, service string
	// skip: self-service, not authorised by policies, or already earlier
	// in the sample; never probed from the sample.
	skip bool
}

// probeSample is up to two actions of each access level of every service,
// plus the actions attackers reach for first.
func probeSample() []sampleAction {
	sampleOnce.Do(func() {
		count := map[string]int{}
		var names []string
		for _, a := range iampolicy.ExpandAction("*") {
			svc, _, _ := strings.Cut(a, ":")
			key := svc + "/" + iampolicy.AccessLevel(a)
			if count[key] < 2 {
				count[key]++
				names = append(names, a)
			}
		}
		names = append(names, "s3:GetObject", "s3:PutObject", "s3:ListAllMyBuckets", "s3:DeleteBucket",
			"ec2:RunInstances", "ec2:DescribeInstances", "lambda:CreateFunction", "lambda:InvokeFunction",
			"kms:Decrypt", "secretsmanager:GetSecretValue", "ssm:GetParameter", "sts:AssumeRole",
			"organizations:LeaveOrganization", "account:CloseAccount", "cloudtrail:StopLogging",
			"dynamodb:Scan", "rds:DeleteDBInstance", anyActionProbe)
		sampleAt = map[string]int{}
		for _, a := range names {
			lower := strings.ToLower(a)
			svc, _, _ := strings.Cut(lower, ":")
			_, dup := sampleAt[lower]
			skip := dup || selfService[lower] || unauthorised[lower]
			if !dup {
				sampleAt[lower] = len(sample)
			}
			sample = append(sample, sampleAction{action: a, lower: lower, service: svc, skip: skip})
		}
	})
	return sample
}
