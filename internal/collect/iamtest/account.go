// Package iamtest is an in-process AWS API server for tests: IAM
// (2010-05-08) and STS (2011-06-15) over the Query protocol, and, for the
// sources beyond IAM, EC2 (its Query dialect), the Account Management API,
// IAM Access Analyzer and Lambda (REST-JSON). It answers with AWS-shaped
// responses from a small account model, counts requests per action and
// region and can inject faults.
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

	ServerCertificates []snapshot.ServerCertificate
	// Regions are the partition's regions with the account's opt status
	// (ENABLED, ENABLED_BY_DEFAULT, DISABLED...): account:ListRegions
	// lists them, and EC2 and Access Analyzer answer only in the enabled
	// ones.
	Regions         []snapshot.Region
	AccessAnalyzers map[string][]snapshot.AccessAnalyzer // by region
	EC2Instances    map[string][]snapshot.EC2Instance    // by region
	LambdaFunctions map[string][]snapshot.LambdaFunction // by region
	// SecurityContact nil: GetAlternateContact answers ResourceNotFoundException.
	SecurityContact *snapshot.AlternateContact
	// OrganizationsFeatures nil and OrganizationsError "": the account is
	// in no organization (ListOrganizationsFeatures answers
	// OrganizationNotFoundException).
	OrganizationsFeatures *snapshot.OrganizationsFeatures
	// OrganizationsError is the error code ListOrganizationsFeatures
	// answers with, e.g. AccountNotManagementOrDelegatedAdministratorException
	// for a member account.
	OrganizationsError string
	// Organization is the account's organization as Organizations answers
	// it (nil: in no organization, AWSOrganizationsNotInUseException).
	// OrganizationDenied: the account is a member that is not a delegated
	// administrator, refused everything but DescribeOrganization.
	Organization       *snapshot.Organization
	OrganizationDenied bool
	// RegionErrors are answered instead of the model (before any fault
	// a test sets with FailIn).
	RegionErrors []RegionError
}

// NewAccount returns an empty account whose caller is an IAM user
// "auditor": the 17 default regions enabled, nothing in them, no security
// contact and no organization.
func NewAccount(id string) *Account {
	return &Account{
		ID:              id,
		CallerARN:       "arn:aws:iam::" + id + ":user/auditor",
		CallerUserID:    "AIDAAUDITOR0000000001",
		Summary:         map[string]int64{},
		ReportGenerated: time.Date(2026, 11, 27, 5, 0, 0, 0, time.UTC),
		Regions:         DefaultRegions(),
		AccessAnalyzers: map[string][]snapshot.AccessAnalyzer{},
		EC2Instances:    map[string][]snapshot.EC2Instance{},
		LambdaFunctions: map[string][]snapshot.LambdaFunction{},
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
// device. The sources beyond IAM are snapshottest.SampleSources': 17
// regions with an analyzer each, a few instances, three server
// certificates, a security contact and an organization. The credential
// report is built from Users when requested, so a test that changes the
// users sees them in the report.
func GenerateAccount(id string, n int) *Account {
	s := snapshottest.Sample(id, n)
	snapshottest.SampleSources(s)
	a := FromSnapshot(s)
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
	fromSnapshotSources(a, s)
	return a
}

// fromSnapshotSources sets the sources beyond IAM from s. A snapshot that
// never collected them (older fixtures) is served as NewAccount's: the
// default regions with nothing in them, no security contact, no
// organization. A recorded region error, and a recorded error of
// organizations_features, is served again, so a replay reads what the
// recording read.
func fromSnapshotSources(a *Account, s *snapshot.Snapshot) {
	a.ServerCertificates = append([]snapshot.ServerCertificate(nil), s.ServerCertificates...)
	if len(s.Regions) > 0 {
		a.Regions = withOptIns(s.Regions)
	}
	for _, r := range s.AccessAnalyzers {
		a.AccessAnalyzers[r.Region] = append([]snapshot.AccessAnalyzer(nil), r.Analyzers...)
		if r.Error != nil {
			a.RegionErrors = append(a.RegionErrors, RegionError{Action: "ListAnalyzers", Region: r.Region, Code: r.Error.Code, Message: unprefixed(r.Error.Message, "ListAnalyzers")})
		}
	}
	for _, r := range s.EC2Instances {
		a.EC2Instances[r.Region] = append([]snapshot.EC2Instance(nil), r.Instances...)
		if r.Error != nil {
			a.RegionErrors = append(a.RegionErrors, RegionError{Action: "DescribeInstances", Region: r.Region, Code: r.Error.Code, Message: unprefixed(r.Error.Message, "DescribeInstances")})
		}
	}
	for _, r := range s.LambdaFunctions {
		a.LambdaFunctions[r.Region] = append([]snapshot.LambdaFunction(nil), r.Functions...)
		if r.Error != nil {
			a.RegionErrors = append(a.RegionErrors, RegionError{Action: "ListFunctions", Region: r.Region, Code: r.Error.Code, Message: unprefixed(r.Error.Message, "ListFunctions")})
		}
	}
	if c := s.SecurityContact; c != nil {
		cc := *c
		a.SecurityContact = &cc
	}
	if f := s.OrganizationsFeatures; f != nil {
		a.OrganizationsFeatures = &snapshot.OrganizationsFeatures{OrganizationID: f.OrganizationID,
			EnabledFeatures: append([]string{}, f.EnabledFeatures...)}
	}
	if st, ok := s.Sources[snapshot.SourceOrganizationsFeatures]; ok && st.Error != nil {
		a.OrganizationsError = st.Error.Code
	}
	a.Organization = s.Organization
	if st, ok := s.Sources[snapshot.SourceOrganization]; ok && st.Error != nil {
		a.OrganizationDenied = true
	}
}

// RegionError is an error the server answers an action with in one region.
type RegionError struct {
	Action, Region, Code, Message string
}

// unprefixed drops the "Operation: " the collector puts before AWS's message.
func unprefixed(msg, op string) string {
	return strings.TrimPrefix(msg, op+": ")
}
