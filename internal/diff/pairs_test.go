package diff

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/lockdown-dev/lockdown/internal/snapshot"
	"github.com/lockdown-dev/lockdown/internal/snapshot/snapshottest"
)

var update = flag.Bool("update", false, "rewrite testdata/drift-new.json")

const acct = "arn:aws:iam::" + snapshottest.AccountID + ":"

// Names of the drifted account.
const (
	renamedPolicyARN = acct + "policy/AssumeAdminRoleV2"
	malloryARN       = acct + "user/mallory"
)

// drifted is guide-compliant.json after four changes: the policy
// AssumeAdminRole replaced by AssumeAdminRoleV2 with the same document
// (IAM cannot rename a policy), AdminRole's trust without its MFA
// condition, a second active access key for alice, and a new user mallory
// with AdminPolicy attached directly and in no group.
func drifted() *snapshot.Snapshot {
	s := snapshottest.GuideCompliant()
	p := snapshottest.Policy(s, snapshottest.AssumeAdminRoleARN)
	p.Name, p.ARN, p.ID = "AssumeAdminRoleV2", renamedPolicyARN, snapshottest.ID("ANPA", renamedPolicyARN)
	admins := snapshottest.Group(s, "Administrators")
	admins.AttachedPolicies = []snapshot.AttachedPolicy{{Name: p.Name, ARN: p.ARN}}

	snapshottest.EditTrust(s, func(d map[string]any) {
		delete(snapshottest.Statement(d, "", 0), "Condition")
	})

	alice := snapshottest.CredRow(s, "alice")
	alice["access_key_2_active"] = "true"
	alice["access_key_2_last_rotated"] = snapshottest.CRTime(time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC))

	created := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	s.Users = append(s.Users, snapshot.User{
		Name: "mallory", ID: snapshottest.ID("AIDA", malloryARN), ARN: malloryARN, Path: "/", CreateDate: created,
		AttachedPolicies: []snapshot.AttachedPolicy{{Name: "AdminPolicy", ARN: snapshottest.AdminPolicyARN}},
	})
	snapshottest.Policy(s, snapshottest.AdminPolicyARN).AttachmentCount++
	s.CredentialReport.Rows = append(s.CredentialReport.Rows, snapshottest.EmptyRow("mallory", malloryARN, created))
	return s
}

func marshal(t *testing.T, s *snapshot.Snapshot) []byte {
	t.Helper()
	data, err := snapshot.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// The bundled pair's NEW side is drifted(), byte for byte, and loads as a
// valid snapshot.
func TestDriftFixtureIsGenerated(t *testing.T) {
	path := filepath.Join("testdata", "drift-new.json")
	want := marshal(t, drifted())
	if *update {
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s is not drifted() (go test ./internal/diff -run TestDriftFixtureIsGenerated -update)", path)
	}
	if _, err := snapshot.Decode(path, got); err != nil {
		t.Fatal(err)
	}
}
