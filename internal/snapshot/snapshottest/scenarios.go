package snapshottest

import (
	"bytes"
	"encoding/json"
	"time"

	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

// Scenario is one hand-designed snapshot and what the checks must say
// about it. Every check not listed in Fail or NotAssessed must PASS (or
// have nothing to examine).
type Scenario struct {
	Path        string // relative to testdata/snapshots
	Change      string // the one difference from its base, in words
	Why         string // the AWS reasoning behind the expected results
	Fail        []string
	NotAssessed []string
	// NotApplicable lists the checks with nothing to judge (the local AWS
	// CLI checks on a machine without AWS CLI configuration).
	NotApplicable []string
	// Build returns a fresh copy of the snapshot, not normalised.
	Build func() *snapshot.Snapshot
}

// Checks lists every check ID the expectations refer to.
var Checks = []string{
	"LD-ROOT-01", "LD-ROOT-02", "LD-ROOT-03", "LD-ROOT-04",
	"LD-PWD-01",
	"LD-MFA-01", "LD-MFA-02", "LD-MFA-03",
	"LD-ADM-01", "LD-ADM-02", "LD-ADM-03", "LD-ADM-04",
	"LD-GRP-01", "LD-GRP-02",
	"LD-KEY-01", "LD-KEY-02", "LD-KEY-03",
	"LD-CLI-01", "LD-CLI-02", "LD-CLI-03",
	"LD-ACCT-01", "LD-CERT-01", "LD-AA-01", "LD-AA-02", "LD-EC2-01", "LD-ORG-01", "LD-ORG-02",
}

func init() { Checks = append(Checks, Checks10...) }

// checksNeedingAuthDetails are the checks that read users, groups, roles or
// policies and so cannot be assessed without GetAccountAuthorizationDetails.
var checksNeedingAuthDetails = []string{
	"LD-MFA-01", "LD-MFA-02", "LD-ADM-01", "LD-ADM-02", "LD-ADM-03", "LD-ADM-04", "LD-GRP-01", "LD-GRP-02",
}

// EditDoc decodes a policy document, lets fn change it and normalises the
// result again.
func EditDoc(raw json.RawMessage, fn func(d map[string]any)) json.RawMessage {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var d map[string]any
	if err := dec.Decode(&d); err != nil {
		panic(err)
	}
	fn(d)
	out, err := json.Marshal(d)
	if err != nil {
		panic(err)
	}
	return Doc(string(out))
}

// Statement returns the statement with the given Sid, or the index-th one
// when sid is empty.
func Statement(d map[string]any, sid string, index int) map[string]any {
	stmts := d["Statement"].([]any)
	if sid == "" {
		return stmts[index].(map[string]any)
	}
	for _, st := range stmts {
		m := st.(map[string]any)
		if m["Sid"] == sid {
			return m
		}
	}
	panic("no statement " + sid)
}

// EditPolicy edits the first version document of the managed policy arn.
func EditPolicy(s *snapshot.Snapshot, arn string, fn func(d map[string]any)) {
	p := Policy(s, arn)
	p.Versions[0].Document = EditDoc(p.Versions[0].Document, fn)
}

// EditTrust edits AdminRole's trust policy.
func EditTrust(s *snapshot.Snapshot, fn func(d map[string]any)) {
	r := Role(s, "AdminRole")
	r.AssumeRolePolicyDocument = EditDoc(r.AssumeRolePolicyDocument, fn)
}

const denySid = "DoNotAllowAnythingOtherThanAboveUnlessMFA"

// variant builds guide-compliant with one change applied.
func variant(change func(s *snapshot.Snapshot)) func() *snapshot.Snapshot {
	return func() *snapshot.Snapshot {
		s := GuideCompliant()
		change(s)
		return s
	}
}

// Scenarios returns every hand-designed snapshot with its expectations, in
// the order tools/mktestdata lists them. Path is the file's path under
// testdata/snapshots.
func Scenarios() []Scenario {
	top := []Scenario{
		{
			Path:   "guide-as-written.json",
			Change: "the account exactly as the guide builds it (AdminPolicy on Administrators, AssumeAdminRole attached to nobody, trust without MFA, no password policy)",
			Why: "No password policy: LD-PWD-01. alice gets AdminPolicy (Action *) from Administrators, so she is an administrator without the role (LD-ADM-01). " +
				"The MFA deny is NotAction iam:*, so iam:* stays allowed by AdminPolicy without MFA, e.g. with the long-term key (LD-MFA-01; the guide's own \"aws iam list-groups\" test would succeed). " +
				"The same grant lets alice create, change or delete other users' login profiles, access keys and MFA devices, again without MFA (LD-MFA-02). " +
				"Action * also allows sts:AssumeRole on AdminRole without aws:SecureTransport or an MFA age limit (LD-ADM-02). The trust policy has no MFA condition (LD-ADM-03).",
			Fail:  []string{"LD-PWD-01", "LD-MFA-01", "LD-MFA-02", "LD-ADM-01", "LD-ADM-02", "LD-ADM-03"},
			Build: GuideAsWritten,
		},
		{
			Path:   "guide-compliant.json",
			Change: "the guide's account with the fixes it implies: Administrators carries AssumeAdminRole instead of AdminPolicy, AdminRole's trust requires MFA, strong password policy",
			Why:    "Every check passes.",
			Build:  GuideCompliant,
		},
		{
			Path:   "root-keys-no-mfa.json",
			Change: "guide-compliant, but the root user has no MFA and two active access keys, both used 3 days before collection",
			Why: "Root without MFA (LD-ROOT-01) and so without a hardware MFA (LD-ROOT-03); root access keys exist (LD-ROOT-02); root used 3 days ago (LD-ROOT-04). " +
				"LD-KEY-* are about IAM users; the root row is LD-ROOT-*'s business.",
			Fail:  []string{"LD-ROOT-01", "LD-ROOT-02", "LD-ROOT-03", "LD-ROOT-04"},
			Build: rootKeysNoMFA,
		},
		{
			Path:   "root-keys-in-cli-config.json",
			Change: "root-keys-no-mfa.json, and one of the root access keys is also the \"root\" profile in ~/.aws/credentials",
			Why:    "As root-keys-no-mfa.json, plus a CLI profile holding a root access key (LD-CLI-02).",
			Fail:   []string{"LD-ROOT-01", "LD-ROOT-02", "LD-ROOT-03", "LD-ROOT-04", "LD-CLI-02"},
			Build:  rootKeysInCLIConfig,
		},
		{
			Path:   "partial-access-denied.json",
			Change: "guide-compliant collected by a role that may not call GetAccountAuthorizationDetails: that source is \"error\" (AccessDenied), users/groups/roles/policies are absent",
			Why: "Every check that reads users, groups, roles or policies is NOT_ASSESSED, never PASS. " +
				"Checks that need only the credential report, account summary, password policy, MFA devices or local config are assessed as usual and pass.",
			NotAssessed: checksNeedingAuthDetails,
			Build:       partialAccessDenied,
		},
	}
	top = append(top, hostileScenario(), Scenario{
		Path:   "no-local-aws-config.json",
		Change: "guide-compliant collected on a machine with no AWS CLI configuration (a CI runner): neither ~/.aws/config nor ~/.aws/credentials exists and no --aws-config-dir was named",
		Why: "LD-CLI-01..03 judge the machine lockdown runs on; here there is nothing local to judge, so they are NOT_APPLICABLE with the reason: " +
			"neither PASS nor FAIL, and the audit is still complete.",
		NotApplicable: []string{"LD-CLI-01", "LD-CLI-02", "LD-CLI-03"},
		Build: func() *snapshot.Snapshot {
			s := GuideCompliant()
			s.AWSConfig = &snapshot.AWSConfig{Dir: "/home/runner/.aws",
				ConfigFile: "/home/runner/.aws/config", CredentialsFile: "/home/runner/.aws/credentials"}
			return s
		},
	})
	top = append(top, organizationScenarios()...)
	top = append(top, sourcesTop()...)
	return with10(append(append(append(top, variants()...), equivalents()...), incompletes()...))
}

func variants() []Scenario {
	v := []Scenario{
		{
			Path:   "deny-statement-missing",
			Change: "IAMRequireMFA without its Deny statement (" + denySid + ")",
			Why: "Nothing denies non-IAM actions without MFA any more; today only AssumeAdminRole's own condition stops alice, and any other allow would work without MFA. " +
				"The Users group no longer carries the MFA requirement (LD-GRP-01).",
			Fail: []string{"LD-MFA-01", "LD-GRP-01"},
			Build: variant(func(s *snapshot.Snapshot) {
				EditPolicy(s, RequireMFAARN, func(d map[string]any) {
					stmts := d["Statement"].([]any)
					d["Statement"] = stmts[:len(stmts)-1]
				})
			}),
		},
		{
			Path:   "deny-without-mfa-condition",
			Change: "the Deny statement has no Condition",
			Why: "The deny now applies with MFA too: non-IAM actions are denied in every context, which still satisfies \"nothing without MFA\". " +
				"It over-restricts (even an MFA session cannot call sts:AssumeRole, so AdminRole is unusable) but no security check fails; a failure here is a false positive.",
			Build: variant(func(s *snapshot.Snapshot) {
				EditPolicy(s, RequireMFAARN, func(d map[string]any) { delete(Statement(d, denySid, 0), "Condition") })
			}),
		},
		{
			Path:   "deny-bool-mfa-false",
			Change: `the Deny condition is {"Bool": {"aws:MultiFactorAuthPresent": "false"}}`,
			Why: "With long-term access keys the request has no aws:MultiFactorAuthPresent key; Bool on a missing key does not match, so the deny does not apply to the guide's own CLI key. " +
				"It applies only to temporary credentials without MFA (LD-MFA-01), and the Users group does not carry a working MFA requirement (LD-GRP-01).",
			Fail: []string{"LD-MFA-01", "LD-GRP-01"},
			Build: variant(func(s *snapshot.Snapshot) {
				EditPolicy(s, RequireMFAARN, func(d map[string]any) {
					Statement(d, denySid, 0)["Condition"] = map[string]any{"Bool": map[string]any{"aws:MultiFactorAuthPresent": "false"}}
				})
			}),
		},
		{
			Path:   "self-service-not-scoped",
			Change: "AllowIndividualUserToChangeTheirPassword allows iam:ChangePassword on arn:aws:iam::*:user/* instead of user/${aws:username}",
			Why: "No check fails: iam:ChangePassword has no UserName parameter and always changes the caller's own password, so IAM authorizes it only " +
				"against the caller's user ARN and the wider Resource grants nothing more. A check that fails here is matching text, not semantics (a false positive). " +
				"self-service-mfa-not-scoped is the variant where scope matters.",
			Build: variant(func(s *snapshot.Snapshot) {
				EditPolicy(s, RequireMFAARN, func(d map[string]any) {
					Statement(d, "AllowIndividualUserToChangeTheirPassword", 0)["Resource"] = []any{"arn:aws:iam::*:user/*"}
				})
			}),
		},
		{
			Path:   "self-service-mfa-not-scoped",
			Change: "AllowIndividualUserToManageTheirMFA allows its actions on arn:aws:iam::*:mfa/* and arn:aws:iam::*:user/*",
			Why: "Without MFA any user may now create, delete, enable or resync MFA devices of other users (iam:EnableMFADevice takes a UserName), " +
				"e.g. bind their own device to another user who has none. Self-service is not scoped to the caller (LD-MFA-02).",
			Fail: []string{"LD-MFA-02"},
			Build: variant(func(s *snapshot.Snapshot) {
				EditPolicy(s, RequireMFAARN, func(d map[string]any) {
					Statement(d, "AllowIndividualUserToManageTheirMFA", 0)["Resource"] = []any{"arn:aws:iam::*:mfa/*", "arn:aws:iam::*:user/*"}
				})
			}),
		},
		{
			Path:   "trust-open-to-star",
			Change: `AdminRole's trust policy Principal is {"AWS": "*"} (MFA condition kept)`,
			Why:    "Any principal of any AWS account that signs in with MFA and is allowed sts:AssumeRole by its own account can assume AdminRole (LD-ADM-03).",
			Fail:   []string{"LD-ADM-03"},
			Build: variant(func(s *snapshot.Snapshot) {
				EditTrust(s, func(d map[string]any) { Statement(d, "", 0)["Principal"] = map[string]any{"AWS": "*"} })
			}),
		},
		{
			Path:   "trust-without-mfa",
			Change: "AdminRole's trust policy has no Condition (the console's \"Require MFA\" unticked)",
			Why: "The role itself no longer requires MFA (LD-ADM-03). AssumeAdminRole and the Deny still require MFA for alice, " +
				"but the trust is the only control that covers every principal of the account.",
			Fail: []string{"LD-ADM-03"},
			Build: variant(func(s *snapshot.Snapshot) {
				EditTrust(s, func(d map[string]any) { delete(Statement(d, "", 0), "Condition") })
			}),
		},
		{
			Path:   "assume-without-mfa-condition",
			Change: `AssumeAdminRole's condition keeps only {"Bool": {"aws:SecureTransport": true}} (no aws:MultiFactorAuthPresent, no aws:MultiFactorAuthAge)`,
			Why: "The AssumeRole allow no longer requires MFA or an MFA age <= 3600 (LD-ADM-02). " +
				"The Deny (NotAction iam:*, so it covers sts:AssumeRole) and the trust policy still stop a session without MFA, so LD-MFA-01 and LD-ADM-03 pass.",
			Fail: []string{"LD-ADM-02"},
			Build: variant(func(s *snapshot.Snapshot) {
				EditPolicy(s, AssumeAdminRoleARN, func(d map[string]any) {
					Statement(d, "", 0)["Condition"] = map[string]any{"Bool": map[string]any{"aws:SecureTransport": true}}
				})
			}),
		},
		{
			Path:   "max-session-12h",
			Change: "AdminRole MaxSessionDuration is 43200 (12 hours)",
			Why:    "Admin sessions may last 12 hours instead of one (LD-ADM-04).",
			Fail:   []string{"LD-ADM-04"},
			Build:  variant(func(s *snapshot.Snapshot) { Role(s, "AdminRole").MaxSessionDuration = i32(43200) }),
		},
		{
			Path:   "admin-policy-on-group",
			Change: "Administrators carries AdminPolicy in addition to AssumeAdminRole",
			Why: "alice is an administrator without the role (LD-ADM-01); AdminPolicy allows iam:* without MFA, which the NotAction iam:* deny leaves open (LD-MFA-01); " +
				"it also lets alice manage other users' login profiles, keys and MFA devices (LD-MFA-02); " +
				"Action * allows sts:AssumeRole without the TLS and MFA-age conditions (LD-ADM-02).",
			Fail: []string{"LD-MFA-01", "LD-MFA-02", "LD-ADM-01", "LD-ADM-02"},
			Build: variant(func(s *snapshot.Snapshot) {
				g := Group(s, "Administrators")
				g.AttachedPolicies = append(g.AttachedPolicies, snapshot.AttachedPolicy{Name: "AdminPolicy", ARN: AdminPolicyARN})
				Policy(s, AdminPolicyARN).AttachmentCount = 2
			}),
		},
		{
			Path:   "user-outside-users-group",
			Change: "alice is in Administrators only, not in Users",
			Why: "alice is in no group carrying the MFA requirement (LD-GRP-01) and nothing denies her non-IAM actions without MFA (LD-MFA-01). " +
				"She also loses self-service (she cannot change her password), which no check requires; LD-MFA-02 has nothing to examine.",
			Fail:  []string{"LD-MFA-01", "LD-GRP-01"},
			Build: variant(func(s *snapshot.Snapshot) { User(s, "alice").Groups = []string{"Administrators"} }),
		},
		{
			Path:   "policy-attached-to-user",
			Change: "the AWS managed policy IAMUserChangePassword is attached to alice directly",
			Why:    "A policy attached to a user instead of a group (LD-GRP-02). It grants only self-service on the caller's own user, so nothing else changes.",
			Fail:   []string{"LD-GRP-02"},
			Build: variant(func(s *snapshot.Snapshot) {
				User(s, "alice").AttachedPolicies = []snapshot.AttachedPolicy{{Name: "IAMUserChangePassword", ARN: iamUserChangePasswordARN}}
				// AccountSummary "Policies" counts customer managed policies only: unchanged.
				s.Policies = append(s.Policies, iamUserChangePassword())
			}),
		},
		{
			Path:   "inline-policy-on-user",
			Change: "alice has an inline policy allowing s3:GetObject/PutObject on one bucket",
			Why:    "An inline user policy (LD-GRP-02). Its S3 actions are still denied without MFA by the group's Deny and grant no admin, so nothing else changes.",
			Fail:   []string{"LD-GRP-02"},
			Build: variant(func(s *snapshot.Snapshot) {
				User(s, "alice").InlinePolicies = []snapshot.InlinePolicy{{
					Name:     "alice-backups",
					Document: Doc(`{"Version":"2012-10-17","Statement":[{"Sid":"OwnBackups","Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::alice-backups-123456789012/*"}]}`),
				}}
			}),
		},
		{
			Path:   "console-user-without-mfa",
			Change: "alice's MFA device was deactivated: mfa_active false, her virtual device is unassigned, MFADevicesInUse 0",
			Why:    "alice has a console password and no MFA (LD-MFA-03).",
			Fail:   []string{"LD-MFA-03"},
			Build: variant(func(s *snapshot.Snapshot) {
				CredRow(s, "alice")["mfa_active"] = "false"
				s.VirtualMFADevices[0] = snapshot.VirtualMFADevice{SerialNumber: AliceMFA}
				s.AccountSummary["MFADevicesInUse"] = 0
			}),
		},
		{
			Path:   "two-active-keys",
			Change: "alice has a second active access key (rotated 2026-11-02, used 2026-11-25)",
			Why:    "More than one active access key (LD-KEY-03). Both keys are recent and in use.",
			Fail:   []string{"LD-KEY-03"},
			Build: variant(func(s *snapshot.Snapshot) {
				r := CredRow(s, "alice")
				r["access_key_2_active"] = "true"
				r["access_key_2_last_rotated"] = CRTime(ts("2026-11-02T10:15:00Z"))
				r["access_key_2_last_used_date"] = CRTime(ts("2026-11-25T18:22:00Z"))
				r["access_key_2_last_used_region"] = "eu-west-1"
				r["access_key_2_last_used_service"] = "s3"
			}),
		},
		{
			Path:   "stale-key",
			Change: "alice's active access key was last rotated 200 days before collection (2026-05-11), still used today",
			Why:    "Key older than 90 days (LD-KEY-01). It is in use, so LD-KEY-02 passes.",
			Fail:   []string{"LD-KEY-01"},
			Build: variant(func(s *snapshot.Snapshot) {
				CredRow(s, "alice")["access_key_1_last_rotated"] = CRTime(CollectedAt.AddDate(0, 0, -200))
			}),
		},
		{
			Path:   "password-unused-60-days",
			Change: "alice's console password was last used 60 days before collection and is still enabled",
			Why:    "A credential unused for 45 days or more is not disabled (LD-KEY-02).",
			Fail:   []string{"LD-KEY-02"},
			Build: variant(func(s *snapshot.Snapshot) {
				CredRow(s, "alice")["password_last_used"] = CRTime(CollectedAt.AddDate(0, 0, -60).Add(-3 * time.Hour))
			}),
		},
		{
			Path:   "password-policy-weak",
			Change: "the password policy's minimum length is 8 (everything else unchanged)",
			Why:    "Minimum length below 14 (LD-PWD-01).",
			Fail:   []string{"LD-PWD-01"},
			Build:  variant(func(s *snapshot.Snapshot) { s.PasswordPolicy.MinimumPasswordLength = i32(8) }),
		},
		{
			Path:   "root-virtual-mfa",
			Change: "the root user's MFA is a virtual device (arn:aws:iam::123456789012:mfa/root-account-mfa-device) instead of hardware",
			Why:    "Root has MFA (LD-ROOT-01 passes) but not a hardware device (LD-ROOT-03).",
			Fail:   []string{"LD-ROOT-03"},
			Build: variant(func(s *snapshot.Snapshot) {
				s.VirtualMFADevices = append(s.VirtualMFADevices, snapshot.VirtualMFADevice{
					SerialNumber: accountARN + "mfa/root-account-mfa-device", UserARN: RootARN, EnableDate: tp("2020-09-09T13:58:40Z"),
				})
				s.AccountSummary["MFADevices"] = 2
				s.AccountSummary["MFADevicesInUse"] = 2
			}),
		},
		{
			Path:   "admin-profile-without-mfa-serial",
			Change: "the admin profile in ~/.aws/config has no mfa_serial",
			Why: "A profile assuming the admin role without mfa_serial (LD-CLI-01): the CLI sends no MFA, so the call is refused by the trust policy " +
				"and people are tempted to weaken it.",
			Fail:  []string{"LD-CLI-01"},
			Build: variant(func(s *snapshot.Snapshot) { Profile(s, "admin").MFASerial = "" }),
		},
		{
			Path:   "credentials-file-world-readable",
			Change: "~/.aws/credentials has mode 0644",
			Why:    "The file holding the long-term secret key is readable by group and others (LD-CLI-03).",
			Fail:   []string{"LD-CLI-03"},
			Build:  variant(func(s *snapshot.Snapshot) { s.AWSConfig.CredentialsFileMode = "0644" }),
		},
	}
	v = append(v, sourcesVariants()...)
	for i := range v {
		v[i].Path = "variants/" + v[i].Path + ".json"
	}
	return v
}

// equivalents are encodings of the compliant intent that IAM evaluates the
// same way; every check must still pass.
func equivalents() []Scenario {
	v := []Scenario{
		{
			Path:   "deny-boolifexists-false",
			Change: `the Deny condition is {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}`,
			Why:    "BoolIfExists matches when the key is absent (long-term keys) or false (session without MFA): the same requests as Null on aws:MultiFactorAuthAge.",
			Build: variant(func(s *snapshot.Snapshot) {
				EditPolicy(s, RequireMFAARN, func(d map[string]any) {
					Statement(d, denySid, 0)["Condition"] = map[string]any{"BoolIfExists": map[string]any{"aws:MultiFactorAuthPresent": "false"}}
				})
			}),
		},
		{
			Path:   "deny-null-mfa-age-alternate-spelling",
			Change: `the Deny is written {"NotAction": ["iam:*"], "Resource": ["*"], "Condition": {"Null": {"aws:MultiFactorAuthAge": true}}} (lists and a JSON boolean)`,
			Why:    "Single values and one-element lists are the same to IAM, and condition values are compared as strings (true == \"true\").",
			Build: variant(func(s *snapshot.Snapshot) {
				EditPolicy(s, RequireMFAARN, func(d map[string]any) {
					st := Statement(d, denySid, 0)
					st["NotAction"] = []any{"iam:*"}
					st["Resource"] = []any{"*"}
					st["Condition"] = map[string]any{"Null": map[string]any{"aws:MultiFactorAuthAge": true}}
				})
			}),
		},
		{
			Path:   "trust-mfa-json-boolean",
			Change: `AdminRole's trust condition is {"Bool": {"aws:MultiFactorAuthPresent": true}} (JSON boolean, not the string the console writes)`,
			Why:    "Condition values are compared as strings; true and \"true\" are the same condition.",
			Build: variant(func(s *snapshot.Snapshot) {
				EditTrust(s, func(d map[string]any) {
					Statement(d, "", 0)["Condition"] = map[string]any{"Bool": map[string]any{"aws:MultiFactorAuthPresent": true}}
				})
			}),
		},
		{
			Path:   "assume-conditions-as-strings",
			Change: `AssumeAdminRole's conditions written as strings and a number: Bool values "true", NumericLessThan aws:MultiFactorAuthAge 3600`,
			Why:    "The same condition in another JSON spelling.",
			Build: variant(func(s *snapshot.Snapshot) {
				EditPolicy(s, AssumeAdminRoleARN, func(d map[string]any) {
					Statement(d, "", 0)["Condition"] = map[string]any{
						"Bool":            map[string]any{"aws:MultiFactorAuthPresent": "true", "aws:SecureTransport": "true"},
						"NumericLessThan": map[string]any{"aws:MultiFactorAuthAge": json.Number("3600")},
					}
				})
			}),
		},
		{
			Path:   "self-service-mixed-case-actions",
			Change: `IAMRequireMFA's self-service actions written in other letter case ("IAM:changePassword", "iam:enablemfadevice", ...)`,
			Why:    "Action names are case-insensitive in IAM.",
			Build: variant(func(s *snapshot.Snapshot) {
				EditPolicy(s, RequireMFAARN, func(d map[string]any) {
					Statement(d, "AllowIndividualUserToChangeTheirPassword", 0)["Action"] = []any{"IAM:changePassword"}
					Statement(d, "AllowIndividualUserToManageTheirMFA", 0)["Action"] = []any{
						"iam:createvirtualmfadevice", "IAM:DeleteVirtualMFADevice", "iam:enablemfadevice", "Iam:ResyncMfaDevice",
					}
				})
			}),
		},
	}
	for i := range v {
		v[i].Path = "equivalent/" + v[i].Path + ".json"
	}
	return v
}

// iamUserChangePasswordARN and iamUserChangePassword describe the AWS managed
// policy as GetAccountAuthorizationDetails lists it (default version only).
const iamUserChangePasswordARN = "arn:aws:iam::aws:policy/IAMUserChangePassword"

func iamUserChangePassword() snapshot.ManagedPolicy {
	return snapshot.ManagedPolicy{
		Name: "IAMUserChangePassword", ID: "ANPAJ4L4MM2A7QIEB56MS", ARN: iamUserChangePasswordARN, Path: "/",
		DefaultVersionID: "v5", AttachmentCount: 1, IsAttachable: true,
		Description: "Provides the ability for an IAM user to change their own password.",
		CreateDate:  ts("2016-11-15T00:25:16Z"), UpdateDate: ts("2026-02-12T17:58:57Z"),
		Versions: []snapshot.PolicyVersion{{
			VersionID: "v5", IsDefaultVersion: true, CreateDate: ts("2026-02-12T17:58:57Z"),
			Document: Doc(`{"Version":"2012-10-17","Statement":[{"Action":["iam:ChangePassword"],"Resource":["arn:aws:iam::*:user/${aws:username}","arn:aws:iam::*:user/*/${aws:username}"],"Effect":"Allow"},{"Action":["iam:GetAccountPasswordPolicy"],"Resource":"*","Effect":"Allow"}]}`),
		}},
	}
}

// Fixture returns the scenario at path (as in testdata/snapshots, e.g.
// "guide-compliant.json" or "variants/trust-without-mfa.json") normalised
// as snapshot.Load returns it. It panics on an unknown path.
func Fixture(path string) *snapshot.Snapshot {
	for _, sc := range Scenarios() {
		if sc.Path == path {
			s := sc.Build()
			snapshot.Normalize(s)
			return s
		}
	}
	panic("snapshottest: no fixture " + path)
}
