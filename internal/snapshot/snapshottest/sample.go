package snapshottest

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

// SampleReportGenerated is the credential report time of Sample accounts.
var SampleReportGenerated = time.Date(2026, 11, 27, 5, 0, 0, 0, time.UTC)

// Sample is a small account of a fixed pattern for collector tests: users
// users spread over 10 groups, 20 roles, 10 customer managed policies with
// two versions each and three AWS managed policies (two in use). Every
// second user has a virtual MFA device, every 7th an inline policy, every
// 11th tags and every 13th a permissions boundary; documents carry a "+" and
// a space to test the wire encoding. The caller is the IAM user "auditor".
// Nothing is sorted: tests may index the lists. Documents are kept as
// written (not normalised), as IAM returns them.
func Sample(accountID string, users int) *snapshot.Snapshot {
	base := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	arn := func(kind, name string) string { return "arn:aws:iam::" + accountID + ":" + kind + "/" + name }
	allow := func(action string) json.RawMessage {
		return json.RawMessage(fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":%q,"Resource":"*"}]}`, action))
	}
	s := &snapshot.Snapshot{
		Schema:      snapshot.SchemaV1,
		Generator:   snapshot.Generator{Name: "lockdown-snapshottest", Version: "1"},
		CollectedAt: SampleReportGenerated.Add(time.Minute),
		Account:     snapshot.Account{ID: accountID, Partition: "aws", Aliases: []string{"example-" + accountID}},
		Caller:      &snapshot.Caller{ARN: arn("user", "auditor"), UserID: "AIDAAUDITOR0000000001", Account: accountID},
		Sources:     map[string]snapshot.SourceStatus{},
	}
	admin := snapshot.ManagedPolicy{Name: "AdministratorAccess", ID: "ANPAIWMBCKSKIEE64ZLYK",
		ARN: "arn:aws:iam::aws:policy/AdministratorAccess", Path: "/", DefaultVersionID: "v1", IsAttachable: true,
		CreateDate: base, UpdateDate: base, Description: "Provides full access to AWS services and resources.",
		Versions: []snapshot.PolicyVersion{{VersionID: "v1", IsDefaultVersion: true, CreateDate: base, Document: allow("*")}}}
	readOnly := snapshot.ManagedPolicy{Name: "ReadOnlyAccess", ID: "ANPAILL3HVNFSB6DCOWYQ",
		ARN: "arn:aws:iam::aws:policy/ReadOnlyAccess", Path: "/", DefaultVersionID: "v2", IsAttachable: true,
		CreateDate: base, UpdateDate: base,
		Versions: []snapshot.PolicyVersion{
			{VersionID: "v1", CreateDate: base, Document: allow("s3:Get*")},
			{VersionID: "v2", IsDefaultVersion: true, CreateDate: base, Document: allow("*:Get*")},
		}}
	unused := snapshot.ManagedPolicy{Name: "UnusedAWSPolicy", ID: "ANPAUNUSED0000000000",
		ARN: "arn:aws:iam::aws:policy/UnusedAWSPolicy", Path: "/", DefaultVersionID: "v1", IsAttachable: true,
		CreateDate: base, UpdateDate: base,
		Versions: []snapshot.PolicyVersion{{VersionID: "v1", IsDefaultVersion: true, CreateDate: base, Document: allow("ec2:Describe*")}}}
	s.Policies = append(s.Policies, admin, readOnly, unused)
	for i := 0; i < 10; i++ {
		name := fmt.Sprintf("Policy%02d", i)
		s.Policies = append(s.Policies, snapshot.ManagedPolicy{
			Name: name, ID: fmt.Sprintf("ANPACUSTOM%010d", i), ARN: arn("policy", name), Path: "/",
			DefaultVersionID: "v2", IsAttachable: true, CreateDate: base, UpdateDate: base.Add(time.Hour),
			Versions: []snapshot.PolicyVersion{
				{VersionID: "v1", CreateDate: base, Document: allow(fmt.Sprintf("s3:GetObject%d", i))},
				// A "+" and a space: the decoder must not turn the plus into a space.
				{VersionID: "v2", IsDefaultVersion: true, CreateDate: base.Add(time.Hour), Document: json.RawMessage(fmt.Sprintf(
					`{"Version":"2012-10-17","Statement":[{"Sid":"S%d","Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::bucket+%d/a b/*"}]}`, i, i))},
			},
		})
	}
	attach := func(pi int) []snapshot.AttachedPolicy {
		p := &s.Policies[pi]
		p.AttachmentCount++
		return []snapshot.AttachedPolicy{{Name: p.Name, ARN: p.ARN}}
	}
	for g := 0; g < 10; g++ {
		name := fmt.Sprintf("Group%02d", g)
		grp := snapshot.Group{Name: name, ID: fmt.Sprintf("AGPAGROUP%011d", g), ARN: arn("group", name), Path: "/", CreateDate: base}
		switch g {
		case 0:
			grp.AttachedPolicies = attach(0) // AdministratorAccess
		case 1:
			grp.AttachedPolicies = attach(1) // ReadOnlyAccess
		default:
			grp.AttachedPolicies = attach(3 + g)
			grp.InlinePolicies = []snapshot.InlinePolicy{{Name: "inline-" + name, Document: allow("sqs:SendMessage")}}
		}
		s.Groups = append(s.Groups, grp)
	}
	for i := 0; i < users; i++ {
		name := fmt.Sprintf("user%05d", i)
		u := snapshot.User{Name: name, ID: fmt.Sprintf("AIDAUSER%012d", i), ARN: arn("user", name), Path: "/",
			CreateDate: base.Add(time.Duration(i) * time.Minute), Groups: []string{fmt.Sprintf("Group%02d", i%10)}}
		if i%7 == 0 {
			u.InlinePolicies = []snapshot.InlinePolicy{{Name: "self", Document: allow("iam:ChangePassword")}}
		}
		if i%11 == 0 {
			u.Tags = []snapshot.Tag{{Key: "team", Value: "blue"}, {Key: "env", Value: "prod"}}
		}
		if i%13 == 0 {
			u.PermissionsBoundary = &snapshot.PermissionsBoundary{Type: "PermissionsBoundaryPolicy", ARN: s.Policies[3].ARN}
			s.Policies[3].PermissionsBoundaryUsageCount++
		}
		s.Users = append(s.Users, u)
		if i%2 == 0 {
			enabled := base.Add(time.Duration(i) * time.Minute)
			s.VirtualMFADevices = append(s.VirtualMFADevices, snapshot.VirtualMFADevice{
				SerialNumber: arn("mfa", name), UserARN: u.ARN, UserName: name, EnableDate: &enabled})
		}
	}
	s.VirtualMFADevices = append(s.VirtualMFADevices, snapshot.VirtualMFADevice{SerialNumber: arn("mfa", "unassigned")})
	trust := json.RawMessage(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + accountID + `:root"},"Action":"sts:AssumeRole","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}`)
	for r := 0; r < 20; r++ {
		name := fmt.Sprintf("Role%02d", r)
		msd := int32(3600 * (1 + r%4))
		role := snapshot.Role{Name: name, ID: fmt.Sprintf("AROAROLE%012d", r), ARN: arn("role", name), Path: "/",
			CreateDate: base, AssumeRolePolicyDocument: trust, MaxSessionDuration: &msd,
			Description: "role " + name, AttachedPolicies: attach(3 + r%10)}
		if r%5 == 0 {
			used := base.Add(48 * time.Hour)
			role.RoleLastUsed = &snapshot.RoleLastUsed{LastUsedDate: &used, Region: "eu-west-1"}
			role.InstanceProfiles = []string{arn("instance-profile", name)}
			role.Tags = []snapshot.Tag{{Key: "owner", Value: "ops"}}
		}
		s.Roles = append(s.Roles, role)
	}
	minLen, reuse := int32(14), int32(24)
	s.PasswordPolicy = &snapshot.PasswordPolicy{MinimumPasswordLength: &minLen, RequireSymbols: true,
		RequireNumbers: true, RequireUppercaseCharacters: true, RequireLowercaseCharacters: true,
		AllowUsersToChangePassword: true, PasswordReusePrevention: &reuse}
	s.AccountSummary = map[string]int64{"Users": int64(users), "Groups": 10, "Roles": 20, "Policies": 10,
		"AccountMFAEnabled": 1, "AccountAccessKeysPresent": 0, "UsersQuota": 5000, "MFADevices": int64(len(s.VirtualMFADevices)),
		"MFADevicesInUse": int64((users + 1) / 2)}
	s.CredentialReport = UsersReport(accountID, s.Users, s.VirtualMFADevices, SampleReportGenerated)
	for _, src := range []string{snapshot.SourceCallerIdentity, snapshot.SourceCredentialReport, snapshot.SourceAccountSummary,
		snapshot.SourcePasswordPolicy, snapshot.SourceAccountAliases, snapshot.SourceVirtualMFADevices, snapshot.SourceAuthorizationDetails} {
		s.Sources[src] = snapshot.SourceStatus{Status: snapshot.StatusOK, Requests: 1}
	}
	return s
}

// UsersReport is a credential report generated at generated with a root row
// (MFA on, created 2020-01-01, password never used) and one row per user:
// every user has a console password, changed when the user was created and
// never used, and MFA when one of devices names them.
func UsersReport(accountID string, users []snapshot.User, devices []snapshot.VirtualMFADevice, generated time.Time) *snapshot.CredentialReport {
	root := RootRow(accountID, time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC))
	root["password_last_used"] = "no_information"
	root["mfa_active"] = "true"
	hasMFA := map[string]bool{}
	for _, d := range devices {
		if d.UserName != "" {
			hasMFA[d.UserName] = true
		}
	}
	cr := &snapshot.CredentialReport{
		GeneratedTime: generated,
		Columns:       append([]string(nil), CredentialReportColumns...),
		Rows:          []map[string]string{root},
	}
	for _, u := range users {
		r := EmptyRow(u.Name, u.ARN, u.CreateDate)
		r["password_enabled"] = "true"
		r["password_last_used"] = "no_information"
		r["password_last_changed"] = CRTime(u.CreateDate)
		r["mfa_active"] = fmt.Sprint(hasMFA[u.Name])
		cr.Rows = append(cr.Rows, r)
	}
	return cr
}
