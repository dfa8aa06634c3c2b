package facts

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/lockdown-dev/lockdown/internal/snapshot"
	"github.com/lockdown-dev/lockdown/internal/snapshot/snapshottest"
)

var header = snapshottest.CredentialReportColumns

// The example rows of shared/data/credential-report-columns.md.
var exampleRows = []string{
	"<root_account>,arn:aws:iam::111122223333:root,2015-06-24T12:45:00+00:00,not_supported,2016-10-07T14:30:00+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A",
	"alice,arn:aws:iam::111122223333:user/alice,2020-01-01T00:00:00+00:00,true,2024-05-01T10:00:00+00:00,2020-01-01T00:00:00+00:00,N/A,true,true,2020-01-01T00:00:00+00:00,2024-05-02T00:00:00+00:00,eu-west-1,s3,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A",
	"bob,arn:aws:iam::111122223333:user/bob,2021-03-01T00:00:00+00:00,false,N/A,N/A,N/A,false,true,2021-03-01T00:00:00+00:00,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A",
	"carol,arn:aws:iam::111122223333:user/carol,2022-07-01T00:00:00+00:00,true,no_information,2022-07-01T00:00:00+00:00,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A",
}

func report(cols []string, lines ...string) *snapshot.CredentialReport {
	return snapshottest.ReportFromLines(cols, lines...)
}

func baseSnap() *snapshot.Snapshot {
	return &snapshot.Snapshot{
		Schema:      snapshot.SchemaV1,
		CollectedAt: time.Date(2026, 11, 27, 7, 0, 0, 0, time.UTC),
		Account:     snapshot.Account{ID: "111122223333", Partition: "aws"},
		Sources:     map[string]snapshot.SourceStatus{},
	}
}

func ok(s *snapshot.Snapshot, names ...string) {
	for _, n := range names {
		s.Sources[n] = snapshot.SourceStatus{Status: snapshot.StatusOK}
	}
}

func TestCredentialReportSpecialValuesAreNeverTimes(t *testing.T) {
	s := baseSnap()
	ok(s, snapshot.SourceCredentialReport, snapshot.SourceVirtualMFADevices)
	s.CredentialReport = report(header, exampleRows...)
	f, err := Build(s)
	if err != nil {
		t.Fatal(err)
	}
	if !f.OK(snapshot.SourceCredentialReport) {
		t.Fatalf("credential report marked bad: %+v", f.Sources[snapshot.SourceCredentialReport])
	}
	root := f.CredentialReport.Root
	if root == nil || !root.IsRoot || root.PasswordEnabled != nil || root.PasswordEnabledInfo != InfoNotSupported {
		t.Fatalf("root row: %+v", root)
	}
	if root.PasswordLastUsed == nil || *root.PasswordLastUsed != "2016-10-07T14:30:00Z" {
		t.Fatalf("root password_last_used = %v", root.PasswordLastUsed)
	}
	if root.PasswordLastChanged != nil || root.PasswordLastChangedInfo != InfoNotSupported {
		t.Fatalf("root password_last_changed = %v/%q", root.PasswordLastChanged, root.PasswordLastChangedInfo)
	}
	carol := f.CredentialReport.Users["arn:aws:iam::111122223333:user/carol"]
	if carol.PasswordLastUsed != nil || carol.PasswordLastUsedInfo != InfoNoInformation {
		t.Fatalf("carol password_last_used = %v/%q", carol.PasswordLastUsed, carol.PasswordLastUsedInfo)
	}
	bob := f.CredentialReport.Users["arn:aws:iam::111122223333:user/bob"]
	if bob.PasswordLastUsed != nil || bob.PasswordLastUsedInfo != InfoNA || *bob.PasswordEnabled {
		t.Fatalf("bob: %+v", bob)
	}
	k := bob.AccessKeys[0]
	if !k.Active || k.LastUsedDate != nil || k.LastUsedDateInfo != InfoNA || k.LastRotated == nil || bob.ActiveAccessKeys != 1 {
		t.Fatalf("bob key 1: %+v", k)
	}
	if bob.LastUsed != nil {
		t.Fatalf("bob last_used = %v, want null", *bob.LastUsed)
	}
	alice := f.CredentialReport.Users["arn:aws:iam::111122223333:user/alice"]
	if alice.LastUsed == nil || *alice.LastUsed != "2024-05-02T00:00:00Z" {
		t.Fatalf("alice last_used = %v", alice.LastUsed)
	}
	if *alice.AccessKeys[0].LastUsedRegion != "eu-west-1" || alice.AccessKeys[1].LastUsedRegion != nil {
		t.Fatalf("alice regions: %+v", alice.AccessKeys)
	}
	// The JSON form keeps null times and the special value side by side.
	b, _ := json.Marshal(carol)
	if !strings.Contains(string(b), `"password_last_used":null,"password_last_used_info":"no_information"`) {
		t.Fatalf("carol JSON: %s", b)
	}
}

