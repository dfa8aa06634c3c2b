package snapshottest

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

// The account the guide builds (the scenarios' account). Every time is fixed
// so that the files are reproducible byte for byte.
const (
	AccountID    = "123456789012"
	accountARN   = "arn:aws:iam::" + AccountID + ":"
	RootARN      = accountARN + "root"
	AliceARN     = accountARN + "user/alice"
	AliceMFA     = accountARN + "mfa/alice"
	AdminRoleARN = accountARN + "role/AdminRole"

	RequireMFAARN      = accountARN + "policy/IAMRequireMFA"
	AssumeAdminRoleARN = accountARN + "policy/AssumeAdminRole"
	AdminPolicyARN     = accountARN + "policy/AdminPolicy"

	// AliceKeyID is the access key ID the guide puts in ~/.aws/credentials
	// (AWS's documentation example; an ID, not a secret).
	AliceKeyID = "AKIAIOSFODNN7EXAMPLE"
)

// CollectedAt is the collection time of the guide's account.
var CollectedAt = ts("2026-11-27T12:00:00Z")

var (
	reportTime    = ts("2026-11-27T11:58:40Z")
	accountCreate = ts("2020-09-09T13:52:11Z")
)

func ts(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

func tp(s string) *time.Time { t := ts(s); return &t }

func i32(v int32) *int32 { return &v }

// Doc normalises a policy document the way the collector stores it; it
// panics on a malformed document.
func Doc(text string) json.RawMessage {
	d, err := snapshot.NormalizeDocument(text)
	if err != nil {
		panic(fmt.Sprintf("policy document in a fixture: %v\n%s", err, text))
	}
	return d
}

// The guide's three policies, verbatim, and AdminRole's trust policy in the
// console's two spellings.
const (
	IAMRequireMFADoc = `{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "ListMiscAccountInformation",
            "Effect": "Allow",
            "Action": [
                "iam:GetAccountPasswordPolicy",
                "iam:GetAccountSummary",
                "iam:ListAccountAliases"
            ],
            "Resource": [
                "*"
            ]
        },
        {
            "Sid": "AllowAllUsersToListUserAccounts",
            "Effect": "Allow",
            "Action": [
                "iam:ListUsers"
            ],
            "Resource": [
                "arn:aws:iam::*:user/"
            ]
        },
        {
            "Sid": "AllowIndividualUserToChangeTheirPassword",
            "Effect": "Allow",
            "Action": [
                "iam:ChangePassword"
            ],
            "Resource": [
                "arn:aws:iam::*:user/${aws:username}"
            ]
        },
        {
            "Sid": "AllowIndividualUserToListTheirMFA",
            "Effect": "Allow",
            "Action": [
                "iam:ListVirtualMFADevices",
                "iam:ListMFADevices"
            ],
            "Resource": [
                "arn:aws:iam::*:mfa/",
                "arn:aws:iam::*:user/${aws:username}"
            ]
        },
        {
            "Sid": "AllowIndividualUserToManageTheirMFA",
            "Effect": "Allow",
            "Action": [
                "iam:CreateVirtualMFADevice",
                "iam:DeleteVirtualMFADevice",
                "iam:EnableMFADevice",
                "iam:ResyncMFADevice"
            ],
            "Resource": [
                "arn:aws:iam::*:mfa/${aws:username}",
                "arn:aws:iam::*:user/${aws:username}"
            ]
        },
        {
            "Sid": "RequireMFAForUserToManageRemainderOfAccount",
            "Effect": "Allow",
            "Action": [
                "iam:CreateLoginProfile",
                "iam:DeleteLoginProfile",
                "iam:GetLoginProfile",
                "iam:UpdateLoginProfile"
            ],
            "Resource": [
                "arn:aws:iam::*:user/${aws:username}"
            ],
            "Condition": {
                "Bool": {
                    "aws:MultiFactorAuthPresent": true
                }
            }
        },
        {
            "Sid": "RequireMFAToDeactivateTheirOwnVirtualMFADevice",
            "Effect": "Allow",
            "Action": [
                "iam:DeactivateMFADevice"
            ],
            "Resource": [
                "arn:aws:iam::*:mfa/${aws:username}",
                "arn:aws:iam::*:user/${aws:username}"
            ],
            "Condition": {
                "Bool": {
                    "aws:MultiFactorAuthPresent": true
                }
            }
        },
        {
            "Sid": "DoNotAllowAnythingOtherThanAboveUnlessMFA",
            "Effect": "Deny",
            "NotAction": "iam:*",
            "Resource": "*",
            "Condition": {
                "Null": {
                    "aws:MultiFactorAuthAge": "true"
                }
            }
        }
    ]
}`

	AssumeAdminRoleDoc = `{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": "sts:AssumeRole",
            "Resource": [
                "arn:aws:iam::*:role/AdminRole"
            ],
            "Condition": {
                "Bool": {
                    "aws:MultiFactorAuthPresent": true,
                    "aws:SecureTransport": true
                },
                "NumericLessThan": {
                    "aws:MultiFactorAuthAge": "3600"
                }
            }
        }
    ]
}`

	AdminPolicyDoc = `{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": "*",
            "Resource": "*"
        }
    ]
}`

	// TrustAnotherAccountDoc is what the console's "Another AWS account"
	// option writes for the own account ID with "Require MFA" unticked.
	TrustAnotherAccountDoc = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}`

	// TrustRequireMFADoc is the same with "Require MFA" ticked.
	TrustRequireMFADoc = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}`
)

