package report

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestJUnitValidatesAgainstXSD runs xmllint with schema/junit.xsd over every
// golden JUnit file, the renderer's and those of the bundled snapshots.
// `make test` sets LOCKDOWN_JUNIT_XSD=1 and .ci/run installs xmllint; with
// the variable set a missing xmllint fails the test.
func TestJUnitValidatesAgainstXSD(t *testing.T) {
	if os.Getenv("LOCKDOWN_JUNIT_XSD") != "1" {
		t.Skip("XSD validation needs xmllint (Debian libxml2-utils): run with LOCKDOWN_JUNIT_XSD=1 (make test sets it)")
	}
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		t.Fatal("xmllint not found: apt-get install libxml2-utils (.ci/run does)")
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "golden", "*.junit.xml"))
	more, _ := filepath.Glob(filepath.Join("..", "internal", "cli", "testdata", "golden", "*.junit.xml"))
	files = append(files, more...)
	if len(files) < 10 {
		t.Fatalf("only %d JUnit files to validate", len(files))
	}
	args := append([]string{"--noout", "--schema", filepath.Join("schema", "junit.xsd")}, files...)
	out, err := exec.Command(xmllint, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("xmllint: %v\n%s", err, out)
	}
	if n := strings.Count(string(out), " validates"); n != len(files) {
		t.Fatalf("%d of %d files validate:\n%s", n, len(files), out)
	}
}

// The schema rejects what JUnit readers reject.
func TestJUnitXSDRejectsBrokenReports(t *testing.T) {
	if os.Getenv("LOCKDOWN_JUNIT_XSD") != "1" {
		t.Skip("needs xmllint: run with LOCKDOWN_JUNIT_XSD=1 (make test sets it)")
	}
	bad := filepath.Join(t.TempDir(), "bad.xml")
	doc := `<?xml version="1.0"?><testsuites><testsuite name="s" tests="1" failures="x" errors="0">` +
		`<testcase name="n"><failure/><skipped/></testcase></testsuite></testsuites>`
	if err := os.WriteFile(bad, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("xmllint", "--noout", "--schema", filepath.Join("schema", "junit.xsd"), bad).CombinedOutput()
	if err == nil {
		t.Fatalf("a broken report validated:\n%s", out)
	}
}