func TestCredentialReportHeaderCaseAndExtraColumns(t *testing.T) {
	cols := append([]string{}, header...)
	cols[0] = "User" // as the emulator recording writes it
	cols = append(cols, "future_column")
	s := baseSnap()
	ok(s, snapshot.SourceCredentialReport)
	s.CredentialReport = report(cols, exampleRows[1]+",x")
	f, err := Build(s)
	if err != nil {
		t.Fatal(err)
	}
	u := f.CredentialReport.Users["arn:aws:iam::111122223333:user/alice"]
	if u == nil || u.User != "alice" || !u.MFAActive {
		t.Fatalf("alice = %+v (sources %+v)", u, f.Sources)
	}
	if f.CredentialReport.Root != nil || f.Root != nil {
		t.Fatal("no root row expected")
	}
}

func TestCredentialReportMalformedValueIsOneRow(t *testing.T) {
	bad := strings.Replace(exampleRows[2], "2021-03-01T00:00:00+00:00,N/A,N/A,N/A,false", "2021-03-01T00:00:00+00:00,yesterday,N/A,N/A,false", 1)
	s := baseSnap()
	ok(s, snapshot.SourceCredentialReport)
	s.CredentialReport = report(header, exampleRows[0], exampleRows[1], bad, exampleRows[3])
	f, err := Build(s)
	if err != nil {
		t.Fatal(err)
	}
	if !f.OK(snapshot.SourceCredentialReport) {
		t.Fatalf("one bad row must not mark the whole source: %+v", f.Sources[snapshot.SourceCredentialReport])
	}
	if len(f.Problems) != 1 {
		t.Fatalf("problems = %+v", f.Problems)
	}
	p := f.Problems[0]
	if p.Source != snapshot.SourceCredentialReport || p.Item != "credential report line 4 (bob)" ||
		len(p.Resources) != 1 || p.Resources[0] != "arn:aws:iam::111122223333:user/bob" {
		t.Fatalf("problem = %+v", p)
	}
	for _, want := range []string{"line 4", "(bob)", "access_key_1_last_used_date", `"yesterday"`} {
		if !strings.Contains(p.Message, want) {
			t.Errorf("message %q lacks %q", p.Message, want)
		}
	}
	if _, kept := f.CredentialReport.Users["arn:aws:iam::111122223333:user/bob"]; kept {
		t.Fatal("the bad row must not be half-used")
	}
	if u := f.CredentialUnknown["arn:aws:iam::111122223333:user/bob"]; u == nil || u.Name != "bob" {
		t.Fatalf("bob must be credential-unknown: %+v", f.CredentialUnknown)
	}
	if len(f.CredentialReport.Users) != 2 || f.Root == nil {
		t.Fatalf("the other rows must be kept: %d users, root %v", len(f.CredentialReport.Users), f.Root)
	}
}

func TestCredentialReportBadRootRow(t *testing.T) {
	bad := strings.Replace(exampleRows[0], "not_supported,true,false", "not_supported,maybe,false", 1)
	s := baseSnap()
	ok(s, snapshot.SourceCredentialReport)
	s.CredentialReport = report(header, bad, exampleRows[1])
	f, _ := Build(s)
	if f.Root != nil || !strings.Contains(f.RootProblem, "mfa_active") {
		t.Fatalf("root %v, root problem %q", f.Root, f.RootProblem)
	}
	if len(f.Problems) != 1 || f.Problems[0].Resources[0] != f.Account.ARN {
		t.Fatalf("problems = %+v", f.Problems)
	}
}

