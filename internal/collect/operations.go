package collect

import "github.com/lockdown-dev/lockdown/internal/snapshot"

// Operation is one API operation the collectors call.
type Operation struct {
	Service string // ServiceIAM, ServiceSTS, ServiceAccount, ServiceAccessAnalyzer, ServiceEC2 or ServiceLambda
	Name    string // API operation name, e.g. "GetAccountSummary"
	Source  string // snapshot source that calls it
	// Regional operations are called in every enabled region.
	Regional bool
	// Fallback operations are called only when another one failed
	// (ec2:DescribeRegions when account:ListRegions did).
	Fallback bool
}

// Action is the IAM policy action that authorises the operation, e.g.
// "iam:GetAccountSummary".
func (o Operation) Action() string { return o.Service + ":" + o.Name }

// Operations lists every operation the collectors call. The shipped
// least-privilege policy (policies/lockdown-audit-policy.json) must allow
// all of them; a test checks that and that a full collection calls nothing
// else.
var Operations = []Operation{
	{Service: ServiceSTS, Name: "GetCallerIdentity", Source: snapshot.SourceCallerIdentity},
	{Service: ServiceIAM, Name: "GenerateCredentialReport", Source: snapshot.SourceCredentialReport},
	{Service: ServiceIAM, Name: "GetCredentialReport", Source: snapshot.SourceCredentialReport},
	{Service: ServiceIAM, Name: "GetAccountSummary", Source: snapshot.SourceAccountSummary},
	{Service: ServiceIAM, Name: "GetAccountPasswordPolicy", Source: snapshot.SourcePasswordPolicy},
	{Service: ServiceIAM, Name: "ListAccountAliases", Source: snapshot.SourceAccountAliases},
	{Service: ServiceIAM, Name: "ListVirtualMFADevices", Source: snapshot.SourceVirtualMFADevices},
	{Service: ServiceIAM, Name: "GetAccountAuthorizationDetails", Source: snapshot.SourceAuthorizationDetails},
	// GetAccountAuthorizationDetails has no MaxSessionDuration or
	// Description for roles; ListRoles has both, one request per 1000 roles.
	{Service: ServiceIAM, Name: "ListRoles", Source: snapshot.SourceAuthorizationDetails},
	{Service: ServiceIAM, Name: "ListServerCertificates", Source: snapshot.SourceServerCertificates},
	{Service: ServiceIAM, Name: "ListOrganizationsFeatures", Source: snapshot.SourceOrganizationsFeatures},
	{Service: ServiceAccount, Name: "GetAlternateContact", Source: snapshot.SourceSecurityContact},
	{Service: ServiceAccount, Name: "ListRegions", Source: snapshot.SourceRegions},
	// The enabled regions when account:ListRegions fails: the AWS managed
	// policy SecurityAudit allows ec2:DescribeRegions but not
	// account:ListRegions (a test checks it covers a collection).
	{Service: ServiceEC2, Name: "DescribeRegions", Source: snapshot.SourceRegions, Fallback: true},
	{Service: ServiceAccessAnalyzer, Name: "ListAnalyzers", Source: snapshot.SourceAccessAnalyzers, Regional: true},
	{Service: ServiceEC2, Name: "DescribeInstances", Source: snapshot.SourceEC2Instances, Regional: true},
	{Service: ServiceLambda, Name: "ListFunctions", Source: snapshot.SourceLambdaFunctions, Regional: true},
	// The account's place in its organization and the policies over it:
	// the management account or a delegated administrator can read them.
	{Service: ServiceOrganizations, Name: "DescribeOrganization", Source: snapshot.SourceOrganization},
	{Service: ServiceOrganizations, Name: "ListRoots", Source: snapshot.SourceOrganization},
	{Service: ServiceOrganizations, Name: "ListParents", Source: snapshot.SourceOrganization},
	{Service: ServiceOrganizations, Name: "DescribeOrganizationalUnit", Source: snapshot.SourceOrganization},
	{Service: ServiceOrganizations, Name: "DescribeAccount", Source: snapshot.SourceOrganization},
	{Service: ServiceOrganizations, Name: "ListPoliciesForTarget", Source: snapshot.SourceOrganization},
	{Service: ServiceOrganizations, Name: "DescribePolicy", Source: snapshot.SourceOrganization},
}

// RunnerOperations are the operations the organisation runner
// (lockdown audit --org) calls as the caller, in the management account or
// a delegated administrator, besides sts:GetCallerIdentity: the account
// list, the OU tree and the policies with their targets, read once, and
// sts:AssumeRole into each member's audit role. The shipped runner policy
// (policies/lockdown-org-runner-policy.json) allows exactly these.
var RunnerOperations = []Operation{
	{Service: ServiceSTS, Name: "GetCallerIdentity"},
	{Service: ServiceOrganizations, Name: "DescribeOrganization"},
	{Service: ServiceOrganizations, Name: "ListRoots"},
	{Service: ServiceOrganizations, Name: "ListOrganizationalUnitsForParent"},
	{Service: ServiceOrganizations, Name: "ListAccountsForParent"},
	{Service: ServiceOrganizations, Name: "ListPolicies"},
	{Service: ServiceOrganizations, Name: "DescribePolicy"},
	{Service: ServiceOrganizations, Name: "ListTargetsForPolicy"},
	// Centralised root access, read once and given to every member.
	{Service: ServiceIAM, Name: "ListOrganizationsFeatures"},
	{Service: ServiceSTS, Name: "AssumeRole"},
}
