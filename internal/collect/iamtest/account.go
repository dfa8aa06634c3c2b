// Package iamtest is an in-process IAM (2010-05-08) and STS (2011-06-15)
// Query API server for tests. It answers with AWS-shaped XML from a small
// account model, counts requests per action and can inject faults.
package iamtest

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

// Account is the model the server answers from. Policy documents are plain
// JSON; the server URL-encodes them on the wire as IAM does.
type Account struct {
	ID           string
	CallerARN    string // sts:GetCallerIdentity Arn
	CallerUserID string

	Aliases []string
	Summary map[string]int64
	// PasswordPolicy nil: GetAccountPasswordPolicy answers NoSuchEntity.
	PasswordPolicy *snapshot.PasswordPolicy
	MFADevices     []snapshot.VirtualMFADevice
	// MFASeeds makes ListVirtualMFADevices include Base32StringSeed and
	// QRCodePNG, to test that a collector drops them.
	MFASeeds bool

	Users    []snapshot.User
	Groups   []snapshot.Group
	Roles    []snapshot.Role
	Policies []snapshot.ManagedPolicy // customer and AWS managed

	// CredentialReport is the CSV served by GetCredentialReport; nil means
	// "build it from Users".
	CredentialReport []byte
	ReportGenerated  time.Time
}

// NewAccount returns an empty account whose caller is an IAM user "auditor".
func NewAccount(id string) *Account {
	return &Account{
		ID:              id,
		CallerARN:       "arn:aws:iam::" + id + ":user/auditor",
		CallerUserID:    "AIDAAUDITOR0000000001",
		Summary:         map[string]int64{},
		ReportGenerated: time.Date(2026, 11, 27, 5, 0, 0, 0, time.UTC),
	}
}

// IsAWSManaged reports whether arn is an AWS managed policy.
func IsAWSManaged(arn string) bool {
	parts := strings.SplitN(arn, ":", 6)
	return len(parts) == 6 && parts[4] == "aws"
}

// CredentialReportHeader is the documented 22-column header.
var CredentialReportHeader = []string{
	"user", "arn", "user_creation_time", "password_enabled", "password_last_used", "password_last_changed",
	"password_next_rotation", "mfa_active", "access_key_1_active", "access_key_1_last_rotated",
	"access_key_1_last_used_date", "access_key_1_last_used_region", "access_key_1_last_used_service",
	"access_key_2_active", "access_key_2_last_rotated", "access_key_2_last_used_date",
	"access_key_2_last_used_region", "access_key_2_last_used_service", "cert_1_active",
	"cert_1_last_rotated", "cert_2_active", "cert_2_last_rotated",
}

// BuildCredentialReport makes a CSV with a root row and one row per user:
// every user has a password and MFA when a virtual MFA device names them.
func (a *Account) BuildCredentialReport() []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write(CredentialReportHeader)
	root := []string{"<root_account>", "arn:aws:iam::" + a.ID + ":root", "2020-01-01T00:00:00+00:00",
		"not_supported", "no_information", "not_supported", "not_supported", "true",
		"false", "N/A", "N/A", "N/A", "N/A", "false", "N/A", "N/A", "N/A", "N/A", "false", "N/A", "false", "N/A"}
	_ = w.Write(root)
	hasMFA := map[string]bool{}
	for _, d := range a.MFADevices {
		if d.UserName != "" {
			hasMFA[d.UserName] = true
		}
	}
	for _, u := range a.Users {
		created := u.CreateDate.UTC().Format("2006-01-02T15:04:05+00:00")
		_ = w.Write([]string{u.Name, u.ARN, created, "true", "no_information", created, "N/A",
			fmt.Sprint(hasMFA[u.Name]), "false", "N/A", "N/A", "N/A", "N/A",
			"false", "N/A", "N/A", "N/A", "N/A", "false", "N/A", "false", "N/A"})
	}
	w.Flush()
	return buf.Bytes()
}

// Doc turns a JSON text into a policy document for the model.
func Doc(s string) json.RawMessage { return json.RawMessage(s) }

