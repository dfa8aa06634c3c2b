package snapshottest

import (
	"testing"

	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

func TestSampleValidatesAndFollowsItsPattern(t *testing.T) {
	s := Sample("111122223333", 30)
	data, err := snapshot.Marshal(Sample("111122223333", 30))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := snapshot.Decode("Sample", data); err != nil {
		t.Fatalf("Sample does not validate: %v", err)
	}
	if len(s.Users) != 30 || len(s.Groups) != 10 || len(s.Roles) != 20 || len(s.Policies) != 13 {
		t.Fatalf("%d users, %d groups, %d roles, %d policies", len(s.Users), len(s.Groups), len(s.Roles), len(s.Policies))
	}
	rows := s.CredentialReport.Rows
	if len(rows) != 31 || rows[0]["user"] != "<root_account>" {
		t.Fatalf("%d rows, first %v", len(rows), rows[0])
	}
	mfa := 0
	for i, r := range rows[1:] {
		if r["arn"] != s.Users[i].ARN || len(r) != len(CredentialReportColumns) {
			t.Errorf("row %d: %v", i+1, r)
		}
		if r["mfa_active"] == "true" {
			mfa++
		}
	}
	if mfa != 15 || s.AccountSummary["MFADevicesInUse"] != 15 {
		t.Errorf("%d users with MFA, summary says %d; want 15", mfa, s.AccountSummary["MFADevicesInUse"])
	}
}
