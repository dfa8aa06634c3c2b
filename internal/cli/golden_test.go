package cli

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lockdown-dev/lockdown/frameworks"
)

var update = flag.Bool("update", false, "rewrite the golden reports in testdata/golden")

var goldenFormats = map[string]string{"json": "json", "sarif": "sarif", "table": "txt", "markdown": "md", "junit": "junit.xml"}

// TestGoldenReports renders every bundled snapshot in every format and
// compares with the committed reports. Regenerate with
// `go test ./internal/cli -run Golden -update` and review the diff.
func TestGoldenReports(t *testing.T) {
	snaps, err := filepath.Glob(snapshotPath("*.json"))
	if err != nil {
		t.Fatal(err)
	}
	variants, _ := filepath.Glob(snapshotPath("*/*.json"))
	snaps = append(snaps, variants...)
	fws, err := frameworks.Load()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, snap := range snaps {
		rel, _ := filepath.Rel(snapshotPath(""), snap)
		// The privilege-escalation corpus is judged principal by
		// principal by TestPrivescCorpus.
		if filepath.Base(rel) == "expected.json" || filepath.Dir(rel) == "privesc" {
			continue
		}
		// Of the CIS scenarios (each judged by internal/compliance's
		// TestCISScenarios), the clean account is rendered, with a
		// compliance section for every framework.
		var extra []string
		if filepath.Dir(rel) == "cis" {
			if filepath.Base(rel) != "cis-clean.json" {
				continue
			}
			for _, fw := range fws {
				extra = append(extra, "--framework", fw.Name)
			}
		}
		base := strings.ReplaceAll(strings.TrimSuffix(rel, ".json"), string(filepath.Separator), "__")
		for format, ext := range goldenFormats {
			n++
			golden := filepath.Join("testdata", "golden", base+"."+ext)
			// The SARIF location is the snapshot path as given on the
			// command line, relative to the repository root.
			args := []string{"audit", "--snapshot", snap, "--format", format, "--fail-on", "none", "--allow-incomplete", "--sarif-root", repoRoot}
			args = append(args, extra...)
			stdout, stderr, code := run(t, args...)
			if code != ExitOK {
				t.Fatalf("%s %s: exit %d: %s", rel, format, code, stderr)
			}
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, []byte(stdout), 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%s: %v (run with -update to create)", golden, err)
			}
			if string(want) != stdout {
				t.Errorf("%s differs from the golden file; rerun with -update and review the diff", golden)
			}
		}
	}
	if n < 50 {
		t.Fatalf("only %d golden comparisons", n)
	}
}