// accountSummary is GetAccountSummary for the guide's account: the API
// reference's keys with the default quotas.
func accountSummary() map[string]int64 {
	return map[string]int64{
		"AccessKeysPerUserQuota":            2,
		"AccountAccessKeysPresent":          0,
		"AccountMFAEnabled":                 1,
		"AccountPasswordPresent":            1,
		"AccountSigningCertificatesPresent": 0,
		"AssumeRolePolicySizeQuota":         2048,
		"AttachedPoliciesPerGroupQuota":     10,
		"AttachedPoliciesPerRoleQuota":      10,
		"AttachedPoliciesPerUserQuota":      10,
		"GlobalEndpointTokenVersion":        1,
		"GroupPolicySizeQuota":              5120,
		"Groups":                            2,
		"GroupsPerUserQuota":                10,
		"GroupsQuota":                       300,
		"InstanceProfiles":                  0,
		"InstanceProfilesQuota":             1000,
		"MFADevices":                        1,
		"MFADevicesInUse":                   1,
		"Policies":                          3,
		"PoliciesQuota":                     1500,
		"PolicySizeQuota":                   6144,
		"PolicyVersionsInUse":               3,
		"PolicyVersionsInUseQuota":          10000,
		"Providers":                         0,
		"RolePolicySizeQuota":               10240,
		"Roles":                             1,
		"RolesQuota":                        1000,
		"ServerCertificates":                0,
		"ServerCertificatesQuota":           20,
		"SigningCertificatesPerUserQuota":   2,
		"UserPolicySizeQuota":               2048,
		"Users":                             1,
		"UsersQuota":                        5000,
		"VersionsPerPolicyQuota":            5,
	}
}

func customerPolicy(name, description, text string, created time.Time, attachments int32) snapshot.ManagedPolicy {
	return snapshot.ManagedPolicy{
		Name:             name,
		ID:               ID("ANPA", AccountID+"/policy/"+name),
		ARN:              accountARN + "policy/" + name,
		Path:             "/",
		DefaultVersionID: "v1",
		AttachmentCount:  attachments,
		IsAttachable:     true,
		Description:      description,
		CreateDate:       created,
		UpdateDate:       created,
		Versions: []snapshot.PolicyVersion{{
			VersionID: "v1", IsDefaultVersion: true, CreateDate: created, Document: Doc(text),
		}},
	}
}

