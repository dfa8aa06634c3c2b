package report

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestSARIFMultitool runs Microsoft's SARIF multitool (SARIF and GitHub
// Advanced Security rules) over the golden SARIF files through
// tools/sarif-validate/run.sh. It needs npm and a registry, so it runs only
// when LOCKDOWN_SARIF_MULTITOOL=1 (set by `make test`); then any failure to
// install or run the tool fails the test.
func TestSARIFMultitool(t *testing.T) {
	if os.Getenv("LOCKDOWN_SARIF_MULTITOOL") != "1" {
		t.Skip("set LOCKDOWN_SARIF_MULTITOOL=1 to validate SARIF with the multitool")
	}
	script, err := filepath.Abs(filepath.Join("..", "tools", "sarif-validate", "run.sh"))
	if err != nil {
		t.Fatal(err)
	}
	files := goldenFiles(t, ".sarif")

	// Zero errors and zero warnings on every golden file.
	out, err := exec.Command(script, append([]string{"--strict"}, files...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", script, err, out)
	}
	for _, f := range files {
		if !strings.Contains(string(out), f+": 0 errors, 0 warnings") {
			t.Errorf("%s: no clean verdict in the multitool output:\n%s", f, out)
		}
	}
	// SARIF2006 fetches every URI over HTTP; config.xml must keep it off.
	if strings.Contains(string(out), "SARIF2006") {
		t.Errorf("the URI reachability rule ran (network access):\n%s", out)
	}

	// The script must fail on a log GitHub would reject (no message text).
	data, err := os.ReadFile(filepath.Join("testdata", "golden", "mixed.sarif"))
	if err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(string(data), `"text": "arn:aws:iam::123456789012:root: `, `"id": "missing", "x": "`, 1)
	if bad == string(data) {
		t.Fatal("could not break the golden SARIF for the negative case")
	}
	badPath := filepath.Join(t.TempDir(), "bad.sarif")
	if err := os.WriteFile(badPath, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err = exec.Command(script, badPath).CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Fatalf("broken SARIF: want exit 1, got %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "GH1015") {
		t.Errorf("broken SARIF: expected GH1015 in the output:\n%s", out)
	}
}
