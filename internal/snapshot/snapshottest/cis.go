package snapshottest

import (
	"time"

	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

// The CIS-clean account: the guide's account (GuideCompliant) made clean
// for CIS AWS Foundations v5.0/v6.0/v7.0 (IAM section) and the Security Hub
// IAM controls, with every source beyond IAM collected and clean.

const (
	// AWS managed policies the CIS-clean account attaches.
	IAMFullAccessARN           = "arn:aws:iam::aws:policy/IAMFullAccess"
	AWSSupportAccessARN        = "arn:aws:iam::aws:policy/AWSSupportAccess"
	AdministratorAccessARN     = "arn:aws:iam::aws:policy/AdministratorAccess"
	AWSCloudShellFullAccessARN = "arn:aws:iam::aws:policy/AWSCloudShellFullAccess"

	SupportRoleARN    = accountARN + "role/SupportRole"
	WebServerRoleARN  = accountARN + "role/WebServerRole"
	WebServerProfile  = accountARN + "instance-profile/WebServer"
	ServerCertARN     = accountARN + "server-certificate/www-example-com-2026"
	CISOrganizationID = "o-a1b2c3d4e5"

	// trustEC2Doc lets EC2 assume WebServerRole for its instances.
	trustEC2Doc = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
)

// CISRegions are the regions enabled for the CIS-clean account: two
// enabled by default and one opted in.
var CISRegions = []snapshot.Region{
	{Name: "af-south-1", OptStatus: "ENABLED"},
	{Name: "eu-west-1", OptStatus: "ENABLED_BY_DEFAULT"},
	{Name: "us-east-1", OptStatus: "ENABLED_BY_DEFAULT"},
}

// CISChecks lists every check the CIS scenarios' expectations refer to: the
// guide's checks and the checks of the compliance frameworks. A framework
// that names a check missing here fails tools/mktestdata.
var CISChecks = append(append([]string(nil), Checks...),
	"LD-PWD-02", "LD-PWD-03", "LD-PWD-04", "LD-PWD-05", "LD-PWD-06", "LD-PWD-07", "LD-PWD-08", "LD-PWD-09", "LD-PWD-10",
	"LD-KEY-04", "LD-KEY-05", "LD-MFA-04",
	"LD-POL-01", "LD-POL-02", "LD-POL-03", "LD-POL-04",
	"LD-ROLE-01", "LD-ROLE-02", "LD-TAG-01", "LD-TAG-02",
)

// awsManagedPolicy is an AWS managed policy as GetAccountAuthorizationDetails
// lists it when attached (default version only), with AWS's own document.
func awsManagedPolicy(name, id, version string, created, updated time.Time, attachments int32, doc string) snapshot.ManagedPolicy {
	return snapshot.ManagedPolicy{
		Name: name, ID: id, ARN: "arn:aws:iam::aws:policy/" + name, Path: "/",
		DefaultVersionID: version, AttachmentCount: attachments, IsAttachable: true,
		CreateDate: created, UpdateDate: updated,
		Versions: []snapshot.PolicyVersion{{VersionID: version, IsDefaultVersion: true, CreateDate: updated, Document: Doc(doc)}},
	}
}

func iamFullAccess(attachments int32) snapshot.ManagedPolicy {
	return awsManagedPolicy("IAMFullAccess", "ANPAI7XKCFMBPM3QQRRVQ", "v2", ts("2015-02-06T18:40:38Z"), ts("2019-06-21T19:40:00Z"), attachments,
		`{"Version":"2012-10-17","Statement":[{"Action":["iam:*","organizations:DescribeAccount","organizations:DescribeOrganization","organizations:DescribeOrganizationalUnit","organizations:DescribePolicy","organizations:ListChildren","organizations:ListParents","organizations:ListPoliciesForTarget","organizations:ListRoots","organizations:ListPolicies","organizations:ListTargetsForPolicy"],"Resource":"*","Effect":"Allow"}]}`)
}

func awsSupportAccess(attachments int32) snapshot.ManagedPolicy {
	return awsManagedPolicy("AWSSupportAccess", "ANPAJSNKQX2OW67GF4S7E", "v4", ts("2015-02-06T18:41:11Z"), ts("2026-02-12T17:59:31Z"), attachments,
		`{"Version":"2012-10-17","Statement":[{"Action":["support:*","support-console:*"],"Resource":"*","Effect":"Allow"}]}`)
}

func administratorAccess(attachments int32) snapshot.ManagedPolicy {
	return awsManagedPolicy("AdministratorAccess", "ANPAIWMBCKSKIEE64ZLYK", "v1", ts("2015-02-06T18:39:46Z"), ts("2015-02-06T18:39:46Z"), attachments,
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`)
}

func awsCloudShellFullAccess(attachments int32) snapshot.ManagedPolicy {
	return awsManagedPolicy("AWSCloudShellFullAccess", "ANPAZKAPJZG4HEDUXFSA3", "v1", ts("2020-12-15T18:07:44Z"), ts("2020-12-15T18:07:44Z"), attachments,
		`{"Version":"2012-10-17","Statement":[{"Action":["cloudshell:*"],"Resource":"*","Effect":"Allow"}]}`)
}

func tags(kv ...string) []snapshot.Tag {
	var out []snapshot.Tag
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, snapshot.Tag{Key: kv[i], Value: kv[i+1]})
	}
	return out
}

func analyzerARN(region string) string {
	return "arn:aws:access-analyzer:" + region + ":" + AccountID + ":analyzer/account-external-access"
}

// CISClean is the guide's compliant account made clean for the CIS and
// Security Hub IAM controls:
//   - AdminRole holds the AWS managed IAMFullAccess instead of the customer
//     AdminPolicy (Action * on Resource *, which CIS 1.15 and IAM.1 reject);
//     it is still administrator-equivalent, so the guide's admin-role
//     checks judge it as before;
//   - a support role (AWSSupportAccess, trusted by the account with MFA) and
//     an EC2 role with an instance profile and a scoped inline policy;
//   - alice and every role tagged;
//   - one IAM server certificate, valid until 2027-06-01;
//   - three enabled regions, each with an active, tagged ACCOUNT analyzer;
//   - a security alternate contact;
//   - two EC2 instances (running and stopped), both with the instance
//     profile, and a region without instances;
//   - Organizations' centralised root access with both features enabled.
//
// The password policy (length 14, all four character classes, 24
// remembered, expiry after 90 days) already meets CIS and Security Hub
// IAM.7, IAM.10 and IAM.11 to IAM.17.
func CISClean() *snapshot.Snapshot {
	s := GuideCompliant()
	admin := Role(s, "AdminRole")
	admin.AttachedPolicies = []snapshot.AttachedPolicy{{Name: "IAMFullAccess", ARN: IAMFullAccessARN}}
	admin.Tags = tags("team", "platform", "purpose", "administration")
	var policies []snapshot.ManagedPolicy
	for _, p := range s.Policies {
		if p.ARN != AdminPolicyARN {
			policies = append(policies, p)
		}
	}
	s.Policies = append(policies, iamFullAccess(1), awsSupportAccess(1))
	User(s, "alice").Tags = tags("team", "platform", "owner", "alice@example.com")

	s.Roles = append(s.Roles,
		snapshot.Role{
			Name: "SupportRole", ID: ID("AROA", AccountID+"/role/SupportRole"), ARN: SupportRoleARN, Path: "/",
			CreateDate:               ts("2021-03-02T09:12:40Z"),
			Description:              "Open and manage AWS Support cases",
			MaxSessionDuration:       i32(3600),
			AssumeRolePolicyDocument: Doc(TrustRequireMFADoc),
			AttachedPolicies:         []snapshot.AttachedPolicy{{Name: "AWSSupportAccess", ARN: AWSSupportAccessARN}},
			Tags:                     tags("team", "platform", "purpose", "support"),
			RoleLastUsed:             &snapshot.RoleLastUsed{LastUsedDate: tp("2026-10-30T15:20:00Z"), Region: "us-east-1"},
		},
		snapshot.Role{
			Name: "WebServerRole", ID: ID("AROA", AccountID+"/role/WebServerRole"), ARN: WebServerRoleARN, Path: "/",
			CreateDate:               ts("2022-05-17T11:03:27Z"),
			Description:              "Instance role of the web servers",
			MaxSessionDuration:       i32(3600),
			AssumeRolePolicyDocument: Doc(trustEC2Doc),
			InlinePolicies: []snapshot.InlinePolicy{{Name: "ReadSiteContent", Document: Doc(
				`{"Version":"2012-10-17","Statement":[{"Sid":"ReadSiteContent","Effect":"Allow","Action":["s3:GetObject"],"Resource":"arn:aws:s3:::example-site-content/*"}]}`)}},
			Tags:             tags("team", "web", "purpose", "instance-role"),
			RoleLastUsed:     &snapshot.RoleLastUsed{LastUsedDate: tp("2026-11-27T11:55:00Z"), Region: "us-east-1"},
			InstanceProfiles: []string{WebServerProfile},
		},
	)
	s.AccountSummary["Roles"] = 3
	s.AccountSummary["Policies"] = 2
	s.AccountSummary["PolicyVersionsInUse"] = 2
	s.AccountSummary["InstanceProfiles"] = 1
	s.AccountSummary["ServerCertificates"] = 1

	s.ServerCertificates = []snapshot.ServerCertificate{{
		Name: "www-example-com-2026", ID: ID("ASCA", AccountID+"/server-certificate/www-example-com-2026"), ARN: ServerCertARN, Path: "/",
		UploadDate: tp("2026-06-01T08:00:00Z"), Expiration: tp("2027-06-01T23:59:59Z"),
	}}
	// The guide's account comes with its own compliance sources; the CIS
	// account replaces them with its regions.
	s.Regions, s.AccessAnalyzers, s.EC2Instances = append([]snapshot.Region(nil), CISRegions...), nil, nil
	for _, r := range CISRegions {
		s.AccessAnalyzers = append(s.AccessAnalyzers, snapshot.AccessAnalyzerRegion{
			Region: r.Name, Requests: 1,
			Analyzers: []snapshot.AccessAnalyzer{{
				Name: "account-external-access", ARN: analyzerARN(r.Name), Type: "ACCOUNT", Status: "ACTIVE",
				CreatedAt: tp("2023-01-10T10:00:00Z"), Tags: tags("team", "security"),
			}},
		})
	}
	s.SecurityContact = &snapshot.AlternateContact{
		Type: "SECURITY", Name: "Security Operations", Title: "Security team", Email: "security@example.com", Phone: "+1-555-0100",
	}
	s.EC2Instances = []snapshot.EC2Region{
		{Region: "af-south-1", Requests: 1, Instances: []snapshot.EC2Instance{}},
		{Region: "eu-west-1", Requests: 1, Instances: []snapshot.EC2Instance{
			{ID: "i-0b7e3c1d2a4f5e6a7", State: "stopped", InstanceProfileARN: WebServerProfile, LaunchTime: tp("2026-09-14T07:30:00Z")},
		}},
		{Region: "us-east-1", Requests: 1, Instances: []snapshot.EC2Instance{
			{ID: "i-0a1b2c3d4e5f6a7b8", State: "running", InstanceProfileARN: WebServerProfile, LaunchTime: tp("2026-11-02T06:00:00Z")},
		}},
	}
	s.LambdaFunctions = nil
	for _, r := range CISRegions {
		s.LambdaFunctions = append(s.LambdaFunctions, snapshot.LambdaRegion{Region: r.Name, Requests: 1, Functions: []snapshot.LambdaFunction{}})
	}
	s.OrganizationsFeatures = &snapshot.OrganizationsFeatures{
		OrganizationID: CISOrganizationID, EnabledFeatures: []string{"RootCredentialsManagement", "RootSessions"},
	}
	for src, n := range map[string]int{
		snapshot.SourceServerCertificates: 1, snapshot.SourceRegions: 1, snapshot.SourceAccessAnalyzers: len(CISRegions),
		snapshot.SourceSecurityContact: 1, snapshot.SourceEC2Instances: len(CISRegions), snapshot.SourceOrganizationsFeatures: 1,
		snapshot.SourceLambdaFunctions: len(CISRegions),
	} {
		s.Sources[src] = snapshot.SourceStatus{Status: snapshot.StatusOK, Requests: n}
	}
	return s
}

// cisVariant builds CISClean with one change applied.
func cisVariant(change func(s *snapshot.Snapshot)) func() *snapshot.Snapshot {
	return func() *snapshot.Snapshot {
		s := CISClean()
		change(s)
		return s
	}
}

// Analyzers returns the Access Analyzer entry of region.
func Analyzers(s *snapshot.Snapshot, region string) *snapshot.AccessAnalyzerRegion {
	return find(s.AccessAnalyzers, "access analyzer region", region, func(r *snapshot.AccessAnalyzerRegion) string { return r.Region })
}

// Instances returns the EC2 entry of region.
func Instances(s *snapshot.Snapshot, region string) *snapshot.EC2Region {
	return find(s.EC2Instances, "EC2 region", region, func(r *snapshot.EC2Region) string { return r.Region })
}

// sourceError marks source failed with an AWS error.
func sourceError(s *snapshot.Snapshot, source, code, message string, partial bool) {
	st := s.Sources[source]
	st.Status = snapshot.StatusError
	st.Partial = partial
	st.Error = &snapshot.SourceError{Code: code, Message: message, Action: snapshot.SourceActions[source]}
	s.Sources[source] = st
}

// addCISUser adds an IAM user in the Users group with a credential report
// row for the caller to fill, tagged like alice.
func addCISUser(s *snapshot.Snapshot, name string, created time.Time) map[string]string {
	arn := accountARN + "user/" + name
	s.Users = append(s.Users, snapshot.User{
		Name: name, ID: ID("AIDA", AccountID+"/user/"+name), ARN: arn, Path: "/",
		CreateDate: created, Groups: []string{"Users"}, Tags: tags("team", "platform", "owner", name+"@example.com"),
	})
	row := EmptyRow(name, arn, created)
	s.CredentialReport.Rows = append(s.CredentialReport.Rows, row)
	s.AccountSummary["Users"]++
	return row
}

func setPolicy(fn func(p *snapshot.PasswordPolicy)) func() *snapshot.Snapshot {
	return cisVariant(func(s *snapshot.Snapshot) { fn(s.PasswordPolicy) })
}

// passwordClasses are the checks every password policy weaker than
// CISClean's in a character class fails: the guide's policy, IAM.7 and
// IAM.10 (all four classes required by both).
var passwordClasses = []string{"LD-PWD-01", "LD-PWD-04", "LD-PWD-05"}

// CISScenarios returns the CIS-clean account and its one-change variants
// with what every check must say about them, in the order tools/mktestdata
// writes them under testdata/snapshots/cis/. Each automated control of every
// framework fails in at least one of them (tools/mktestdata enforces it).
//
// Thresholds as the expectations read them: CIS: password length >= 14,
// reuse prevention >= 24, credentials unused 45 days, keys rotated 90 days.
// Security Hub IAM.7 (its defaults): all four character classes, length
// >= 8, no reuse or age requirement. IAM.10 (PCI DSS): all four character
// classes, length >= 7, reuse prevention >= 4, expiry within 90 days.
// IAM.8: credentials unused 90 days. IAM.17: expiry within 90 days.
func CISScenarios() []Scenario {
	v := []Scenario{
		{
			Path:   "cis-clean",
			Change: "the guide's compliant account made CIS-clean: AdminRole holds IAMFullAccess instead of AdminPolicy, a support role, an EC2 role with an instance profile, users and roles tagged, a valid server certificate, an active tagged ACCOUNT analyzer in each of three regions, a security contact, EC2 instances with the instance profile, centralised root access enabled",
			Why:    "Every check passes: every automated control of every framework is PASS.",
			Build:  CISClean,
		},
		// Root user.
		{
			Path: "root-no-mfa", Change: "the root user has no MFA (credential report mfa_active false, AccountMFAEnabled 0)",
			Why:  "Root has a password and no MFA (LD-ROOT-01), so no hardware MFA either (LD-ROOT-03).",
			Fail: []string{"LD-ROOT-01", "LD-ROOT-03"},
			Build: cisVariant(func(s *snapshot.Snapshot) {
				CredRow(s, "<root_account>")["mfa_active"] = "false"
				s.AccountSummary["AccountMFAEnabled"] = 0
			}),
		},
		{
			Path:   "root-without-credentials",
			Change: "the root user has no credentials at all (no password, MFA, keys or certificates: the end state of centralised root access)",
			Why: "AWS's own semantics for IAM.6 and IAM.9: a root user without credentials cannot sign in, so there is nothing for MFA to protect; " +
				"LD-ROOT-01 and LD-ROOT-03 pass and say so.",
			Build: cisVariant(func(s *snapshot.Snapshot) {
				r := CredRow(s, "<root_account>")
				r["mfa_active"] = "false"
				r["password_last_used"] = "N/A"
				s.AccountSummary["AccountMFAEnabled"] = 0
				s.AccountSummary["AccountPasswordPresent"] = 0
			}),
		},
		{
			Path: "root-access-key", Change: "the root user has an active access key, created 10 days before collection and never used",
			Why:  "A root access key exists (LD-ROOT-02); unused, so root was not used recently.",
			Fail: []string{"LD-ROOT-02"},
			Build: cisVariant(func(s *snapshot.Snapshot) {
				r := CredRow(s, "<root_account>")
				r["access_key_1_active"] = "true"
				r["access_key_1_last_rotated"] = CRTime(CollectedAt.AddDate(0, 0, -10))
				s.AccountSummary["AccountAccessKeysPresent"] = 1
			}),
		},
		{
			Path: "root-virtual-mfa", Change: "the root user's MFA is a virtual device instead of hardware",
			Why:  "Root has MFA (LD-ROOT-01 passes) but not a hardware device (LD-ROOT-03).",
			Fail: []string{"LD-ROOT-03"},
			Build: cisVariant(func(s *snapshot.Snapshot) {
				s.VirtualMFADevices = append(s.VirtualMFADevices, snapshot.VirtualMFADevice{
					SerialNumber: accountARN + "mfa/root-account-mfa-device", UserARN: RootARN, EnableDate: tp("2020-09-09T13:58:40Z"),
				})
				s.AccountSummary["MFADevices"] = 2
				s.AccountSummary["MFADevicesInUse"] = 2
			}),
		},
		{
			Path: "root-used-recently", Change: "the root user signed in 3 days before collection",
			Why:  "Root used within 90 days (LD-ROOT-04).",
			Fail: []string{"LD-ROOT-04"},
			Build: cisVariant(func(s *snapshot.Snapshot) {
				CredRow(s, "<root_account>")["password_last_used"] = CRTime(CollectedAt.AddDate(0, 0, -3))
			}),
		},
		// Users and credentials.
		{
			Path: "console-user-without-mfa", Change: "alice's MFA device was deactivated: mfa_active false, her virtual device unassigned",
			Why:  "alice has a console password and no MFA (LD-MFA-03, CIS 1.9, IAM.5) and so is a user without MFA (LD-MFA-04, IAM.19).",
			Fail: []string{"LD-MFA-03", "LD-MFA-04"},
			Build: cisVariant(func(s *snapshot.Snapshot) {
				CredRow(s, "alice")["mfa_active"] = "false"
				s.VirtualMFADevices[0] = snapshot.VirtualMFADevice{SerialNumber: AliceMFA}
				s.AccountSummary["MFADevicesInUse"] = 0
			}),
		},
		{
			Path: "user-without-mfa", Change: "a new user deploy-bot (in Users, tagged) without console password, access keys or MFA",
			Why:  "IAM.19 asks MFA of every IAM user, console or not (LD-MFA-04); without a console password LD-MFA-03 (CIS 1.9, IAM.5) does not apply.",
			Fail: []string{"LD-MFA-04"},
			Build: cisVariant(func(s *snapshot.Snapshot) {
				addCISUser(s, "deploy-bot", ts("2026-11-20T10:00:00Z"))
			}),
		},
		{
			Path: "key-not-rotated", Change: "alice's active access key was last rotated 200 days before collection, still used today",
			Why:  "Key older than 90 days (LD-KEY-01); in use, so no unused-credential check fails.",
			Fail: []string{"LD-KEY-01"},
			Build: cisVariant(func(s *snapshot.Snapshot) {
				CredRow(s, "alice")["access_key_1_last_rotated"] = CRTime(CollectedAt.AddDate(0, 0, -200))
			}),
		},
		{
			Path: "key-unused-60-days", Change: "alice's access key (rotated 80 days before collection) was last used 60 days before collection",
			Why:  "Unused for 45 days or more (LD-KEY-02, CIS 1.11, IAM.22) but not for 90 (LD-KEY-05, IAM.8 passes); rotated within 90 days.",
			Fail: []string{"LD-KEY-02"},
			Build: cisVariant(func(s *snapshot.Snapshot) {
				r := CredRow(s, "alice")
				r["access_key_1_last_rotated"] = CRTime(CollectedAt.AddDate(0, 0, -80))
				r["access_key_1_last_used_date"] = CRTime(CollectedAt.AddDate(0, 0, -60))
			}),
		},
		{
			Path: "password-unused-100-days", Change: "alice's console password was last used 100 days before collection and is still enabled",
			Why:  "A credential unused for 45 days (LD-KEY-02) and for 90 days (LD-KEY-05, IAM.8).",
			Fail: []string{"LD-KEY-02", "LD-KEY-05"},
			Build: cisVariant(func(s *snapshot.Snapshot) {
				CredRow(s, "alice")["password_last_used"] = CRTime(CollectedAt.AddDate(0, 0, -100))
			}),
		},
		{
			Path: "two-active-keys", Change: "alice has a second active access key (rotated 2026-11-02, used 2026-11-25)",
			Why:  "More than one active access key (LD-KEY-03, CIS 1.12). Both keys are recent and in use.",
			Fail: []string{"LD-KEY-03"},
			Build: cisVariant(func(s *snapshot.Snapshot) {
				r := CredRow(s, "alice")
				r["access_key_2_active"] = "true"
				r["access_key_2_last_rotated"] = CRTime(ts("2026-11-02T10:15:00Z"))
				r["access_key_2_last_used_date"] = CRTime(ts("2026-11-25T18:22:00Z"))
				r["access_key_2_last_used_region"] = "eu-west-1"
				r["access_key_2_last_used_service"] = "s3"
			}),
		},
		{
			Path: "key-created-with-console-user", Change: "a new console user carol (MFA, in Users, tagged), created 5 days before collection with an access key created with her and never used",
			Why:  "An access key set up with a console user and never used (LD-KEY-04, CIS v5/v6 1.10). Five days old, so no unused-credential check fails.",
			Fail: []string{"LD-KEY-04"},
			Build: cisVariant(func(s *snapshot.Snapshot) {
				created := CollectedAt.AddDate(0, 0, -5)
				r := addCISUser(s, "carol", created)
				r["password_enabled"] = "true"
				r["password_last_used"] = "no_information"
				r["password_last_changed"] = CRTime(created)
				r["password_next_rotation"] = CRTime(created.AddDate(0, 0, 90))
				r["mfa_active"] = "true"
				r["access_key_1_active"] = "true"
				r["access_key_1_last_rotated"] = CRTime(created.Add(time.Minute))
				s.VirtualMFADevices = append(s.VirtualMFADevices, snapshot.VirtualMFADevice{
					SerialNumber: accountARN + "mfa/carol", UserARN: accountARN + "user/carol", UserName: "carol", EnableDate: tp(CRTime(created.Add(2 * time.Minute))),
				})
				s.AccountSummary["MFADevices"]++
				s.AccountSummary["MFADevicesInUse"]++
			}),
		},
		{
			Path: "policy-attached-to-user", Change: "the AWS managed policy IAMUserChangePassword is attached to alice directly",
			Why:  "A policy attached to a user instead of a group (LD-GRP-02, CIS 1.14, IAM.2). It grants only self-service on the caller's own user.",
			Fail: []string{"LD-GRP-02"},
			Build: cisVariant(func(s *snapshot.Snapshot) {
				User(s, "alice").AttachedPolicies = []snapshot.AttachedPolicy{{Name: "IAMUserChangePassword", ARN: iamUserChangePasswordARN}}
				s.Policies = append(s.Policies, iamUserChangePassword())
			}),
		},
		{
			Path: "user-outside-users-group", Change: "alice is in Administrators only, not in Users",
			Why:   "alice is in no group carrying the MFA requirement (LD-GRP-01) and nothing denies her non-IAM actions without MFA (LD-MFA-01).",
			Fail:  []string{"LD-MFA-01", "LD-GRP-01"},
			Build: cisVariant(func(s *snapshot.Snapshot) { User(s, "alice").Groups = []string{"Administrators"} }),
		},
		{
			Path: "admin-trust-without-mfa", Change: "AdminRole's trust policy has no Condition (the console's \"Require MFA\" unticked)",
			Why:  "The admin role itself no longer requires MFA (LD-ADM-03).",
			Fail: []string{"LD-ADM-03"},
			Build: cisVariant(func(s *snapshot.Snapshot) {
				EditTrust(s, func(d map[string]any) { delete(Statement(d, "", 0), "Condition") })
			}),
		},
		{
			Path: "admin-session-12h", Change: "AdminRole MaxSessionDuration is 43200 (12 hours)",
			Why:   "Admin sessions may last 12 hours instead of one (LD-ADM-04).",
			Fail:  []string{"LD-ADM-04"},
			Build: cisVariant(func(s *snapshot.Snapshot) { Role(s, "AdminRole").MaxSessionDuration = i32(43200) }),
		},
		{
			Path: "assume-without-mfa-condition", Change: `AssumeAdminRole's condition keeps only {"Bool": {"aws:SecureTransport": true}}`,
			Why:  "The AssumeRole allow no longer requires MFA or an MFA age <= 3600 (LD-ADM-02); the Deny and the trust policy still stop a session without MFA.",
			Fail: []string{"LD-ADM-02"},
			Build: cisVariant(func(s *snapshot.Snapshot) {
				EditPolicy(s, AssumeAdminRoleARN, func(d map[string]any) {
					Statement(d, "", 0)["Condition"] = map[string]any{"Bool": map[string]any{"aws:SecureTransport": true}}
				})
			}),
		},
		{
			Path: "admin-policy-on-group", Change: "the Administrators group also carries the customer managed AdminPolicy (Action * on Resource *)",
			Why: "alice is an administrator without the role (LD-ADM-01); iam:* stays allowed without MFA (LD-MFA-01) and covers other users' credentials (LD-MFA-02); " +
				"Action * allows sts:AssumeRole without the TLS and MFA-age conditions (LD-ADM-02); an attached policy grants full administrative privileges (LD-POL-01) " +
				"and a customer managed policy allows * on * (LD-POL-02) and so every action of every service (LD-POL-03).",
			Fail: []string{"LD-MFA-01", "LD-MFA-02", "LD-ADM-01", "LD-ADM-02", "LD-POL-01", "LD-POL-02", "LD-POL-03"},
			Build: cisVariant(func(s *snapshot.Snapshot) {
				g := Group(s, "Administrators")
				g.AttachedPolicies = append(g.AttachedPolicies, snapshot.AttachedPolicy{Name: "AdminPolicy", ARN: AdminPolicyARN})
				s.Policies = append(s.Policies, customerPolicy("AdminPolicy", "Full access", AdminPolicyDoc, ts("2020-09-09T14:10:45Z"), 1))
				s.AccountSummary["Policies"]++
				s.AccountSummary["PolicyVersionsInUse"]++
			}),
		},
		{
			Path: "privesc-attach-own-user-policy", Change: "alice has an inline policy allowing iam:AttachUserPolicy on her own user",
			Why: "An inline user policy (LD-GRP-02) lets alice attach AdministratorAccess to herself (LD-PE-01, method iam-008), with access keys " +
				"alone: the group's MFA Deny exempts IAM actions (LD-MFA-01).",
			Fail: []string{"LD-GRP-02", "LD-MFA-01", "LD-PE-01"},
			Build: cisVariant(func(s *snapshot.Snapshot) {
				User(s, "alice").InlinePolicies = []snapshot.InlinePolicy{{
					Name:     "alice-self-attach",
					Document: Doc(`{"Version":"2012-10-17","Statement":[{"Sid":"SelfAttach","Effect":"Allow","Action":"iam:AttachUserPolicy","Resource":"arn:aws:iam::123456789012:user/alice"}]}`),
				}}
			}),
		},
		{
			Path: "admin-profile-without-mfa-serial", Change: "the admin profile in ~/.aws/config has no mfa_serial",
			Why:   "A profile assuming the admin role without mfa_serial (LD-CLI-01).",
			Fail:  []string{"LD-CLI-01"},
			Build: cisVariant(func(s *snapshot.Snapshot) { Profile(s, "admin").MFASerial = "" }),
		},
		{
			Path: "root-key-in-cli-config", Change: `~/.aws/credentials has a "root" profile holding an access key of the root user (recorded in the credential report, never used)`,
			Why:  "A CLI profile holds a root access key (LD-CLI-02), and the root user has an access key (LD-ROOT-02).",
			Fail: []string{"LD-CLI-02", "LD-ROOT-02"},
			Build: cisVariant(func(s *snapshot.Snapshot) {
				r := CredRow(s, "<root_account>")
				r["access_key_1_active"] = "true"
				r["access_key_1_last_rotated"] = CRTime(CollectedAt.AddDate(0, 0, -10))
				s.AccountSummary["AccountAccessKeysPresent"] = 1
				s.AWSConfig.Profiles = append(s.AWSConfig.Profiles, snapshot.AWSProfile{Name: "root", AccessKeyID: "AKIAI44QH8DHBEXAMPLE", AccessKeyOwnerARN: RootARN})
			}),
		},
		{
			Path: "credentials-file-world-readable", Change: "~/.aws/credentials has mode 0644",
			Why:   "The file holding the long-term secret key is readable by group and others (LD-CLI-03).",
			Fail:  []string{"LD-CLI-03"},
			Build: cisVariant(func(s *snapshot.Snapshot) { s.AWSConfig.CredentialsFileMode = "0644" }),
		},
		// Password policy.
		{
			Path: "no-password-policy", Change: "no account password policy is set",
			Why:  "IAM's defaults apply: no length, reuse, character class or expiry requirement; every password check fails.",
			Fail: []string{"LD-PWD-01", "LD-PWD-02", "LD-PWD-03", "LD-PWD-04", "LD-PWD-05", "LD-PWD-06", "LD-PWD-07", "LD-PWD-08", "LD-PWD-09", "LD-PWD-10"},
			Build: cisVariant(func(s *snapshot.Snapshot) {
				s.PasswordPolicy = nil
				s.Sources[snapshot.SourcePasswordPolicy] = snapshot.SourceStatus{
					Status: snapshot.StatusOK, Requests: 1, Note: "no password policy set: the account uses the IAM default password rules",
				}
				CredRow(s, "alice")["password_next_rotation"] = "N/A"
			}),
		},
		{
			Path: "password-length-12", Change: "the password policy's minimum length is 12",
			Why:   "Below CIS's 14 (LD-PWD-01, LD-PWD-02); IAM.7 (8) and IAM.10 (7) pass.",
			Fail:  []string{"LD-PWD-01", "LD-PWD-02"},
			Build: setPolicy(func(p *snapshot.PasswordPolicy) { p.MinimumPasswordLength = i32(12) }),
		},
		{
			Path: "password-length-7", Change: "the password policy's minimum length is 7",
			Why:   "Below CIS's 14 and IAM.7's 8 (LD-PWD-01, LD-PWD-02, LD-PWD-04); IAM.10's 7 passes.",
			Fail:  []string{"LD-PWD-01", "LD-PWD-02", "LD-PWD-04"},
			Build: setPolicy(func(p *snapshot.PasswordPolicy) { p.MinimumPasswordLength = i32(7) }),
		},
		{
			Path: "password-reuse-5", Change: "the password policy remembers 5 passwords",
			Why:   "Below CIS's 24 (LD-PWD-01, LD-PWD-03); IAM.10's 4 passes, IAM.7 has no reuse requirement.",
			Fail:  []string{"LD-PWD-01", "LD-PWD-03"},
			Build: setPolicy(func(p *snapshot.PasswordPolicy) { p.PasswordReusePrevention = i32(5) }),
		},
		{
			Path: "password-reuse-3", Change: "the password policy remembers 3 passwords",
			Why:   "Below CIS's 24 and IAM.10's 4 (LD-PWD-01, LD-PWD-03, LD-PWD-05).",
			Fail:  []string{"LD-PWD-01", "LD-PWD-03", "LD-PWD-05"},
			Build: setPolicy(func(p *snapshot.PasswordPolicy) { p.PasswordReusePrevention = i32(3) }),
		},
		{
			Path: "password-no-uppercase", Change: "the password policy does not require an uppercase letter",
			Why:   "IAM.11 (LD-PWD-06), and the guide's policy, IAM.7 and IAM.10, which require every class.",
			Fail:  append(append([]string(nil), passwordClasses...), "LD-PWD-06"),
			Build: setPolicy(func(p *snapshot.PasswordPolicy) { p.RequireUppercaseCharacters = false }),
		},
		{
			Path: "password-no-lowercase", Change: "the password policy does not require a lowercase letter",
			Why:   "IAM.12 (LD-PWD-07), and the guide's policy, IAM.7 and IAM.10.",
			Fail:  append(append([]string(nil), passwordClasses...), "LD-PWD-07"),
			Build: setPolicy(func(p *snapshot.PasswordPolicy) { p.RequireLowercaseCharacters = false }),
		},
		{
			Path: "password-no-symbols", Change: "the password policy does not require a symbol",
			Why:   "IAM.13 (LD-PWD-08), and the guide's policy and IAM.7; IAM.10 (PCI DSS) does not ask for symbols.",
			Fail:  append(without(passwordClasses, "LD-PWD-05"), "LD-PWD-08"),
			Build: setPolicy(func(p *snapshot.PasswordPolicy) { p.RequireSymbols = false }),
		},
		{
			Path: "password-no-numbers", Change: "the password policy does not require a number",
			Why:   "IAM.14 (LD-PWD-09), and the guide's policy, IAM.7 and IAM.10.",
			Fail:  append(append([]string(nil), passwordClasses...), "LD-PWD-09"),
			Build: setPolicy(func(p *snapshot.PasswordPolicy) { p.RequireNumbers = false }),
		},
		{
			Path: "password-expiry-180-days", Change: "passwords expire after 180 days instead of 90",
			Why:  "Not within 90 days (LD-PWD-10, IAM.17; IAM.10, LD-PWD-05). The guide's policy requires no expiry by default.",
			Fail: []string{"LD-PWD-05", "LD-PWD-10"},
			Build: cisVariant(func(s *snapshot.Snapshot) {
				s.PasswordPolicy.MaxPasswordAge = i32(180)
				CredRow(s, "alice")["password_next_rotation"] = CRTime(ts("2026-10-05T07:41:00Z").AddDate(0, 0, 180))
			}),
		},
		// Policies and roles.
		{
			Path: "admin-managed-policy-on-role", Change: "AdminRole also has the AWS managed AdministratorAccess (Action * on Resource *) attached",
			Why:  "An attached policy grants full administrative privileges (LD-POL-01, CIS 1.15). It is AWS managed, so the customer managed policy controls (IAM.1, IAM.21) pass; AdminRole was administrator-equivalent already.",
			Fail: []string{"LD-POL-01"},
			Build: cisVariant(func(s *snapshot.Snapshot) {
				r := Role(s, "AdminRole")
				r.AttachedPolicies = append(r.AttachedPolicies, snapshot.AttachedPolicy{Name: "AdministratorAccess", ARN: AdministratorAccessARN})
				s.Policies = append(s.Policies, administratorAccess(1))
			}),
		},
		{
			Path: "admin-inline-action-list-on-role", Change: `AdminRole has an inline policy {"Effect": "Allow", "Action": ["*"], "Resource": ["*"]}`,
			Why:  "The same full administrative grant in list form, inline (LD-POL-01); inline, so the customer managed policy controls pass.",
			Fail: []string{"LD-POL-01"},
			Build: cisVariant(func(s *snapshot.Snapshot) {
				r := Role(s, "AdminRole")
				r.InlinePolicies = append(r.InlinePolicies, snapshot.InlinePolicy{Name: "BreakGlass", Document: Doc(
					`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["*"],"Resource":["*"]}]}`)})
			}),
		},
		{
			Path: "customer-admin-policy-unattached", Change: "the customer managed AdminPolicy (Action * on Resource *) exists, attached to nothing",
			Why: "A customer managed policy allows * on * (LD-POL-02, IAM.1), attached or not. CIS 1.15 asks about attached policies, so LD-POL-01 passes; " +
				"Action * grants full access to every service, so IAM.21 (LD-POL-03: a customer managed policy allows full access to at least one service) fails too.",
			Fail: []string{"LD-POL-02", "LD-POL-03"},
			Build: cisVariant(func(s *snapshot.Snapshot) {
				s.Policies = append(s.Policies, customerPolicy("AdminPolicy", "Full access, for AdminRole", AdminPolicyDoc, ts("2020-09-09T14:10:45Z"), 0))
				s.AccountSummary["Policies"]++
				s.AccountSummary["PolicyVersionsInUse"]++
			}),
		},
		{
			Path: "allow-star-notresource-star", Change: `WebServerRole also has a customer managed policy {"Effect": "Allow", "Action": "*", "NotResource": "*"}`,
			Why: "A statement that applies to no resource grants nothing: no policy check fails (a failure here is a false positive of text matching).",
			Build: cisVariant(func(s *snapshot.Snapshot) {
				p := customerPolicy("NothingAtAll", "Allow * on every resource except every resource", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","NotResource":"*"}]}`, ts("2025-04-01T09:00:00Z"), 1)
				s.Policies = append(s.Policies, p)
				r := Role(s, "WebServerRole")
				r.AttachedPolicies = append(r.AttachedPolicies, snapshot.AttachedPolicy{Name: p.Name, ARN: p.ARN})
				s.AccountSummary["Policies"]++
				s.AccountSummary["PolicyVersionsInUse"]++
			}),
		},
		{
			Path: "customer-policy-service-wildcard", Change: `WebServerRole also has a customer managed policy allowing "s3:*" on "*"`,
			Why:  "A customer managed policy allows every action of a service (LD-POL-03, IAM.21); not every action, so nothing else fails.",
			Fail: []string{"LD-POL-03"},
			Build: cisVariant(func(s *snapshot.Snapshot) {
				p := customerPolicy("WebServerS3", "S3 for the web servers", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`, ts("2025-04-01T09:00:00Z"), 1)
				s.Policies = append(s.Policies, p)
				r := Role(s, "WebServerRole")
				r.AttachedPolicies = append(r.AttachedPolicies, snapshot.AttachedPolicy{Name: p.Name, ARN: p.ARN})
				s.AccountSummary["Policies"]++
				s.AccountSummary["PolicyVersionsInUse"]++
			}),
		},
		{
			Path: "cloudshell-full-access-on-group", Change: "the Administrators group also has AWSCloudShellFullAccess attached",
			Why:  "An identity holds AWSCloudShellFullAccess (LD-POL-04, CIS 1.21, IAM.27). CloudShell is not IAM, so the MFA deny still covers it.",
			Fail: []string{"LD-POL-04"},
			Build: cisVariant(func(s *snapshot.Snapshot) {
				g := Group(s, "Administrators")
				g.AttachedPolicies = append(g.AttachedPolicies, snapshot.AttachedPolicy{Name: "AWSCloudShellFullAccess", ARN: AWSCloudShellFullAccessARN})
				s.Policies = append(s.Policies, awsCloudShellFullAccess(1))
			}),
		},
		{
			Path: "no-support-role", Change: "SupportRole does not exist (and AWSSupportAccess is attached to nothing)",
			Why:  "No role can manage AWS Support cases (LD-ROLE-01, CIS 1.16, IAM.18).",
			Fail: []string{"LD-ROLE-01"},
			Build: cisVariant(func(s *snapshot.Snapshot) {
				var roles []snapshot.Role
				for _, r := range s.Roles {
					if r.Name != "SupportRole" {
						roles = append(roles, r)
					}
				}
				s.Roles = roles
				var policies []snapshot.ManagedPolicy
				for _, p := range s.Policies {
					if p.ARN != AWSSupportAccessARN {
						policies = append(policies, p)
					}
				}
				s.Policies = policies
				s.AccountSummary["Roles"]--
			}),
		},
		{
			Path: "support-role-trusts-anyone", Change: `SupportRole's trust policy admits {"AWS": "*"} without a condition`,
			Why:  "Any AWS principal anywhere may assume the role (LD-ROLE-02, CIS v7 2.21). It is not an admin role, so the guide's admin-role checks do not judge it.",
			Fail: []string{"LD-ROLE-02"},
			Build: cisVariant(func(s *snapshot.Snapshot) {
				Role(s, "SupportRole").AssumeRolePolicyDocument = Doc(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}`)
			}),
		},
		{
			Path: "role-untagged", Change: "WebServerRole has no tags",
			Why:   "An untagged IAM role (LD-TAG-01, IAM.24).",
			Fail:  []string{"LD-TAG-01"},
			Build: cisVariant(func(s *snapshot.Snapshot) { Role(s, "WebServerRole").Tags = nil }),
		},
		{
			Path: "user-untagged", Change: "alice has no tags",
			Why:   "An untagged IAM user (LD-TAG-02, IAM.25).",
			Fail:  []string{"LD-TAG-02"},
			Build: cisVariant(func(s *snapshot.Snapshot) { User(s, "alice").Tags = nil }),
		},
		// Sources beyond IAM.
		{
			Path: "no-security-contact", Change: "no security alternate contact is registered (GetAlternateContact: ResourceNotFoundException, recorded as none)",
			Why:  "CIS 1.2 wants a security contact (LD-ACCT-01).",
			Fail: []string{"LD-ACCT-01"},
			Build: cisVariant(func(s *snapshot.Snapshot) {
				s.SecurityContact = nil
				st := s.Sources[snapshot.SourceSecurityContact]
				st.Note = "no security alternate contact is registered"
				s.Sources[snapshot.SourceSecurityContact] = st
			}),
		},
		{
			Path: "server-certificate-expired", Change: "the server certificate expired on 2026-09-30",
			Why:  "An expired IAM server certificate is still stored (LD-CERT-01, CIS 1.18, IAM.26).",
			Fail: []string{"LD-CERT-01"},
			Build: cisVariant(func(s *snapshot.Snapshot) {
				s.ServerCertificates[0].Expiration = tp("2026-09-30T23:59:59Z")
			}),
		},
		{
			Path: "region-without-analyzer", Change: "af-south-1 (opted in) has no Access Analyzer analyzer",
			Why:  "Not every enabled region has an active external-access analyzer (LD-AA-01, CIS 1.19, IAM.28).",
			Fail: []string{"LD-AA-01"},
			Build: cisVariant(func(s *snapshot.Snapshot) {
				Analyzers(s, "af-south-1").Analyzers = []snapshot.AccessAnalyzer{}
			}),
		},
		{
			Path: "analyzer-unused-access-only", Change: "eu-west-1's only analyzer is of type ACCOUNT_UNUSED_ACCESS (active, tagged)",
			Why:  "An unused-access analyzer does not find external access: eu-west-1 has no external-access analyzer (LD-AA-01).",
			Fail: []string{"LD-AA-01"},
			Build: cisVariant(func(s *snapshot.Snapshot) {
				a := &Analyzers(s, "eu-west-1").Analyzers[0]
				a.Name, a.Type = "account-unused-access", "ACCOUNT_UNUSED_ACCESS"
				a.ARN = "arn:aws:access-analyzer:eu-west-1:" + AccountID + ":analyzer/account-unused-access"
			}),
		},
		{
			Path: "analyzer-disabled", Change: "us-east-1's analyzer has status DISABLED",
			Why:  "us-east-1 has no active external-access analyzer (LD-AA-01).",
			Fail: []string{"LD-AA-01"},
			Build: cisVariant(func(s *snapshot.Snapshot) {
				a := &Analyzers(s, "us-east-1").Analyzers[0]
				a.Status, a.StatusReason = "DISABLED", "AWS_SERVICE_ACCESS_DISABLED"
			}),
		},
		{
			Path: "analyzer-untagged", Change: "us-east-1's analyzer has no tags",
			Why:   "An untagged Access Analyzer analyzer (LD-AA-02, IAM.23).",
			Fail:  []string{"LD-AA-02"},
			Build: cisVariant(func(s *snapshot.Snapshot) { Analyzers(s, "us-east-1").Analyzers[0].Tags = nil }),
		},
		{
			Path: "instance-without-profile", Change: "a second running instance in us-east-1 has no instance profile",
			Why:  "An EC2 instance without an IAM instance profile (LD-EC2-01, CIS 1.17): whatever it calls AWS with is a long-term key.",
			Fail: []string{"LD-EC2-01"},
			Build: cisVariant(func(s *snapshot.Snapshot) {
				r := Instances(s, "us-east-1")
				r.Instances = append(r.Instances, snapshot.EC2Instance{ID: "i-0f9e8d7c6b5a49382", State: "running", LaunchTime: tp("2026-11-20T12:00:00Z")})
			}),
		},
		{
			Path: "root-credentials-management-disabled", Change: "Organizations enables RootSessions only, not RootCredentialsManagement",
			Why:  "Centralised root credentials management is off (LD-ORG-01, CIS v7 2.1.x).",
			Fail: []string{"LD-ORG-01"},
			Build: cisVariant(func(s *snapshot.Snapshot) {
				s.OrganizationsFeatures.EnabledFeatures = []string{"RootSessions"}
			}),
		},
		{
			Path: "root-sessions-disabled", Change: "Organizations enables RootCredentialsManagement only, not RootSessions",
			Why:  "Privileged root sessions are off (LD-ORG-02, CIS v7 2.1.x).",
			Fail: []string{"LD-ORG-02"},
			Build: cisVariant(func(s *snapshot.Snapshot) {
				s.OrganizationsFeatures.EnabledFeatures = []string{"RootCredentialsManagement"}
			}),
		},
		// Sources that could not be read: their checks are NOT_ASSESSED, never PASS.
		{
			Path:        "organizations-features-denied",
			Change:      "iam:ListOrganizationsFeatures was refused (a member account: only the management account or a delegated administrator may call it)",
			Why:         "Whether centralised root access is enabled is unknown here: LD-ORG-01 and LD-ORG-02 are NOT_ASSESSED, naming why.",
			NotAssessed: []string{"LD-ORG-01", "LD-ORG-02"},
			Build: cisVariant(func(s *snapshot.Snapshot) {
				s.OrganizationsFeatures = nil
				sourceError(s, snapshot.SourceOrganizationsFeatures, "AccessDenied",
					"ListOrganizationsFeatures: the account is not the management account or a delegated administrator of its organization", false)
			}),
		},
		{
			Path:        "analyzer-region-denied",
			Change:      "access-analyzer:ListAnalyzers was refused in af-south-1 (the other regions were read)",
			Why:         "af-south-1's analyzers are unknown: LD-AA-01 and LD-AA-02 are NOT_ASSESSED there, never PASS; the other regions are still judged.",
			NotAssessed: []string{"LD-AA-01", "LD-AA-02"},
			Build: cisVariant(func(s *snapshot.Snapshot) {
				r := Analyzers(s, "af-south-1")
				r.Analyzers = []snapshot.AccessAnalyzer{}
				r.Error = &snapshot.SourceError{Code: "AccessDeniedException", Message: "ListAnalyzers: not authorized in af-south-1", Action: "access-analyzer:ListAnalyzers"}
				sourceError(s, snapshot.SourceAccessAnalyzers, "AccessDeniedException", "1 of 3 regions failed: af-south-1", true)
			}),
		},
		{
			Path:        "security-contact-denied",
			Change:      "account:GetAlternateContact was refused",
			Why:         "Whether a security contact is registered is unknown: LD-ACCT-01 is NOT_ASSESSED.",
			NotAssessed: []string{"LD-ACCT-01"},
			Build: cisVariant(func(s *snapshot.Snapshot) {
				s.SecurityContact = nil
				sourceError(s, snapshot.SourceSecurityContact, "AccessDeniedException", "GetAlternateContact: not authorized", false)
			}),
		},
		{
			Path:        "ec2-region-throttled",
			Change:      "ec2:DescribeInstances in eu-west-1 was throttled to exhaustion (the other regions were read)",
			Why:         "eu-west-1's instances are unknown: LD-EC2-01 is NOT_ASSESSED there, never PASS.",
			NotAssessed: []string{"LD-EC2-01"},
			Build: cisVariant(func(s *snapshot.Snapshot) {
				r := Instances(s, "eu-west-1")
				r.Instances = []snapshot.EC2Instance{}
				r.Error = &snapshot.SourceError{Code: "RequestLimitExceeded", Message: "DescribeInstances: request limit exceeded", Action: "ec2:DescribeInstances"}
				sourceError(s, snapshot.SourceEC2Instances, "RequestLimitExceeded", "1 of 3 regions failed: eu-west-1", true)
			}),
		},
		{
			Path:        "server-certificates-denied",
			Change:      "iam:ListServerCertificates was refused",
			Why:         "Whether an expired certificate is stored is unknown: LD-CERT-01 is NOT_ASSESSED.",
			NotAssessed: []string{"LD-CERT-01"},
			Build: cisVariant(func(s *snapshot.Snapshot) {
				s.ServerCertificates = nil
				sourceError(s, snapshot.SourceServerCertificates, "AccessDenied", "ListServerCertificates: not authorized", false)
			}),
		},
	}
	for i := range v {
		v[i].Path = "cis/" + v[i].Path + ".json"
	}
	return v
}