// GuideCompliant is the guide's account with the fixes the guide implies:
// Administrators may only assume AdminRole, the role's trust requires MFA,
// and a strong password policy is set.
func GuideCompliant() *snapshot.Snapshot {
	roleID := ID("AROA", AccountID+"/role/AdminRole")
	session := fmt.Sprintf("aws-go-sdk-%d", ts("2026-11-27T11:59:12Z").UnixNano())
	aliceCreated := ts("2020-09-09T14:45:09Z")
	pwdChanged := ts("2026-10-05T07:41:00Z")

	root := RootRow(AccountID, accountCreate)
	root["password_last_used"] = CRTime(ts("2026-05-01T08:14:03Z"))
	root["mfa_active"] = "true" // hardware device: not in ListVirtualMFADevices

	alice := EmptyRow("alice", AliceARN, aliceCreated)
	alice["password_enabled"] = "true"
	alice["password_last_used"] = CRTime(ts("2026-11-26T16:03:27Z"))
	alice["password_last_changed"] = CRTime(pwdChanged)
	alice["password_next_rotation"] = CRTime(pwdChanged.AddDate(0, 0, 90))
	alice["mfa_active"] = "true"
	alice["access_key_1_active"] = "true"
	alice["access_key_1_last_rotated"] = CRTime(ts("2026-10-12T09:30:00Z"))
	alice["access_key_1_last_used_date"] = CRTime(ts("2026-11-27T11:40:00Z"))
	alice["access_key_1_last_used_region"] = "us-east-1"
	alice["access_key_1_last_used_service"] = "sts"

	s := &snapshot.Snapshot{
		Schema:      snapshot.SchemaV1,
		Generator:   snapshot.Generator{Name: "lockdown", Version: "0.1.0"},
		CollectedAt: CollectedAt,
		Account:     snapshot.Account{ID: AccountID, Partition: "aws"},
		Caller: &snapshot.Caller{
			ARN:     "arn:aws:sts::" + AccountID + ":assumed-role/AdminRole/" + session,
			UserID:  roleID + ":" + session,
			Account: AccountID,
		},
		Sources: map[string]snapshot.SourceStatus{
			snapshot.SourceCallerIdentity:       {Status: snapshot.StatusOK, Requests: 1},
			snapshot.SourceCredentialReport:     {Status: snapshot.StatusOK, Requests: 2},
			snapshot.SourceAccountSummary:       {Status: snapshot.StatusOK, Requests: 1},
			snapshot.SourcePasswordPolicy:       {Status: snapshot.StatusOK, Requests: 1},
			snapshot.SourceAccountAliases:       {Status: snapshot.StatusOK, Requests: 1},
			snapshot.SourceVirtualMFADevices:    {Status: snapshot.StatusOK, Requests: 1},
			snapshot.SourceAuthorizationDetails: {Status: snapshot.StatusOK, Requests: 1},
			snapshot.SourceAWSConfig:            {Status: snapshot.StatusOK},
		},
		CredentialReport: &snapshot.CredentialReport{
			GeneratedTime: reportTime,
			Columns:       append([]string(nil), CredentialReportColumns...),
			Rows:          []map[string]string{root, alice},
		},
		AccountSummary: accountSummary(),
		PasswordPolicy: &snapshot.PasswordPolicy{
			MinimumPasswordLength:      i32(14),
			RequireSymbols:             true,
			RequireNumbers:             true,
			RequireUppercaseCharacters: true,
			RequireLowercaseCharacters: true,
			AllowUsersToChangePassword: true,
			ExpirePasswords:            true,
			MaxPasswordAge:             i32(90),
			PasswordReusePrevention:    i32(24),
			HardExpiry:                 new(bool),
		},
		VirtualMFADevices: []snapshot.VirtualMFADevice{{
			SerialNumber: AliceMFA, UserARN: AliceARN, UserName: "alice", EnableDate: tp("2020-09-09T14:52:30Z"),
		}},
		Users: []snapshot.User{{
			Name: "alice", ID: ID("AIDA", AccountID+"/user/alice"), ARN: AliceARN, Path: "/",
			CreateDate: aliceCreated, Groups: []string{"Administrators", "Users"},
		}},
		Groups: []snapshot.Group{
			{
				Name: "Users", ID: ID("AGPA", AccountID+"/group/Users"), ARN: accountARN + "group/Users", Path: "/",
				CreateDate:       ts("2020-09-09T14:20:32Z"),
				AttachedPolicies: []snapshot.AttachedPolicy{{Name: "IAMRequireMFA", ARN: RequireMFAARN}},
			},
			{
				Name: "Administrators", ID: ID("AGPA", AccountID+"/group/Administrators"), ARN: accountARN + "group/Administrators", Path: "/",
				CreateDate:       ts("2020-09-09T14:38:41Z"),
				AttachedPolicies: []snapshot.AttachedPolicy{{Name: "AssumeAdminRole", ARN: AssumeAdminRoleARN}},
			},
		},
		Roles: []snapshot.Role{{
			Name: "AdminRole", ID: roleID, ARN: AdminRoleARN, Path: "/", CreateDate: ts("2020-09-09T14:16:20Z"),
			MaxSessionDuration:       i32(3600),
			AssumeRolePolicyDocument: Doc(TrustRequireMFADoc),
			AttachedPolicies:         []snapshot.AttachedPolicy{{Name: "AdminPolicy", ARN: AdminPolicyARN}},
			RoleLastUsed:             &snapshot.RoleLastUsed{LastUsedDate: tp("2026-11-27T11:59:13Z"), Region: "us-east-1"},
		}},
		Policies: []snapshot.ManagedPolicy{
			customerPolicy("IAMRequireMFA", "Allow self-service credential management; deny everything else without MFA", IAMRequireMFADoc, ts("2020-09-09T14:05:37Z"), 1),
			customerPolicy("AssumeAdminRole", "Allow assuming AdminRole with MFA", AssumeAdminRoleDoc, ts("2020-09-09T14:08:02Z"), 1),
			customerPolicy("AdminPolicy", "Full access, for AdminRole", AdminPolicyDoc, ts("2020-09-09T14:10:45Z"), 1),
		},
		AWSConfig: &snapshot.AWSConfig{
			Dir:                  "/home/alice/.aws",
			CredentialsFileMode:  "0600",
			CredentialsFileFound: true,
			ConfigFileFound:      true,
			Profiles: []snapshot.AWSProfile{
				{Name: "default", AccessKeyID: AliceKeyID, AccessKeyOwnerARN: AliceARN},
				{Name: "admin", RoleARN: AdminRoleARN, SourceProfile: "default", MFASerial: AliceMFA},
			},
		},
	}
	AddComplianceSources(s)
	return s
}

