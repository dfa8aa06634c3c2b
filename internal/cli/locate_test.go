package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/lockdown-dev/lockdown/internal/findings"
	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

type sarifRegions struct {
	Runs []struct {
		Results []struct {
			PartialFingerprints map[string]string `json:"partialFingerprints"`
			Locations           []struct {
				PhysicalLocation struct {
					Region struct {
						StartLine int `json:"startLine"`
						EndLine   int `json:"endLine"`
					} `json:"region"`
				} `json:"physicalLocation"`
			} `json:"locations"`
		} `json:"results"`
	} `json:"runs"`
}

// regions maps each SARIF result's fingerprint to its lines.
func regions(t *testing.T, raw []byte) map[string][2]int {
	t.Helper()
	var log sarifRegions
	if err := json.Unmarshal(raw, &log); err != nil {
		t.Fatal(err)
	}
	out := map[string][2]int{}
	for _, r := range log.Runs[0].Results {
		reg := r.Locations[0].PhysicalLocation.Region
		for _, fp := range r.PartialFingerprints {
			out[fp] = [2]int{reg.StartLine, reg.EndLine}
		}
	}
	return out
}

// Every result of the JSON report has a location, and SARIF prints the
// same lines for the same result.
func TestJSONAndSARIFAgreeOnLocations(t *testing.T) {
	for _, name := range []string{"guide-as-written.json", "root-keys-in-cli-config.json", "variants/admin-profile-without-mfa-serial.json"} {
		args := []string{"audit", "--snapshot", snapshotPath(name), "--fail-on", "none", "--allow-incomplete", "--format"}
		jsonOut, stderr, code := run(t, append(args, "json")...)
		if code != ExitOK {
			t.Fatalf("%s: exit %d: %s", name, code, stderr)
		}
		sarifOut, stderr, code := run(t, append(args, "sarif")...)
		if code != ExitOK {
			t.Fatalf("%s: exit %d: %s", name, code, stderr)
		}
		var rep findings.Report
		if err := json.Unmarshal([]byte(jsonOut), &rep); err != nil {
			t.Fatal(err)
		}
		got := regions(t, []byte(sarifOut))
		if len(got) == 0 {
			t.Fatalf("%s: no SARIF results", name)
		}
		for _, r := range rep.Results {
			if r.Location == nil || r.Location.StartLine < 1 || r.Location.EndLine < r.Location.StartLine {
				t.Errorf("%s: %s on %s: location %+v", name, r.CheckID, r.Resource.ARN, r.Location)
				continue
			}
			if lines, ok := got[r.Fingerprint]; ok && lines != [2]int{r.Location.StartLine, r.Location.EndLine} {
				t.Errorf("%s: %s on %s: SARIF lines %v, JSON %+v", name, r.CheckID, r.Resource.ARN, lines, *r.Location)
			}
		}
	}
}

// The baseline failures SARIF keeps point into this run's snapshot, not at
// the lines the baseline report recorded for its own.
func TestBaselineLocatedInThisSnapshot(t *testing.T) {
	dir := t.TempDir()
	base := filepath.Join(dir, "base.json")
	if _, stderr, code := run(t, "audit", "--snapshot", snapshotPath("guide-as-written.json"), "-o", "json="+base, "--fail-on", "none", "--format", "json"); code != ExitOK {
		t.Fatalf("baseline audit: exit %d: %s", code, stderr)
	}
	data, err := os.ReadFile(base)
	if err != nil {
		t.Fatal(err)
	}
	// Lines no snapshot here has.
	stale := regexp.MustCompile(`"(start|end)_line": \d+`).ReplaceAll(data, []byte(`"${1}_line": 99999`))
	if err := os.WriteFile(base, stale, 0o600); err != nil {
		t.Fatal(err)
	}
	var baseRep findings.Report
	if err := json.Unmarshal(stale, &baseRep); err != nil {
		t.Fatal(err)
	}
	partial := snapshotPath("partial-access-denied.json")
	sarifPath := filepath.Join(dir, "r.sarif")
	if _, stderr, code := run(t, "audit", "--snapshot", partial, "--baseline", base, "-o", "sarif="+sarifPath, "--fail-on", "none", "--format", "json"); code != ExitIncomplete {
		t.Fatalf("exit %d, want 4: %s", code, stderr)
	}
	raw, err := os.ReadFile(sarifPath)
	if err != nil {
		t.Fatal(err)
	}
	got := regions(t, raw)
	snapData, err := os.ReadFile(partial)
	if err != nil {
		t.Fatal(err)
	}
	ix, err := snapshot.Index(snapData)
	if err != nil {
		t.Fatal(err)
	}
	kept := 0
	for _, r := range baseRep.Results {
		lines, ok := got[r.Fingerprint]
		if !ok || r.Status != findings.Fail || r.Location == nil || r.Location.StartLine != 99999 {
			continue
		}
		kept++
		// The baseline's checks are this run's checks: same requires.
		var requires []string
		for _, c := range baseRep.Checks {
			if c.ID == r.CheckID {
				requires = c.Requires
			}
		}
		want, _ := ix.Locate(r.Resource.ARN, r.Resource.Type, requires)
		if lines != [2]int{want.StartLine, want.EndLine} {
			t.Errorf("%s on %s: lines %v, want %v in this snapshot", r.CheckID, r.Resource.ARN, lines, want)
		}
	}
	if kept == 0 {
		t.Fatal("no baseline failure kept in the SARIF")
	}
}
