package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lockdown-dev/lockdown/internal/collect/iamtest"
	"github.com/lockdown-dev/lockdown/internal/findings"
	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

// A live audit against an IAM-compatible endpoint on loopback that serves
// the guide's account: the same verdicts as the offline audit of the
// snapshot, the snapshot saved, and SARIF pointing into it.
func TestLiveAuditAgainstEndpoint(t *testing.T) {
	guide, _, err := snapshot.Load(snapshotPath("guide-as-written.json"))
	if err != nil {
		t.Fatal(err)
	}
	srv := iamtest.NewServer(t, iamtest.FromSnapshot(guide))
	srv.SetEnv(t)
	dir := t.TempDir()
	saved := filepath.Join(dir, "snap.json")
	sarif := filepath.Join(dir, "out", "r.sarif")
	if err := os.MkdirAll(filepath.Dir(sarif), 0o755); err != nil {
		t.Fatal(err)
	}
	awsDir := filepath.Join(dir, "aws")
	if err := os.Mkdir(awsDir, 0o700); err != nil {
		t.Fatal(err)
	}
	// A named --aws-config-dir must exist: usage error, nothing sent.
	if _, stderr, code := run(t, "audit", "--format", "json", "--aws-config-dir", filepath.Join(dir, "no-aws-dir")); code != ExitInput ||
		!strings.Contains(stderr, "no-aws-dir") || srv.Count("GetCallerIdentity") != 0 {
		t.Fatalf("missing --aws-config-dir: exit %d, %d identity requests: %s", code, srv.Count("GetCallerIdentity"), stderr)
	}
	stdout, stderr, code := run(t, "audit", "--format", "json", "--save-snapshot", saved, "-o", "sarif="+sarif,
		"--aws-config-dir", awsDir)
	if code != ExitFindings {
		t.Fatalf("exit %d, want %d (the guide as written has failures); stderr: %s", code, ExitFindings, stderr)
	}
	var rep findings.Report
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("stdout is not the JSON report: %v", err)
	}
	failing := map[string]bool{}
	for _, r := range rep.Results {
		if r.Status == findings.Fail {
			failing[r.CheckID] = true
		}
	}
	for _, id := range []string{"LD-ADM-01", "LD-MFA-01", "LD-ADM-03"} {
		if !failing[id] {
			t.Errorf("live audit: %s does not fail", id)
		}
	}
	if srv.Count("GetAccountAuthorizationDetails") == 0 {
		t.Fatal("no GetAccountAuthorizationDetails request reached the endpoint")
	}
	if _, _, err := snapshot.Load(saved); err != nil {
		t.Fatalf("saved snapshot: %v", err)
	}
	data, err := os.ReadFile(sarif)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "snap.json") {
		t.Fatal("SARIF does not point at the saved snapshot")
	}
	// Without --save-snapshot the evidence SARIF points at is written next
	// to the SARIF file.
	sarif2 := filepath.Join(dir, "ci", "r.sarif")
	if err := os.MkdirAll(filepath.Dir(sarif2), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := run(t, "audit", "--format", "json", "-o", "sarif="+sarif2, "--fail-on", "none",
		"--aws-config-dir", awsDir); code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	beside := filepath.Join(dir, "ci", "lockdown-snapshot-123456789012.json")
	if _, _, err := snapshot.Load(beside); err != nil {
		t.Fatalf("snapshot beside the SARIF: %v", err)
	}
	if strings.Contains(stdout, "wJalrXUtnFEMI") || strings.Contains(string(data), "wJalrXUtnFEMI") {
		t.Fatal("a secret key reached a report")
	}
}