func TestCrossCheckUsersAndReport(t *testing.T) {
	s := baseSnap()
	ok(s, snapshot.SourceCredentialReport, snapshot.SourceAuthorizationDetails)
	// alice is in both; bob only in the report; dave only in the account's users.
	s.CredentialReport = report(header, exampleRows[0], exampleRows[1], exampleRows[2])
	s.Users = []snapshot.User{
		{Name: "alice", ARN: "arn:aws:iam::111122223333:user/alice"},
		{Name: "dave", ARN: "arn:aws:iam::111122223333:user/dave"},
	}
	f, err := Build(s)
	if err != nil {
		t.Fatal(err)
	}
	dave := f.CredentialUnknown["arn:aws:iam::111122223333:user/dave"]
	if dave == nil || !strings.Contains(dave.Reason, "generated at 2026-11-27T06:00:00Z, 1h0m0s before collection") {
		t.Fatalf("dave: %+v", dave)
	}
	bob := f.PolicyUnknown["arn:aws:iam::111122223333:user/bob"]
	if bob == nil || bob.Type != TypeUser || !strings.Contains(bob.Reason, "not in GetAccountAuthorizationDetails") {
		t.Fatalf("bob: %+v", bob)
	}
	if len(f.CredentialUnknown) != 1 || len(f.PolicyUnknown) != 1 || len(f.Problems) != 2 {
		t.Fatalf("unknown %v %v problems %+v", f.CredentialUnknown, f.PolicyUnknown, f.Problems)
	}
	if f.Problems[0].Source != snapshot.SourceAuthorizationDetails || f.Problems[1].Source != snapshot.SourceCredentialReport {
		t.Fatalf("problems not sorted: %+v", f.Problems)
	}
	// Without authorization details nothing is cross-checked.
	s.Sources[snapshot.SourceAuthorizationDetails] = snapshot.SourceStatus{Status: snapshot.StatusError}
	f, _ = Build(s)
	if len(f.Problems) != 0 {
		t.Fatalf("problems = %+v", f.Problems)
	}
}

func TestUndescribedGroupMakesUserUnknown(t *testing.T) {
	s := baseSnap()
	ok(s, snapshot.SourceAuthorizationDetails)
	s.Users = []snapshot.User{
		{Name: "alice", ARN: "arn:aws:iam::111122223333:user/alice", Groups: []string{"Ghosts"}},
		{Name: "bob", ARN: "arn:aws:iam::111122223333:user/bob"},
	}
	f, _ := Build(s)
	if u := f.PolicyUnknown["arn:aws:iam::111122223333:user/alice"]; u == nil || !strings.Contains(u.Reason, `"Ghosts"`) {
		t.Fatalf("alice: %+v", f.PolicyUnknown)
	}
	if f.IAM.Users["arn:aws:iam::111122223333:user/alice"] != nil || f.IAM.Users["arn:aws:iam::111122223333:user/bob"] == nil {
		t.Fatal("alice must be left out of the analysis, bob kept")
	}
}

func TestCredentialReportMissingColumn(t *testing.T) {
	cols := header[:8] // no access key columns
	s := baseSnap()
	ok(s, snapshot.SourceCredentialReport)
	s.CredentialReport = report(cols, exampleRows[1])
	f, _ := Build(s)
	if msg := f.Sources[snapshot.SourceCredentialReport].ErrorMessage; !strings.Contains(msg, "lacks column(s) access_key_1_active") {
		t.Fatalf("message = %q", msg)
	}
}

func rootRow(mfa bool) string {
	r := exampleRows[0]
	if !mfa {
		r = strings.Replace(r, "not_supported,true,false", "not_supported,false,false", 1)
	}
	return r
}

