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

func TestPatternedFollowsItsPattern(t *testing.T) {
	s := Patterned(36, 4, 10)
	if len(s.Users) != 36 || len(s.Roles) != 4 || len(s.Policies) != 10 || len(s.Groups) != 50 || len(s.CredentialReport.Rows) != 37 {
		t.Fatalf("%d users, %d roles, %d policies, %d groups, %d rows", len(s.Users), len(s.Roles), len(s.Policies), len(s.Groups), len(s.CredentialReport.Rows))
	}
	count := map[string]int{}
	for _, r := range s.CredentialReport.Rows[1:] {
		for _, col := range []string{"password_enabled", "mfa_active", "access_key_2_active"} {
			if r[col] == "true" {
				count[col]++
			}
		}
		if r["access_key_1_last_rotated"] == "2024-01-01T00:00:00+00:00" {
			count["old key"]++
		}
	}
	// Of 36 users: 24 with a password (not every 3rd), 18 with MFA, 9 old
	// first keys (every 4th), 4 second keys (every 9th).
	want := map[string]int{"password_enabled": 24, "mfa_active": 18, "old key": 9, "access_key_2_active": 4}
	for k, n := range want {
		if count[k] != n {
			t.Errorf("%s: %d, want %d", k, count[k], n)
		}
	}
	if _, err := snapshot.Marshal(s); err != nil {
		t.Fatal(err)
	}
}