// GenerateAccount builds an account with n users spread over 10 groups, 20
// roles, 10 customer managed policies with two versions each and two AWS
// managed policies in use. Every second user has a virtual MFA device.
func GenerateAccount(id string, n int) *Account {
	a := NewAccount(id)
	base := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	arn := func(kind, name string) string { return "arn:aws:iam::" + id + ":" + kind + "/" + name }
	allow := func(action string) json.RawMessage {
		return Doc(fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":%q,"Resource":"*"}]}`, action))
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
	a.Policies = append(a.Policies, admin, readOnly, unused)
	for i := 0; i < 10; i++ {
		name := fmt.Sprintf("Policy%02d", i)
		a.Policies = append(a.Policies, snapshot.ManagedPolicy{
			Name: name, ID: fmt.Sprintf("ANPACUSTOM%010d", i), ARN: arn("policy", name), Path: "/",
			DefaultVersionID: "v2", IsAttachable: true, CreateDate: base, UpdateDate: base.Add(time.Hour),
			Versions: []snapshot.PolicyVersion{
				{VersionID: "v1", CreateDate: base, Document: allow(fmt.Sprintf("s3:GetObject%d", i))},
				// A "+" and a space: the decoder must not turn the plus into a space.
				{VersionID: "v2", IsDefaultVersion: true, CreateDate: base.Add(time.Hour), Document: Doc(fmt.Sprintf(
					`{"Version":"2012-10-17","Statement":[{"Sid":"S%d","Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::bucket+%d/a b/*"}]}`, i, i))},
			},
		})
	}
	attach := func(pi int) []snapshot.AttachedPolicy {
		p := &a.Policies[pi]
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
		a.Groups = append(a.Groups, grp)
	}
	for i := 0; i < n; i++ {
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
			u.PermissionsBoundary = &snapshot.PermissionsBoundary{Type: "PermissionsBoundaryPolicy", ARN: a.Policies[3].ARN}
			a.Policies[3].PermissionsBoundaryUsageCount++
		}
		a.Users = append(a.Users, u)
		if i%2 == 0 {
			enabled := base.Add(time.Duration(i) * time.Minute)
			a.MFADevices = append(a.MFADevices, snapshot.VirtualMFADevice{
				SerialNumber: arn("mfa", name), UserARN: u.ARN, UserName: name, EnableDate: &enabled})
		}
	}
	a.MFADevices = append(a.MFADevices, snapshot.VirtualMFADevice{SerialNumber: arn("mfa", "unassigned")})
	trust := Doc(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + id + `:root"},"Action":"sts:AssumeRole","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}`)
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
		a.Roles = append(a.Roles, role)
	}
	a.Aliases = []string{"example-" + id}
	a.PasswordPolicy = &snapshot.PasswordPolicy{MinimumPasswordLength: ptr(int32(14)), RequireSymbols: true,
		RequireNumbers: true, RequireUppercaseCharacters: true, RequireLowercaseCharacters: true,
		AllowUsersToChangePassword: true, PasswordReusePrevention: ptr(int32(24))}
	a.Summary = map[string]int64{"Users": int64(n), "Groups": 10, "Roles": 20, "Policies": 10,
		"AccountMFAEnabled": 1, "AccountAccessKeysPresent": 0, "UsersQuota": 5000, "MFADevices": int64(len(a.MFADevices)),
		"MFADevicesInUse": int64((n + 1) / 2)}
	return a
}

func ptr[T any](v T) *T { return &v }

// FromSnapshot builds an account that serves what s records, so a snapshot
// (hand-made or collected) can be replayed through the real SDK clients.
// The credential report is rewritten as CSV from its columns and rows.
func FromSnapshot(s *snapshot.Snapshot) *Account {
	a := NewAccount(s.Account.ID)
	if s.Caller != nil {
		a.CallerARN, a.CallerUserID = s.Caller.ARN, s.Caller.UserID
	}
	a.Aliases = append([]string(nil), s.Account.Aliases...)
	a.Summary = map[string]int64{}
	for k, v := range s.AccountSummary {
		a.Summary[k] = v
	}
	a.PasswordPolicy = s.PasswordPolicy
	a.MFADevices = append([]snapshot.VirtualMFADevice(nil), s.VirtualMFADevices...)
	a.Users = append([]snapshot.User(nil), s.Users...)
	a.Groups = append([]snapshot.Group(nil), s.Groups...)
	a.Roles = append([]snapshot.Role(nil), s.Roles...)
	a.Policies = append([]snapshot.ManagedPolicy(nil), s.Policies...)
	if cr := s.CredentialReport; cr != nil {
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		_ = w.Write(cr.Columns)
		for _, row := range cr.Rows {
			rec := make([]string, len(cr.Columns))
			for i, c := range cr.Columns {
				rec[i] = row[c]
			}
			_ = w.Write(rec)
		}
		w.Flush()
		a.CredentialReport = buf.Bytes()
		a.ReportGenerated = cr.GeneratedTime
	}
	return a
}