func TestRootMFAType(t *testing.T) {
	enabled := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		name      string
		mfa       bool
		devicesOK bool
		devices   []snapshot.VirtualMFADevice
		want      string // "" = null
	}{
		{"no mfa", false, true, nil, RootMFANone},
		{"hardware", true, true, []snapshot.VirtualMFADevice{{SerialNumber: "arn:aws:iam::111122223333:mfa/alice", UserARN: "arn:aws:iam::111122223333:user/alice"}}, RootMFAHardware},
		{"virtual by serial", true, true, []snapshot.VirtualMFADevice{{SerialNumber: "arn:aws:iam::111122223333:mfa/root-account-mfa-device", EnableDate: &enabled}}, RootMFAVirtual},
		{"virtual by user arn", true, true, []snapshot.VirtualMFADevice{{SerialNumber: "arn:aws:iam::111122223333:mfa/my-phone", UserARN: "arn:aws:iam::111122223333:root"}}, RootMFAVirtual},
		{"devices unknown", true, false, nil, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := baseSnap()
			ok(s, snapshot.SourceCredentialReport)
			if c.devicesOK {
				ok(s, snapshot.SourceVirtualMFADevices)
			}
			s.CredentialReport = report(header, rootRow(c.mfa))
			s.VirtualMFADevices = c.devices
			f, err := Build(s)
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			if f.Root.RootMFAType != nil {
				got = *f.Root.RootMFAType
			}
			if got != c.want {
				t.Fatalf("root_mfa_type = %q, want %q", got, c.want)
			}
		})
	}
}

