// Package iamtest is an in-process IAM (2010-05-08) and STS (2011-06-15)
// Query API server for tests. It answers with AWS-shaped XML from a small
// account model, counts requests per action and can inject faults.
package iamtest

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/lockdown-dev/lockdown/internal/snapshot"
	"github.com/lockdown-dev/lockdown/internal/snapshot/snapshottest"
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

// BuildCredentialReport makes a CSV with a root row and one row per user:
// every user has a password and MFA when a virtual MFA device names them
// (snapshottest.UsersReport).
func (a *Account) BuildCredentialReport() []byte {
	return snapshottest.CredentialReportCSV(snapshottest.UsersReport(a.ID, a.Users, a.MFADevices, a.ReportGenerated))
}

// Doc turns a JSON text into a policy document for the model.
func Doc(s string) json.RawMessage { return json.RawMessage(s) }

// GenerateAccount serves snapshottest.Sample(id, n): n users spread over 10
// groups, 20 roles, 10 customer managed policies with two versions each and
// two AWS managed policies in use; every second user has a virtual MFA
// device. The credential report is built from Users when requested, so a
// test that changes the users sees them in the report.
func GenerateAccount(id string, n int) *Account {
	a := FromSnapshot(snapshottest.Sample(id, n))
	a.CredentialReport = nil
	return a
}

// FromSnapshot builds an account that serves what s records, so any
// snapshot (a snapshottest fixture, a file under testdata or a collected one)
// can be replayed through the real SDK clients.
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
		a.CredentialReport = snapshottest.CredentialReportCSV(cr)
		a.ReportGenerated = cr.GeneratedTime
	}
	return a
}