// GuideAsWritten is the account exactly as the guide builds it:
// AdminPolicy on the Administrators group (AssumeAdminRole attached to
// nobody), a trust policy without the optional MFA condition, no password
// policy.
func GuideAsWritten() *snapshot.Snapshot {
	s := GuideCompliant()
	g := Group(s, "Administrators")
	g.AttachedPolicies = []snapshot.AttachedPolicy{{Name: "AdminPolicy", ARN: AdminPolicyARN}}
	Policy(s, AssumeAdminRoleARN).AttachmentCount = 0
	Policy(s, AdminPolicyARN).AttachmentCount = 2
	Role(s, "AdminRole").AssumeRolePolicyDocument = Doc(TrustAnotherAccountDoc)
	s.PasswordPolicy = nil
	s.Sources[snapshot.SourcePasswordPolicy] = snapshot.SourceStatus{
		Status: snapshot.StatusOK, Requests: 1,
		Note: "no password policy set: the account uses the IAM default password rules",
	}
	CredRow(s, "alice")["password_next_rotation"] = "N/A"
	return s
}

// rootKeysNoMFA is the compliant account whose root user has no MFA and two
// active access keys used three days before collection.
func rootKeysNoMFA() *snapshot.Snapshot {
	s := GuideCompliant()
	used := CollectedAt.AddDate(0, 0, -3)
	r := CredRow(s, "<root_account>")
	r["mfa_active"] = "false"
	r["access_key_1_active"] = "true"
	r["access_key_1_last_rotated"] = CRTime(ts("2021-03-14T10:02:45Z"))
	r["access_key_1_last_used_date"] = CRTime(used)
	r["access_key_1_last_used_region"] = "us-east-1"
	r["access_key_1_last_used_service"] = "s3"
	r["access_key_2_active"] = "true"
	r["access_key_2_last_rotated"] = CRTime(ts("2023-06-01T17:20:09Z"))
	r["access_key_2_last_used_date"] = CRTime(used.Add(-47 * time.Minute))
	r["access_key_2_last_used_region"] = "eu-west-1"
	r["access_key_2_last_used_service"] = "ec2"
	s.AccountSummary["AccountMFAEnabled"] = 0
	s.AccountSummary["AccountAccessKeysPresent"] = 1
	return s
}

