package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lockdown-dev/lockdown/internal/findings"
)

// An audit that lost a permission must not let code scanning close the
// alerts of the previous run: with --baseline, the SARIF of the incomplete
// run keeps the baseline's failures it could not assess, with the same
// fingerprints, and says the run was not successful.
func TestBaselineKeepsUnassessedFailuresInSARIF(t *testing.T) {
	dir := t.TempDir()
	base := filepath.Join(dir, "base.json")
	if _, stderr, code := run(t, "audit", "--snapshot", snapshotPath("guide-as-written.json"), "-o", "json="+base, "--fail-on", "none", "--format", "json"); code != ExitOK {
		t.Fatalf("baseline audit: exit %d: %s", code, stderr)
	}
	var baseRep findings.Report
	data, err := os.ReadFile(base)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &baseRep); err != nil {
		t.Fatal(err)
	}
	// Failures of checks that need authorization_details, which the partial
	// snapshot lacks.
	var carried []findings.Result
	for _, r := range baseRep.Results {
		if r.Status == findings.Fail && (r.CheckID == "LD-ADM-01" || r.CheckID == "LD-MFA-01") {
			carried = append(carried, r)
		}
	}
	if len(carried) == 0 {
		t.Fatal("the guide as written has no LD-ADM-01/LD-MFA-01 failures to carry")
	}

	sarifPath := filepath.Join(dir, "r.sarif")
	_, stderr, code := run(t, "audit", "--snapshot", snapshotPath("partial-access-denied.json"), "--baseline", base,
		"-o", "sarif="+sarifPath, "--fail-on", "none", "--format", "json")
	if code != ExitIncomplete {
		t.Fatalf("exit %d, want 4: %s", code, stderr)
	}
	raw, err := os.ReadFile(sarifPath)
	if err != nil {
		t.Fatal(err)
	}
	var log struct {
		Runs []struct {
			Invocations []struct {
				ExecutionSuccessful bool `json:"executionSuccessful"`
			} `json:"invocations"`
			Results []struct {
				RuleID              string                `json:"ruleId"`
				PartialFingerprints map[string]string     `json:"partialFingerprints"`
				Message             struct{ Text string } `json:"message"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(raw, &log); err != nil {
		t.Fatal(err)
	}
	if len(log.Runs) != 1 || len(log.Runs[0].Invocations) == 0 || log.Runs[0].Invocations[0].ExecutionSuccessful {
		t.Fatalf("an incomplete run must say executionSuccessful false:\n%s", raw)
	}
	kept := map[string]string{}
	for _, r := range log.Runs[0].Results {
		for _, fp := range r.PartialFingerprints {
			kept[fp] = r.Message.Text
		}
	}
	for _, c := range carried {
		msg, ok := kept[c.Fingerprint]
		if !ok {
			t.Errorf("baseline failure %s on %s (fingerprint %s) dropped from the incomplete run's SARIF", c.CheckID, c.Resource.ARN, c.Fingerprint)
			continue
		}
		if !strings.Contains(msg, "failed in the baseline") {
			t.Errorf("%s: kept result does not say why: %q", c.CheckID, msg)
		}
	}

	// A baseline of another account, or a file that is no report, is a
	// usage error before any work.
	other := strings.Replace(string(data), `"account_id": "123456789012"`, `"account_id": "210987654321"`, 1)
	otherPath := filepath.Join(dir, "other.json")
	if err := os.WriteFile(otherPath, []byte(other), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := run(t, "audit", "--snapshot", snapshotPath("partial-access-denied.json"), "--baseline", otherPath, "--format", "json"); code != ExitInput || !strings.Contains(stderr, "210987654321") {
		t.Fatalf("baseline of another account: exit %d: %s", code, stderr)
	}
	if _, stderr, code := run(t, "audit", "--snapshot", snapshotPath("partial-access-denied.json"), "--baseline", snapshotPath("guide-compliant.json"), "--format", "json"); code != ExitInput || !strings.Contains(stderr, "--baseline") {
		t.Fatalf("a snapshot as baseline: exit %d: %s", code, stderr)
	}
	// A broken baseline names the file, line and column.
	broken := filepath.Join(dir, "broken.json")
	if err := os.WriteFile(broken, []byte("{\"schema\": \"lockdown.report/v1\",\n \"results\": [ }"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := run(t, "audit", "--snapshot", snapshotPath("guide-compliant.json"), "--baseline", broken, "--format", "json"); code != ExitInput || !strings.Contains(stderr, broken+":2:16:") {
		t.Fatalf("broken baseline: exit %d: %s", code, stderr)
	}
}
