package collect

import "github.com/lockdown-dev/lockdown/internal/snapshot"

// Operation is one API operation the collectors call.
type Operation struct {
	Service string // ServiceIAM or ServiceSTS
	Name    string // API operation name, e.g. "GetAccountSummary"
	Source  string // snapshot source that calls it
}

// Action is the IAM policy action that authorises the operation, e.g.
// "iam:GetAccountSummary".
func (o Operation) Action() string { return o.Service + ":" + o.Name }

// Operations lists every operation the collectors call. The shipped
// least-privilege policy (policies/lockdown-audit-policy.json) must allow
// all of them; a test checks that and that a full collection calls nothing
// else.
var Operations = []Operation{
	{ServiceSTS, "GetCallerIdentity", snapshot.SourceCallerIdentity},
	{ServiceIAM, "GenerateCredentialReport", snapshot.SourceCredentialReport},
	{ServiceIAM, "GetCredentialReport", snapshot.SourceCredentialReport},
	{ServiceIAM, "GetAccountSummary", snapshot.SourceAccountSummary},
	{ServiceIAM, "GetAccountPasswordPolicy", snapshot.SourcePasswordPolicy},
	{ServiceIAM, "ListAccountAliases", snapshot.SourceAccountAliases},
	{ServiceIAM, "ListVirtualMFADevices", snapshot.SourceVirtualMFADevices},
	{ServiceIAM, "GetAccountAuthorizationDetails", snapshot.SourceAuthorizationDetails},
	// GetAccountAuthorizationDetails has no MaxSessionDuration or
	// Description for roles; ListRoles has both, one request per 1000 roles.
	{ServiceIAM, "ListRoles", snapshot.SourceAuthorizationDetails},
}