// rootKeysInCLIConfig is rootKeysNoMFA with a root key in a local profile.
// The collector learns the key's owner from sts:GetCallerIdentity.
func rootKeysInCLIConfig() *snapshot.Snapshot {
	s := rootKeysNoMFA()
	s.AWSConfig.Profiles = append(s.AWSConfig.Profiles, snapshot.AWSProfile{
		Name: "root", AccessKeyID: "AKIAI44QH8DHBEXAMPLE", AccessKeyOwnerARN: RootARN,
	})
	return s
}

// partialAccessDenied is the compliant account collected by a principal that
// may not call GetAccountAuthorizationDetails.
func partialAccessDenied() *snapshot.Snapshot {
	s := GuideCompliant()
	const session = "lockdown"
	s.Caller = &snapshot.Caller{
		ARN:     "arn:aws:sts::" + AccountID + ":assumed-role/AuditorRole/" + session,
		UserID:  ID("AROA", AccountID+"/role/AuditorRole") + ":" + session,
		Account: AccountID,
	}
	s.Sources[snapshot.SourceAuthorizationDetails] = snapshot.SourceStatus{
		Status:   snapshot.StatusError,
		Requests: 1,
		Error: &snapshot.SourceError{
			Code: "AccessDenied",
			Message: "GetAccountAuthorizationDetails: User: " + s.Caller.ARN +
				" is not authorized to perform: iam:GetAccountAuthorizationDetails on resource: *" +
				" because no identity-based policy allows the iam:GetAccountAuthorizationDetails action",
		},
	}
	s.Users, s.Groups, s.Roles, s.Policies = nil, nil, nil, nil
	return s
}

// The lookups return the named entity of s for a test to change; they
// panic when it is missing, since a fixture that lacks it is a broken test.

// find returns the element of list whose key is want.
func find[T any](list []T, kind, want string, key func(*T) string) *T {
	for i := range list {
		if key(&list[i]) == want {
			return &list[i]
		}
	}
	panic("snapshottest: no " + kind + " " + want)
}

// Group returns the group called name.
func Group(s *snapshot.Snapshot, name string) *snapshot.Group {
	return find(s.Groups, "group", name, func(g *snapshot.Group) string { return g.Name })
}

// Role returns the role called name.
func Role(s *snapshot.Snapshot, name string) *snapshot.Role {
	return find(s.Roles, "role", name, func(r *snapshot.Role) string { return r.Name })
}

// User returns the user called name.
func User(s *snapshot.Snapshot, name string) *snapshot.User {
	return find(s.Users, "user", name, func(u *snapshot.User) string { return u.Name })
}

// Policy returns the managed policy with this ARN.
func Policy(s *snapshot.Snapshot, arn string) *snapshot.ManagedPolicy {
	return find(s.Policies, "policy", arn, func(p *snapshot.ManagedPolicy) string { return p.ARN })
}

// CredRow returns the credential report row of the user called name
// ("<root_account>" for root).
func CredRow(s *snapshot.Snapshot, name string) map[string]string {
	return *find(s.CredentialReport.Rows, "credential report row", name, func(r *map[string]string) string { return (*r)["user"] })
}

// Profile returns the AWS CLI profile called name.
func Profile(s *snapshot.Snapshot, name string) *snapshot.AWSProfile {
	return find(s.AWSConfig.Profiles, "profile", name, func(p *snapshot.AWSProfile) string { return p.Name })
}
