package snapshottest

import (
	"time"

	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

// checksReadingCredentials judge IAM users from their credential report rows.
var checksReadingCredentials = []string{"LD-MFA-03", "LD-KEY-01", "LD-KEY-02", "LD-KEY-03"}

// checksReadingUserPolicies judge IAM users from their groups and policies.
var checksReadingUserPolicies = []string{"LD-MFA-01", "LD-MFA-02", "LD-ADM-01", "LD-ADM-02", "LD-GRP-01", "LD-PE-01"}

// incompletes are guide-compliant accounts in which one item is missing or
// unusable. Only the checks that depend on it are NOT_ASSESSED (never PASS);
// everything else is still judged.
func incompletes() []Scenario {
	v := []Scenario{
		{
			Path: "user-missing-from-report",
			Change: "user bob (group Users) was created at 10:30, after the credential report was generated (09:00): " +
				"GetAccountAuthorizationDetails lists him, the report does not",
			Why: "IAM serves a credential report up to 4 hours old, so new users are missing from it. bob's password, MFA and keys are unknown: " +
				"every check that reads the report per user is NOT_ASSESSED for him, with the report's age. His policies are known and judged.",
			NotAssessed: checksReadingCredentials,
			Build: variant(func(s *snapshot.Snapshot) {
				s.CredentialReport.GeneratedTime = ts("2026-11-27T09:00:00Z")
				addUser(s, "bob", ts("2026-11-27T10:30:00Z"), "Users")
			}),
		},
		{
			Path:   "orphan-report-row",
			Change: "the credential report has a row for carol, whom GetAccountAuthorizationDetails does not list",
			Why: "carol's groups and policies are unknown (she may have been created while the details were paged, or deleted since the report): " +
				"every check that reads a user's policies is NOT_ASSESSED for her, and LD-GRP-02 does not claim she has none. Her credential row is judged.",
			NotAssessed: append(append([]string{}, checksReadingUserPolicies...), "LD-GRP-02"),
			Build: variant(func(s *snapshot.Snapshot) {
				s.CredentialReport.Rows = append(s.CredentialReport.Rows, consoleRow("carol", ts("2026-11-20T08:00:00Z")))
			}),
		},
		{
			Path:   "no-users-but-report-rows",
			Change: "GetAccountAuthorizationDetails lists no users while the credential report lists alice",
			Why: "An empty user list beside a report with users is not \"the account has no IAM users\": alice's policies are unknown, " +
				"so every check that reads a user's policies is NOT_ASSESSED for her. Groups and roles are still judged.",
			NotAssessed: append(append([]string{}, checksReadingUserPolicies...), "LD-GRP-02"),
			Build:       variant(func(s *snapshot.Snapshot) { s.Users = nil }),
		},
		{
			Path:   "undescribed-group",
			Change: "alice is also in group Contractors, which the snapshot does not describe (concurrent pagination can produce this)",
			Why: "Contractors' policies are unknown, so whatever alice may do is unknown: her policy checks are NOT_ASSESSED, as with a missing attached policy. " +
				"Her own policies (none) are known, so LD-GRP-02 is judged.",
			NotAssessed: checksReadingUserPolicies,
			Build: variant(func(s *snapshot.Snapshot) {
				User(s, "alice").Groups = []string{"Administrators", "Contractors", "Users"}
			}),
		},
		{
			Path:   "bad-report-cell",
			Change: `alice's credential report row has mfa_active "yes" (not TRUE or FALSE)`,
			Why: "Only alice's row is unusable: the checks that read it are NOT_ASSESSED for her, naming the line and column. " +
				"The root row is read as usual, so LD-ROOT-* are judged.",
			NotAssessed: checksReadingCredentials,
			Build:       variant(func(s *snapshot.Snapshot) { CredRow(s, "alice")["mfa_active"] = "yes" }),
		},
		{
			Path:   "rejected-policy",
			Change: `AssumeAdminRole (on Administrators) has "Effect": "Permit", which IAM would reject`,
			Why: "The policy cannot be evaluated, so what Administrators and its member alice may do is unknown: their policy checks are NOT_ASSESSED, naming the policy. " +
				"Users, AdminRole and every credential check are judged as usual.",
			NotAssessed: checksReadingUserPolicies,
			Build: variant(func(s *snapshot.Snapshot) {
				EditPolicy(s, AssumeAdminRoleARN, func(d map[string]any) { Statement(d, "", 0)["Effect"] = "Permit" })
			}),
		},
	}
	v = append(v, sourcesIncompletes()...)
	for i := range v {
		v[i].Path = "incomplete/" + v[i].Path + ".json"
	}
	return v
}

// addUser adds a user without credentials to the snapshot's users (not to
// the credential report).
func addUser(s *snapshot.Snapshot, name string, created time.Time, groups ...string) {
	s.Users = append(s.Users, snapshot.User{
		Name: name, ID: ID("AIDA", AccountID+"/user/"+name), ARN: accountARN + "user/" + name, Path: "/",
		CreateDate: created, Groups: groups,
	})
	s.AccountSummary["Users"]++
}

// consoleRow is a credential report row for a user with a console password
// and MFA, last signed in at used.
func consoleRow(name string, used time.Time) map[string]string {
	r := EmptyRow(name, accountARN+"user/"+name, ts("2026-03-02T09:00:00Z"))
	r["password_enabled"] = "true"
	r["password_last_used"] = CRTime(used)
	r["password_last_changed"] = CRTime(ts("2026-03-02T09:00:00Z"))
	r["mfa_active"] = "true"
	return r
}
