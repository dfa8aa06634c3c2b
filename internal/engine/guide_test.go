package engine

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/lockdown-dev/lockdown/internal/findings"
	"github.com/lockdown-dev/lockdown/internal/snapshot"
	"github.com/lockdown-dev/lockdown/internal/snapshot/snapshottest"
)

var ownChecks = []string{
	"LD-ROOT-01", "LD-ROOT-02", "LD-ROOT-03", "LD-ROOT-04", "LD-PWD-01", "LD-MFA-03", "LD-GRP-02",
	"LD-KEY-01", "LD-KEY-02", "LD-KEY-03", "LD-ADM-04", "LD-CLI-01", "LD-CLI-02", "LD-CLI-03",
}

// guideAccount is the guide's account with the fixes it implies, as
// testdata/snapshots/guide-compliant.json holds it: every check passes.
func guideAccount() *snapshot.Snapshot { return snapshottest.Fixture("guide-compliant.json") }

func statusByCheck(rs []findings.Result) map[string][]string {
	out := map[string][]string{}
	for _, r := range rs {
		out[r.CheckID] = append(out[r.CheckID], string(r.Status)+" "+r.Resource.Name+" "+r.Detail+": "+r.Message)
	}
	return out
}

func TestGuideAccountPasses(t *testing.T) {
	e := newEngine(t, Options{})
	rs := eval(t, e, guideAccount(), ownChecks...)
	by := statusByCheck(rs)
	for _, id := range ownChecks {
		if len(by[id]) == 0 {
			t.Errorf("%s: no result", id)
		}
		for _, line := range by[id] {
			if !strings.HasPrefix(line, "PASS") {
				t.Errorf("%s: %s", id, line)
			}
		}
	}
}

// TestGuideAccountBroken breaks, in one account, what each of ownChecks
// looks at.
func TestGuideAccountBroken(t *testing.T) {
	s := guideAccount()
	root := snapshottest.RootRow(snapshottest.AccountID, time.Date(2015, 6, 24, 12, 45, 0, 0, time.UTC))
	root["password_last_used"] = "2026-11-25T00:00:00+00:00" // recently (LD-ROOT-04)
	root["access_key_1_active"], root["access_key_1_last_rotated"] = "true", "2020-01-01T00:00:00+00:00"
	alice := snapshottest.EmptyRow("alice", snapshottest.AliceARN, time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	for col, v := range map[string]string{
		"password_enabled": "true", "password_last_used": "2026-01-01T00:00:00+00:00", // unused for months (LD-KEY-02)
		"password_last_changed": "2025-01-01T00:00:00+00:00",
		"access_key_1_active":   "true", "access_key_1_last_rotated": "2025-01-01T00:00:00+00:00", // old (LD-KEY-01)
		"access_key_1_last_used_date": "2025-06-01T00:00:00+00:00", "access_key_1_last_used_region": "us-east-1", "access_key_1_last_used_service": "s3",
		"access_key_2_active": "true", "access_key_2_last_rotated": "2026-11-01T00:00:00+00:00", // two active keys (LD-KEY-03)
	} {
		alice[col] = v
	}
	s.CredentialReport.Rows = []map[string]string{root, alice}
	s.PasswordPolicy = nil
	snapshottest.User(s, "alice").InlinePolicies = []snapshot.InlinePolicy{{Name: "mine", Document: json.RawMessage(`{"Statement":[]}`)}}
	twelve := int32(43200)
	snapshottest.Role(s, "AdminRole").MaxSessionDuration = &twelve
	s.AWSConfig.CredentialsFileMode = "0644"
	snapshottest.Profile(s, "admin").MFASerial = ""
	snapshottest.Profile(s, "default").AccessKeyOwnerARN = snapshottest.RootARN
	rs := eval(t, newEngine(t, Options{}), s, ownChecks...)
	by := statusByCheck(rs)
	for _, id := range ownChecks {
		failed := false
		for _, line := range by[id] {
			failed = failed || strings.HasPrefix(line, "FAIL")
		}
		if !failed {
			t.Errorf("%s: no FAIL in %v", id, by[id])
		}
	}
}