func TestIAMJoin(t *testing.T) {
	s := baseSnap()
	ok(s, snapshot.SourceAuthorizationDetails)
	dur := int32(43200)
	s.Policies = []snapshot.ManagedPolicy{
		{Name: "AdminPolicy", ARN: "arn:aws:iam::111122223333:policy/AdminPolicy", DefaultVersionID: "v2", Versions: []snapshot.PolicyVersion{
			{VersionID: "v1", Document: json.RawMessage(`{"Statement":[]}`)},
			{VersionID: "v2", IsDefaultVersion: true, Document: json.RawMessage(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`)},
		}},
		{Name: "Broken", ARN: "arn:aws:iam::111122223333:policy/Broken", DefaultVersionID: "v1", Versions: []snapshot.PolicyVersion{{VersionID: "v1", Document: json.RawMessage(`[1]`)}}},
	}
	s.Groups = []snapshot.Group{{Name: "Administrators", ARN: "arn:aws:iam::111122223333:group/Administrators",
		AttachedPolicies: []snapshot.AttachedPolicy{{Name: "AdminPolicy", ARN: "arn:aws:iam::111122223333:policy/AdminPolicy"}}}}
	s.Users = []snapshot.User{{Name: "alice", ARN: "arn:aws:iam::111122223333:user/alice", Groups: []string{"Administrators", "Gone"},
		AttachedPolicies: []snapshot.AttachedPolicy{{ARN: "arn:aws:iam::aws:policy/ReadOnlyAccess"}},
		InlinePolicies:   []snapshot.InlinePolicy{{Name: "x", Document: json.RawMessage(`{"Statement":[]}`)}}}}
	s.Roles = []snapshot.Role{{Name: "AdminRole", ARN: "arn:aws:iam::111122223333:role/AdminRole", MaxSessionDuration: &dur,
		AssumeRolePolicyDocument: json.RawMessage(`{"Statement":[]}`)}}
	f, err := Build(s)
	if err != nil {
		t.Fatal(err)
	}
	u := f.Users["arn:aws:iam::111122223333:user/alice"]
	if len(u.Groups) != 1 || u.Groups[0] != "arn:aws:iam::111122223333:group/Administrators" || len(u.UnknownGroups) != 1 || u.UnknownGroups[0] != "Gone" {
		t.Fatalf("user groups: %+v", u)
	}
	if strings.Join(u.ManagedPolicies, " ") != "arn:aws:iam::111122223333:policy/AdminPolicy arn:aws:iam::aws:policy/ReadOnlyAccess" {
		t.Fatalf("managed policies: %v", u.ManagedPolicies)
	}
	g := f.Groups["arn:aws:iam::111122223333:group/Administrators"]
	if len(g.Members) != 1 || g.Members[0] != u.ARN {
		t.Fatalf("group members: %v", g.Members)
	}
	p := f.Policies["arn:aws:iam::111122223333:policy/AdminPolicy"]
	st := p.Document.(map[string]any)["Statement"].(map[string]any)
	if st["Action"] != "*" {
		t.Fatalf("default version not decoded: %v", p.Document)
	}
	if b := f.Policies["arn:aws:iam::111122223333:policy/Broken"]; b.Document != nil || !strings.Contains(b.DocumentError, "Broken version v1") {
		t.Fatalf("broken policy: %+v", b)
	}
	if r := f.Roles["arn:aws:iam::111122223333:role/AdminRole"]; *r.MaxSessionDuration != 43200 || r.TrustPolicy == nil {
		t.Fatalf("role: %+v", r)
	}
}

func TestBuildNeedsAccountAndTime(t *testing.T) {
	s := baseSnap()
	s.CollectedAt = time.Time{}
	if _, err := Build(s); err == nil || !strings.Contains(err.Error(), "collected_at") {
		t.Fatalf("err = %v", err)
	}
	s = baseSnap()
	s.Account.ID = ""
	if _, err := Build(s); err == nil || !strings.Contains(err.Error(), "account.id") {
		t.Fatalf("err = %v", err)
	}
	s = baseSnap()
	s.Account.Partition = ""
	f, err := Build(s)
	if err != nil || f.Account.ARN != "arn:aws:iam::111122223333:root" || f.NowEpoch != s.CollectedAt.Unix() || f.CollectedAt != "2026-11-27T07:00:00Z" {
		t.Fatalf("facts = %+v, %v", f, err)
	}
}

func TestAWSConfigPerm(t *testing.T) {
	for mode, want := range map[string]int64{"0600": 0o600, "0644": 0o644, "600": 0o600, "100640": 0o640} {
		s := baseSnap()
		s.AWSConfig = &snapshot.AWSConfig{CredentialsFileFound: true, CredentialsFileMode: mode}
		f, _ := Build(s)
		if f.AWSConfig.CredentialsFilePerm == nil || *f.AWSConfig.CredentialsFilePerm != want {
			t.Errorf("mode %s: perm %v, want %o", mode, f.AWSConfig.CredentialsFilePerm, want)
		}
	}
	s := baseSnap()
	s.AWSConfig = &snapshot.AWSConfig{CredentialsFileMode: "rw-------"}
	if f, _ := Build(s); f.AWSConfig.CredentialsFilePerm != nil {
		t.Error("a non-octal mode must stay unknown")
	}
}

func TestRootHasCredentials(t *testing.T) {
	noMFA := rootRow(false)
	cases := []struct {
		name    string
		summary map[string]int64
		want    string
	}{
		{"unknown", nil, "null"},
		{"summary says none", map[string]int64{"AccountPasswordPresent": 0, "AccountAccessKeysPresent": 0}, "false"},
		{"summary says password", map[string]int64{"AccountPasswordPresent": 1, "AccountAccessKeysPresent": 0}, "null"},
		{"summary lacks the key", map[string]int64{"AccountAccessKeysPresent": 0}, "null"},
	}
	for _, c := range cases {
		s := baseSnap()
		ok(s, snapshot.SourceCredentialReport)
		if c.summary != nil {
			ok(s, snapshot.SourceAccountSummary)
			s.AccountSummary = c.summary
		}
		s.CredentialReport = report(header, noMFA)
		f, _ := Build(s)
		got, _ := json.Marshal(f.Root.HasCredentials)
		if string(got) != c.want {
			t.Errorf("%s: has_credentials = %s, want %s", c.name, got, c.want)
		}
	}
	// A key in the report settles it whatever the summary says.
	s := baseSnap()
	ok(s, snapshot.SourceCredentialReport, snapshot.SourceAccountSummary)
	s.AccountSummary = map[string]int64{"AccountPasswordPresent": 0, "AccountAccessKeysPresent": 0}
	s.CredentialReport = report(header, strings.Replace(noMFA, "false,false,N/A", "false,true,N/A", 1))
	if f, _ := Build(s); f.Root.HasCredentials == nil || !*f.Root.HasCredentials {
		t.Error("an active root key means the root user has credentials")
	}
}

func TestCredentialReportDuplicateRowMakesUserUnknown(t *testing.T) {
	s := baseSnap()
	ok(s, snapshot.SourceCredentialReport)
	s.CredentialReport = report(header, exampleRows[0], exampleRows[1], exampleRows[1], exampleRows[2])
	f, _ := Build(s)
	alice := "arn:aws:iam::111122223333:user/alice"
	if _, kept := f.CredentialReport.Users[alice]; kept || f.CredentialUnknown[alice] == nil {
		t.Fatalf("a user with two rows must be unknown: %+v", f.CredentialUnknown)
	}
	if f.CredentialReport.Users["arn:aws:iam::111122223333:user/bob"] == nil || f.Root == nil {
		t.Fatal("the other rows must be kept")
	}
	if len(f.Problems) != 1 || !strings.Contains(f.Problems[0].Message, "also on line 3") || f.Problems[0].Code != ErrorCodeMalformed {
		t.Fatalf("problems = %+v", f.Problems)
	}
}

func TestRejectedTrustPolicyMakesRoleUnknown(t *testing.T) {
	s := baseSnap()
	ok(s, snapshot.SourceAuthorizationDetails)
	s.Roles = []snapshot.Role{{Name: "R", ARN: "arn:aws:iam::111122223333:role/R",
		AssumeRolePolicyDocument: json.RawMessage(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole","Condition":{"NoSuchOperator":{"a":"b"}}}]}`)}}
	f, _ := Build(s)
	r := f.PolicyUnknown["arn:aws:iam::111122223333:role/R"]
	if r == nil || r.Type != TypeRole || r.Name != "R" || !strings.Contains(r.Reason, "trust policy") {
		t.Fatalf("role: %+v", f.PolicyUnknown)
	}
	if f.IAM.Roles["arn:aws:iam::111122223333:role/R"] != nil {
		t.Fatal("an unknown role must not be analysed")
	}
	if !f.OK(snapshot.SourceAuthorizationDetails) {
		t.Fatal("one bad policy must not mark the whole source")
	}
}

// A bad row of a user GetAccountAuthorizationDetails does not list leaves
// both the user's credentials and policies unknown.
func TestBadOrphanRowIsUnknownBothWays(t *testing.T) {
	bad := strings.Replace(exampleRows[2], "2021-03-01T00:00:00+00:00,N/A,N/A,N/A,false", "2021-03-01T00:00:00+00:00,yesterday,N/A,N/A,false", 1)
	s := baseSnap()
	ok(s, snapshot.SourceCredentialReport, snapshot.SourceAuthorizationDetails)
	s.CredentialReport = report(header, exampleRows[0], exampleRows[1], bad)
	s.Users = []snapshot.User{{Name: "alice", ARN: "arn:aws:iam::111122223333:user/alice"}}
	f, _ := Build(s)
	bob := "arn:aws:iam::111122223333:user/bob"
	if f.CredentialUnknown[bob] == nil || f.PolicyUnknown[bob] == nil || !strings.Contains(f.PolicyUnknown[bob].Reason, "(line 4)") {
		t.Fatalf("credential %+v policy %+v", f.CredentialUnknown, f.PolicyUnknown)
	}
	if len(f.Problems) != 2 {
		t.Fatalf("problems = %+v", f.Problems)
	}
}

// An offline snapshot's source errors reach reports (NOT_ASSESSED messages,
// causes): a secret quoted in one is removed as it is from live errors.
func TestSourceErrorsAreRedacted(t *testing.T) {
	snap := &snapshot.Snapshot{
		Schema: snapshot.SchemaV1, CollectedAt: time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC),
		Account: snapshot.Account{ID: "123456789012", Partition: "aws"},
		Sources: map[string]snapshot.SourceStatus{
			snapshot.SourceCredentialReport: {Status: snapshot.StatusError, Error: &snapshot.SourceError{
				Code: "CredentialsError", Message: `parse error: {"SecretAccessKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}`}},
		},
	}
	f, err := Build(snap)
	if err != nil {
		t.Fatal(err)
	}
	msg := f.Sources[snapshot.SourceCredentialReport].ErrorMessage
	if strings.Contains(msg, "wJalrXUtnFEMI") || !strings.Contains(msg, "parse error") {
		t.Fatalf("source error message %q", msg)
	}
}
