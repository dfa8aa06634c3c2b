package snapshottest

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

// PatternedAt is the collection time of Patterned accounts.
var PatternedAt = time.Date(2026, 11, 27, 7, 0, 0, 0, time.UTC)

// Patterned is a large, varied account of account GeneratedAccountID whose
// results follow from the index of each entity, so that tests can count
// them: users in two of 50 groups, roles with managed and inline policies,
// customer managed policies of which every 97th is full admin. Of the
// users, every 3rd has no password and every 3rd+1 a password never used;
// every 2nd has MFA (and a virtual device); key 1 of every 4th was rotated
// in 2024 and never used; every 9th has a recent second key; every 10th an
// attached and every 25th an inline policy. Deterministic for a given size.
func Patterned(users, roles, policies int) *snapshot.Snapshot {
	s := &snapshot.Snapshot{
		Schema:      snapshot.SchemaV1,
		CollectedAt: PatternedAt,
		Account:     snapshot.Account{ID: GeneratedAccountID, Partition: "aws"},
		Sources:     map[string]snapshot.SourceStatus{},
	}
	for _, src := range []string{snapshot.SourceCredentialReport, snapshot.SourceVirtualMFADevices, snapshot.SourceAccountSummary,
		snapshot.SourcePasswordPolicy, snapshot.SourceAuthorizationDetails, snapshot.SourceAWSConfig, snapshot.SourceAccountAliases} {
		s.Sources[src] = snapshot.SourceStatus{Status: snapshot.StatusOK}
	}
	s.AccountSummary = map[string]int64{"AccountMFAEnabled": 1, "AccountAccessKeysPresent": 0}
	minLen, reuse := int32(14), int32(24)
	s.PasswordPolicy = &snapshot.PasswordPolicy{MinimumPasswordLength: &minLen, PasswordReusePrevention: &reuse,
		RequireSymbols: true, RequireNumbers: true, RequireUppercaseCharacters: true, RequireLowercaseCharacters: true, AllowUsersToChangePassword: true}
	created := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	arn := func(kind, name string) string { return genARN + kind + "/" + name }
	doc := func(i int) json.RawMessage {
		if i%97 == 0 {
			return json.RawMessage(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`)
		}
		return json.RawMessage(fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Sid":"Read%d","Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::bucket-%d","arn:aws:s3:::bucket-%d/*"]},{"Effect":"Allow","Action":"ec2:Describe*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}},{"Effect":"Deny","NotAction":"iam:*","Resource":"*","Condition":{"Null":{"aws:MultiFactorAuthAge":"true"}}}]}`, i, i, i))
	}
	for i := 0; i < policies; i++ {
		name := fmt.Sprintf("policy-%05d", i)
		s.Policies = append(s.Policies, snapshot.ManagedPolicy{
			Name: name, ARN: arn("policy", name), Path: "/", DefaultVersionID: "v1", AttachmentCount: 1, IsAttachable: true,
			CreateDate: created, UpdateDate: created,
			Versions: []snapshot.PolicyVersion{{VersionID: "v1", IsDefaultVersion: true, CreateDate: created, Document: doc(i)}},
		})
	}
	attached := func(i int) []snapshot.AttachedPolicy {
		if policies == 0 {
			return nil
		}
		p := s.Policies[i%policies]
		return []snapshot.AttachedPolicy{{Name: p.Name, ARN: p.ARN}}
	}
	const groups = 50
	for g := 0; g < groups; g++ {
		name := fmt.Sprintf("group-%02d", g)
		s.Groups = append(s.Groups, snapshot.Group{Name: name, ARN: arn("group", name), Path: "/", CreateDate: created,
			AttachedPolicies: attached(g * 7)})
	}
	trust := json.RawMessage(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"` + genARN + `root"},"Action":"sts:AssumeRole","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}`)
	for i := 0; i < roles; i++ {
		name := fmt.Sprintf("role-%05d", i)
		dur := int32(3600 * (1 + i%12))
		s.Roles = append(s.Roles, snapshot.Role{
			Name: name, ARN: arn("role", name), Path: "/", CreateDate: created, MaxSessionDuration: &dur,
			AssumeRolePolicyDocument: trust,
			AttachedPolicies:         append(attached(i), attached(i*3+1)...),
			InlinePolicies:           []snapshot.InlinePolicy{{Name: "inline", Document: doc(i + 1)}},
		})
	}
	root := RootRow(GeneratedAccountID, time.Date(2015, 6, 24, 12, 45, 0, 0, time.UTC))
	root["password_last_used"] = "2026-01-01T00:00:00+00:00"
	root["mfa_active"] = "true"
	rows := []map[string]string{root}
	key := func(r map[string]string, n int, rotated, used, region, service string) {
		p := fmt.Sprintf("access_key_%d_", n)
		r[p+"active"], r[p+"last_rotated"], r[p+"last_used_date"], r[p+"last_used_region"], r[p+"last_used_service"] = "true", rotated, used, region, service
	}
	for i := 0; i < users; i++ {
		name := fmt.Sprintf("user-%05d", i)
		u := snapshot.User{Name: name, ARN: arn("user", name), Path: "/", CreateDate: created,
			Groups: []string{fmt.Sprintf("group-%02d", i%groups), fmt.Sprintf("group-%02d", (i*7)%groups)}}
		if i%10 == 0 {
			u.AttachedPolicies = attached(i)
		}
		if i%25 == 0 {
			u.InlinePolicies = []snapshot.InlinePolicy{{Name: "own", Document: doc(i)}}
		}
		s.Users = append(s.Users, u)
		r := EmptyRow(name, u.ARN, created)
		switch i % 3 {
		case 1:
			r["password_enabled"], r["password_last_used"], r["password_last_changed"] = "true", "no_information", CRTime(created)
		case 2:
			r["password_enabled"], r["password_last_used"], r["password_last_changed"] = "true", "2026-11-01T00:00:00+00:00", CRTime(created)
		}
		r["mfa_active"] = fmt.Sprint(i%2 == 0)
		if i%4 == 0 {
			key(r, 1, "2024-01-01T00:00:00+00:00", "N/A", "N/A", "N/A")
		} else {
			key(r, 1, "2026-10-01T00:00:00+00:00", "2026-11-26T00:00:00+00:00", "us-east-1", "s3")
		}
		if i%9 == 0 {
			key(r, 2, "2026-11-01T00:00:00+00:00", "2026-11-02T00:00:00+00:00", "eu-west-1", "ec2")
		}
		rows = append(rows, r)
		if i%2 == 0 {
			s.VirtualMFADevices = append(s.VirtualMFADevices, snapshot.VirtualMFADevice{SerialNumber: arn("mfa", name), UserARN: u.ARN, UserName: name})
		}
	}
	s.CredentialReport = &snapshot.CredentialReport{GeneratedTime: time.Date(2026, 11, 27, 6, 0, 0, 0, time.UTC),
		Columns: append([]string(nil), CredentialReportColumns...), Rows: rows}
	s.AWSConfig = &snapshot.AWSConfig{Dir: "/home/u/.aws", CredentialsFileFound: true, ConfigFileFound: true, CredentialsFileMode: "0600",
		Profiles: []snapshot.AWSProfile{
			{Name: "default", AccessKeyID: "AKIAEXAMPLE000000001", AccessKeyOwnerARN: arn("user", "user-00001")},
			{Name: "admin", RoleARN: arn("role", "role-00000"), SourceProfile: "default", MFASerial: arn("mfa", "user-00001")},
		}}
	snapshot.Normalize(s)
	return s
}
