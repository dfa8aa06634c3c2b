package snapshottest

// Expectations of the CIS and Security Hub checks that read data lockdown
// already collects (password policy, credential report, authorization
// details), and their one-change variants.

import (
	"slices"
	"time"

	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

// Checks10 are those checks' IDs.
var Checks10 = []string{
	"LD-PWD-02", "LD-PWD-03", "LD-PWD-04", "LD-PWD-05", "LD-PWD-06", "LD-PWD-07", "LD-PWD-08", "LD-PWD-09", "LD-PWD-10",
	"LD-KEY-04", "LD-KEY-05", "LD-MFA-04",
	"LD-POL-01", "LD-POL-02", "LD-POL-03", "LD-POL-04",
	"LD-ROLE-01", "LD-ROLE-02", "LD-TAG-01", "LD-TAG-02",
}

// guideGaps are the checks the guide's account fails by design: the guide
// gives AdminRole a customer managed AdminPolicy of Action "*" on Resource
// "*", creates no support role and tags nothing.
var guideGaps = []string{"LD-POL-01", "LD-POL-02", "LD-POL-03", "LD-ROLE-01", "LD-TAG-01", "LD-TAG-02"}

const guideGapsWhy = "The guide's account fails the CIS and Security Hub checks it was not built for: AdminPolicy (Action * on Resource *) " +
	"is attached to AdminRole (LD-POL-01), is a customer managed policy with \"*\" on \"*\" (LD-POL-02) and so grants every action of every service (LD-POL-03); " +
	"no role has AWSSupportAccess (LD-ROLE-01); AdminRole and alice have no tags (LD-TAG-01, LD-TAG-02)."

const gapsNote = " Like guide-compliant.json, it also fails LD-POL-01..03, LD-ROLE-01, LD-TAG-01 and LD-TAG-02."

// checksAuthDetails10 read GetAccountAuthorizationDetails.
var checksAuthDetails10 = []string{"LD-POL-01", "LD-POL-02", "LD-POL-03", "LD-POL-04", "LD-ROLE-01", "LD-ROLE-02", "LD-TAG-01", "LD-TAG-02"}

// checksCredentials10 read the credential report per user.
var checksCredentials10 = []string{"LD-KEY-04", "LD-KEY-05", "LD-MFA-04"}

// adjust10 says how one existing scenario's expectations change with these
// checks: more failures, more NOT_ASSESSED, guide gaps that do not apply.
type adjust10 struct {
	fail, notAssessed, noGap []string
	why                      string // replaces the scenario's Why when set
}

var adjustments10 = map[string]adjust10{
	"guide-as-written.json":                    {fail: []string{"LD-PWD-02", "LD-PWD-03", "LD-PWD-04", "LD-PWD-05", "LD-PWD-06", "LD-PWD-07", "LD-PWD-08", "LD-PWD-09", "LD-PWD-10"}},
	"guide-compliant.json":                     {why: "Every check of the guide passes. " + guideGapsWhy},
	"partial-access-denied.json":               {notAssessed: checksAuthDetails10, noGap: guideGaps},
	"hostile.json":                             {fail: []string{"LD-MFA-04"}},
	"variants/trust-open-to-star.json":         {fail: []string{"LD-ROLE-02"}},
	"variants/console-user-without-mfa.json":   {fail: []string{"LD-MFA-04"}},
	"variants/password-policy-weak.json":       {fail: []string{"LD-PWD-02"}},
	"incomplete/user-missing-from-report.json": {notAssessed: checksCredentials10},
	"incomplete/bad-report-cell.json":          {notAssessed: checksCredentials10},
	"incomplete/orphan-report-row.json":        {notAssessed: []string{"LD-POL-01", "LD-POL-04", "LD-TAG-02"}},
	"incomplete/no-users-but-report-rows.json": {notAssessed: []string{"LD-POL-01", "LD-POL-04", "LD-TAG-02"}, noGap: []string{"LD-TAG-02"}},
	"incomplete/undescribed-group.json":        {notAssessed: []string{"LD-POL-01"}},
	"incomplete/rejected-policy.json":          {notAssessed: []string{"LD-POL-01", "LD-POL-02", "LD-POL-03"}},
}

// with10 adds these checks' expectations to the scenarios built on the
// guide's account, and their own variants.
func with10(list []Scenario) []Scenario {
	out := make([]Scenario, 0, len(list)+16)
	for _, sc := range list {
		a := adjustments10[sc.Path]
		sc.Fail = append(append([]string{}, sc.Fail...), a.fail...)
		sc.NotAssessed = append(append([]string{}, sc.NotAssessed...), a.notAssessed...)
		for _, g := range guideGaps {
			if !slices.Contains(a.noGap, g) {
				sc.Fail = append(sc.Fail, g)
			}
		}
		if a.why != "" {
			sc.Why = a.why
		} else if len(a.noGap) < len(guideGaps) {
			sc.Why += gapsNote
		}
		out = append(out, sc)
		if sc.Path == "variants/credentials-file-world-readable.json" {
			out = append(out, variants10()...)
		}
		if sc.Path == "equivalent/self-service-mixed-case-actions.json" {
			out = append(out, equivalents10()...)
		}
	}
	return out
}

// without returns list minus the IDs in drop.
func without(list []string, drop ...string) []string {
	var out []string
	for _, id := range list {
		if !slices.Contains(drop, id) {
			out = append(out, id)
		}
	}
	return out
}

func plus(extra ...string) []string { return append(append([]string{}, guideGaps...), extra...) }

const (
	awsSupportAccessARN = "arn:aws:iam::aws:policy/AWSSupportAccess"
	cloudShellARN       = "arn:aws:iam::aws:policy/AWSCloudShellFullAccess"
)

// addCredUser adds a user in Users to the snapshot with a credential
// report row.
func addCredUser(s *snapshot.Snapshot, name string, created time.Time, row map[string]string) {
	addUser(s, name, created, "Users")
	s.CredentialReport.Rows = append(s.CredentialReport.Rows, row)
}

// addSupportRole adds SupportRole (AWSSupportAccess, trusted by the account
// with MFA, tagged).
func addSupportRole(s *snapshot.Snapshot) {
	s.Roles = append(s.Roles, snapshot.Role{
		Name: "SupportRole", ID: ID("AROA", AccountID+"/role/SupportRole"), ARN: accountARN + "role/SupportRole", Path: "/",
		CreateDate: ts("2021-02-01T10:00:00Z"), MaxSessionDuration: i32(3600),
		AssumeRolePolicyDocument: Doc(TrustRequireMFADoc),
		AttachedPolicies:         []snapshot.AttachedPolicy{{Name: "AWSSupportAccess", ARN: awsSupportAccessARN}},
		Tags:                     []snapshot.Tag{{Key: "owner", Value: "security"}},
	})
	s.AccountSummary["Roles"]++
	s.Policies = append(s.Policies, awsManagedPolicy("AWSSupportAccess", "ANPAJSNKQX2OW67GF4S7E", "v4", ts("2015-02-06T18:41:11Z"), ts("2026-02-12T17:59:31Z"), 1, `{"Version":"2012-10-17","Statement":[{"Action":["support:*","support-console:*"],"Resource":"*","Effect":"Allow"}]}`))
}

func variants10() []Scenario {
	pwd := func(path, change, why string, fail []string, edit func(p *snapshot.PasswordPolicy)) Scenario {
		return Scenario{Path: path, Change: change, Why: why + gapsNote, Fail: plus(fail...),
			Build: variant(func(s *snapshot.Snapshot) { edit(s.PasswordPolicy) })}
	}
	v := []Scenario{
		pwd("password-policy-no-symbols", "the password policy no longer requires symbols",
			"Symbols are required by lockdown's strong policy (LD-PWD-01), Security Hub IAM.7 (LD-PWD-04) and IAM.13 (LD-PWD-08); PCI DSS (IAM.10, LD-PWD-05) does not ask for them.",
			[]string{"LD-PWD-01", "LD-PWD-04", "LD-PWD-08"}, func(p *snapshot.PasswordPolicy) { p.RequireSymbols = false }),
		pwd("password-policy-no-uppercase", "the password policy no longer requires upper-case letters",
			"Upper-case letters are required by LD-PWD-01, IAM.7 (LD-PWD-04), IAM.10 (LD-PWD-05) and IAM.11 (LD-PWD-06).",
			[]string{"LD-PWD-01", "LD-PWD-04", "LD-PWD-05", "LD-PWD-06"}, func(p *snapshot.PasswordPolicy) { p.RequireUppercaseCharacters = false }),
		pwd("password-policy-no-lowercase", "the password policy no longer requires lower-case letters",
			"Lower-case letters are required by LD-PWD-01, IAM.7 (LD-PWD-04), IAM.10 (LD-PWD-05) and IAM.12 (LD-PWD-07).",
			[]string{"LD-PWD-01", "LD-PWD-04", "LD-PWD-05", "LD-PWD-07"}, func(p *snapshot.PasswordPolicy) { p.RequireLowercaseCharacters = false }),
		pwd("password-policy-no-numbers", "the password policy no longer requires numbers",
			"Numbers are required by LD-PWD-01, IAM.7 (LD-PWD-04), IAM.10 (LD-PWD-05) and IAM.14 (LD-PWD-09).",
			[]string{"LD-PWD-01", "LD-PWD-04", "LD-PWD-05", "LD-PWD-09"}, func(p *snapshot.PasswordPolicy) { p.RequireNumbers = false }),
		pwd("password-policy-reuse-5", "the password policy remembers 5 passwords instead of 24",
			"CIS wants 24 (LD-PWD-01, LD-PWD-03); PCI DSS's 4 (LD-PWD-05) is met.",
			[]string{"LD-PWD-01", "LD-PWD-03"}, func(p *snapshot.PasswordPolicy) { p.PasswordReusePrevention = i32(5) }),
		{
			Path:   "password-policy-no-expiry",
			Change: "the password policy no longer expires passwords (ExpirePasswords false, no MaxPasswordAge; alice's password_next_rotation N/A)",
			Why: "Security Hub IAM.17 wants expiry within 90 days (LD-PWD-10), and so does PCI DSS (IAM.10, LD-PWD-05). " +
				"LD-PWD-01 checks expiry only when password_max_age_days is set." + gapsNote,
			Fail: plus("LD-PWD-05", "LD-PWD-10"),
			Build: variant(func(s *snapshot.Snapshot) {
				s.PasswordPolicy.ExpirePasswords, s.PasswordPolicy.MaxPasswordAge = false, nil
				CredRow(s, "alice")["password_next_rotation"] = "N/A"
			}),
		},
		{
			Path:   "password-unused-100-days",
			Change: "alice's console password was last used 100 days before collection and is still enabled",
			Why:    "Unused for more than CIS's 45 days (LD-KEY-02) and Security Hub's 90 (IAM.8, LD-KEY-05)." + gapsNote,
			Fail:   plus("LD-KEY-02", "LD-KEY-05"),
			Build: variant(func(s *snapshot.Snapshot) {
				CredRow(s, "alice")["password_last_used"] = CRTime(CollectedAt.AddDate(0, 0, -100))
			}),
		},
		{
			Path: "key-from-user-setup",
			Change: "a second user, bob (group Users, created 10 days ago, console password with MFA, signed in yesterday), " +
				"has an active access key created 5 seconds after him and never used",
			Why: "An access key made during initial user setup for a console user and never used (CIS 1.10, LD-KEY-04). " +
				"It is 10 days old, so no rotation or unused-credential check fails yet; bob is in Users, so the MFA deny covers him." + gapsNote,
			Fail: plus("LD-KEY-04"),
			Build: variant(func(s *snapshot.Snapshot) {
				created := CollectedAt.AddDate(0, 0, -10)
				r := EmptyRow("bob", accountARN+"user/bob", created)
				r["password_enabled"] = "true"
				r["password_last_used"] = CRTime(CollectedAt.AddDate(0, 0, -1))
				r["password_last_changed"] = CRTime(created)
				r["password_next_rotation"] = CRTime(created.AddDate(0, 0, 90))
				r["mfa_active"] = "true"
				r["access_key_1_active"] = "true"
				r["access_key_1_last_rotated"] = CRTime(created.Add(5 * time.Second))
				addCredUser(s, "bob", created, r)
			}),
		},
		{
			Path: "api-user-without-mfa",
			Change: "a second user, ci (group Users, created 10 days ago), has no console password and no MFA, " +
				"only an access key created with it and used today",
			Why: "Security Hub IAM.19 wants MFA on every IAM user (LD-MFA-04); CIS 1.9 (LD-MFA-03) only on console users, so it passes. " +
				"The key was used, so LD-KEY-04 passes too." + gapsNote,
			Fail: plus("LD-MFA-04"),
			Build: variant(func(s *snapshot.Snapshot) {
				created := CollectedAt.AddDate(0, 0, -10)
				r := EmptyRow("ci", accountARN+"user/ci", created)
				r["access_key_1_active"] = "true"
				r["access_key_1_last_rotated"] = CRTime(created)
				r["access_key_1_last_used_date"] = CRTime(CollectedAt.Add(-time.Hour))
				r["access_key_1_last_used_region"] = "us-east-1"
				r["access_key_1_last_used_service"] = "s3"
				addCredUser(s, "ci", created, r)
			}),
		},
		{
			Path:   "cloudshell-full-access-on-group",
			Change: "the AWS managed policy AWSCloudShellFullAccess is attached to the Users group",
			Why: "An identity with AWSCloudShellFullAccess (CIS 1.21, IAM.27, LD-POL-04). cloudshell:* is a non-IAM action, " +
				"so the group's Deny still refuses it without MFA." + gapsNote,
			Fail: plus("LD-POL-04"),
			Build: variant(func(s *snapshot.Snapshot) {
				g := Group(s, "Users")
				g.AttachedPolicies = append(g.AttachedPolicies, snapshot.AttachedPolicy{Name: "AWSCloudShellFullAccess", ARN: cloudShellARN})
				s.Policies = append(s.Policies, awsManagedPolicy("AWSCloudShellFullAccess", "ANPAZKAPJZG4HEDUXFSA3", "v1", ts("2020-12-15T18:07:44Z"), ts("2020-12-15T18:07:44Z"), 1, `{"Version":"2012-10-17","Statement":[{"Action":["cloudshell:*"],"Resource":"*","Effect":"Allow"}]}`))
			}),
		},
		{
			Path: "support-role",
			Change: "a role SupportRole (tagged owner=security) with the AWS managed policy AWSSupportAccess attached, " +
				"which the own account may assume with MFA",
			Why: "A support role exists (CIS 1.16, IAM.18): LD-ROLE-01 passes. It is tagged and trusts only the account, " +
				"so the other role checks pass on it; the other guide gaps remain.",
			Fail:  without(guideGaps, "LD-ROLE-01"),
			Build: variant(addSupportRole),
		},
		{
			Path:   "tagged-identities",
			Change: "alice is tagged owner=alice and AdminRole owner=platform",
			Why:    "Every user and role carries a tag other than aws: system tags (IAM.24, IAM.25): LD-TAG-01 and LD-TAG-02 pass; the other guide gaps remain.",
			Fail:   without(guideGaps, "LD-TAG-01", "LD-TAG-02"),
			Build: variant(func(s *snapshot.Snapshot) {
				User(s, "alice").Tags = []snapshot.Tag{{Key: "owner", Value: "alice"}}
				Role(s, "AdminRole").Tags = []snapshot.Tag{{Key: "owner", Value: "platform"}}
			}),
		},
		{
			Path:   "admin-policy-not-everything",
			Change: `AdminPolicy allows {"NotAction": ["organizations:*", "account:*"], "Resource": "*"} instead of "*"`,
			Why: "AdminRole still holds administrator-equivalent permissions (iam:* among them), so the guide's checks do not change, " +
				"but the policy no longer grants every action: LD-POL-01 (CIS 1.15) and LD-POL-02 (IAM.1) pass. " +
				"A NotAction Allow still grants whole services (IAM.21, LD-POL-03).",
			Fail: without(guideGaps, "LD-POL-01", "LD-POL-02"),
			Build: variant(func(s *snapshot.Snapshot) {
				EditPolicy(s, AdminPolicyARN, func(d map[string]any) {
					st := Statement(d, "", 0)
					delete(st, "Action")
					st["NotAction"] = []any{"organizations:*", "account:*"}
				})
			}),
		},
		{
			Path: "trust-any-principal-in-org",
			Change: `AdminRole's trust policy Principal is {"AWS": "*"} with the MFA condition and ` +
				`{"StringEquals": {"aws:PrincipalOrgID": "o-exampleorgid"}}`,
			Why: "aws:PrincipalOrgID narrows \"*\" to the organization, so an unrelated account cannot assume the role: LD-ROLE-02 passes. " +
				"The guide wants the own account only, so LD-ADM-03 still fails." + gapsNote,
			Fail: plus("LD-ADM-03"),
			Build: variant(func(s *snapshot.Snapshot) {
				EditTrust(s, func(d map[string]any) {
					st := Statement(d, "", 0)
					st["Principal"] = map[string]any{"AWS": "*"}
					st["Condition"] = map[string]any{
						"Bool":         map[string]any{"aws:MultiFactorAuthPresent": "true"},
						"StringEquals": map[string]any{"aws:PrincipalOrgID": "o-exampleorgid"},
					}
				})
			}),
		},
	}
	for i := range v {
		v[i].Path = "variants/" + v[i].Path + ".json"
	}
	return v
}

func equivalents10() []Scenario {
	v := []Scenario{
		{
			Path:   "admin-policy-empty-notaction",
			Change: `AdminPolicy is written {"Effect": "Allow", "NotAction": [], "Resource": ["*"]}`,
			Why: "An Allow with an empty NotAction excludes nothing: it grants every action, like Action \"*\". " +
				"Every check gives guide-compliant.json's verdict, the full-admin ones (LD-POL-01, LD-POL-02, LD-POL-03) included.",
			Fail: plus(),
			Build: variant(func(s *snapshot.Snapshot) {
				EditPolicy(s, AdminPolicyARN, func(d map[string]any) {
					st := Statement(d, "", 0)
					delete(st, "Action")
					st["NotAction"] = []any{}
					st["Resource"] = []any{"*"}
				})
			}),
		},
	}
	for i := range v {
		v[i].Path = "equivalent/" + v[i].Path + ".json"
	}
	return v
}
