package snapshottest

import (
	"encoding/json"
	"strings"

	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

// hostile is text that must stay inert wherever a name, tag, Sid or policy
// text lands: a screen clear and a bell for terminals, GitHub Actions and
// Azure Pipelines workflow commands on their own lines for CI logs, a
// right-to-left override, raw HTML, a mention, Markdown table cells and
// backticks for PR comments. Account data is hostile input, and snapshots can
// be edited by hand, so it goes beyond the characters IAM allows.
const hostile = "\x1b[2J\a\n::error::pwned\n::add-mask::x\n##vso[task.setvariable variable=x]y\u202e<script>alert(1)</script> @octocat | a | b | `whoami`"

// longName is longer than any name IAM allows (64 for users, 128 for groups
// and roles, 128 for policies).
var longName = strings.Repeat("L", 300)

// inARN is hostile text as it can appear in an ARN of a snapshot that loads:
// the schema's ARN pattern admits anything but a line break in the resource.
func inARN(s string) string { return strings.ReplaceAll(s, "\n", " ") }

func jsonString(s string) string {
	b, err := json.Marshal(s)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func hostileScenario() Scenario {
	return Scenario{
		Path: "hostile.json",
		Change: "guide-compliant plus a user, group, role, managed and inline policy, tags, Sids and CLI profiles whose names and text carry " +
			"terminal escapes (ESC[2J, BEL), CI workflow commands (::error::, ::add-mask::, ##vso[...]) on their own lines, U+202E, raw HTML, " +
			"an @mention, Markdown table pipes, backticks and a 300-character name",
		Why: "The hostile user is in Users and in a hostile group carrying Action * (LD-ADM-01, LD-MFA-01, LD-MFA-02, LD-ADM-02), has an inline policy (LD-GRP-02), " +
			"a console password without MFA (LD-MFA-03) and a key rotated 200 days ago (LD-KEY-01). The hostile role is an admin role trusting the account " +
			"without MFA (LD-ADM-03) for 12-hour sessions (LD-ADM-04); a hostile CLI profile assumes it without mfa_serial (LD-CLI-01). " +
			"The snapshot must load, and every renderer must keep the text inert.",
		Fail: []string{"LD-MFA-01", "LD-MFA-02", "LD-MFA-03", "LD-ADM-01", "LD-ADM-02", "LD-ADM-03", "LD-ADM-04", "LD-GRP-02", "LD-KEY-01", "LD-CLI-01"},
		Build: func() *snapshot.Snapshot {
			s := GuideCompliant()
			userName := "mallory" + hostile + longName
			userARN := accountARN + "user/" + inARN(userName)
			groupName := "ops" + hostile
			groupARN := accountARN + "group/" + inARN(groupName)
			roleName := "break-glass" + hostile
			hostileRoleARN := accountARN + "role/" + inARN(roleName)
			policyName := "Everything" + hostile
			policyARN := accountARN + "policy/" + inARN(policyName)

			everything := `{"Version":"2012-10-17","Statement":[{"Sid":` + jsonString(hostile) + `,"Effect":"Allow","Action":"*","Resource":"*"}]}`
			p := customerPolicy(policyName, hostile, everything, ts("2026-11-01T10:00:00Z"), 2)
			p.ID = ID("ANPA", AccountID+"/policy/hostile")
			p.ARN = policyARN
			s.Policies = append(s.Policies, p)

			s.Groups = append(s.Groups, snapshot.Group{
				Name: groupName, ID: ID("AGPA", AccountID+"/group/hostile"), ARN: groupARN, Path: "/",
				CreateDate:       ts("2026-11-01T10:05:00Z"),
				AttachedPolicies: []snapshot.AttachedPolicy{{Name: policyName, ARN: policyARN}},
			})
			s.Users = append(s.Users, snapshot.User{
				Name: userName, ID: ID("AIDA", AccountID+"/user/hostile"), ARN: userARN, Path: "/",
				CreateDate: ts("2026-03-02T09:00:00Z"), Groups: []string{groupName, "Users"},
				Tags: []snapshot.Tag{{Key: hostile, Value: hostile}, {Key: "team", Value: "<img src=x onerror=alert(1)>"}},
				InlinePolicies: []snapshot.InlinePolicy{{
					Name: hostile,
					Document: Doc(`{"Version":"2012-10-17","Statement":[{"Sid":` + jsonString(hostile) +
						`,"Effect":"Allow","Action":"s3:GetObject","Resource":` + jsonString("arn:aws:s3:::"+inARN(hostile)+"/*") + `}]}`),
				}},
			})
			row := consoleRow(userName, ts("2026-11-26T08:00:00Z"))
			row["arn"] = userARN
			row["mfa_active"] = "false"
			row["access_key_1_active"] = "true"
			row["access_key_1_last_rotated"] = CRTime(CollectedAt.AddDate(0, 0, -200))
			row["access_key_1_last_used_date"] = CRTime(ts("2026-11-27T08:00:00Z"))
			row["access_key_1_last_used_region"] = hostile
			row["access_key_1_last_used_service"] = hostile
			s.CredentialReport.Rows = append(s.CredentialReport.Rows, row)

			trust := `{"Version":"2012-10-17","Statement":[{"Sid":` + jsonString(hostile) +
				`,"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + AccountID + `:root"},"Action":"sts:AssumeRole"}]}`
			s.Roles = append(s.Roles, snapshot.Role{
				Name: roleName, ID: ID("AROA", AccountID+"/role/hostile"), ARN: hostileRoleARN, Path: "/",
				CreateDate: ts("2026-11-01T10:10:00Z"), Description: hostile,
				MaxSessionDuration:       i32(43200),
				AssumeRolePolicyDocument: Doc(trust),
				AttachedPolicies:         []snapshot.AttachedPolicy{{Name: policyName, ARN: policyARN}},
				Tags:                     []snapshot.Tag{{Key: "owner", Value: hostile}},
			})
			s.AWSConfig.Profiles = append(s.AWSConfig.Profiles,
				snapshot.AWSProfile{Name: hostile, RoleARN: hostileRoleARN, SourceProfile: "default"},
				snapshot.AWSProfile{Name: "p" + longName, SourceProfile: hostile},
			)
			s.AccountSummary["Users"]++
			s.AccountSummary["Groups"]++
			s.AccountSummary["Roles"]++
			s.AccountSummary["Policies"]++
			return s
		},
	}
}
