package engine

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/format"

	"github.com/lockdown-dev/lockdown/checks"
	regolib "github.com/lockdown-dev/lockdown/rego"
)

// allRego returns every embedded .rego file, tests included.
func allRego(t *testing.T) []sourceFile {
	t.Helper()
	a, err := readFS(checks.FS, "checks", true)
	if err != nil {
		t.Fatal(err)
	}
	b, err := readFS(regolib.FS, "rego", true)
	if err != nil {
		t.Fatal(err)
	}
	return append(a, b...)
}

// TestRegoUnitTests runs every built-in _test.rego as `lockdown test` does
// (RunTests): every test passes, none is skipped, every test file has one.
func TestRegoUnitTests(t *testing.T) {
	files := allRego(t)
	testFiles := 0
	for _, f := range files {
		if strings.HasSuffix(f.name, "_test.rego") {
			testFiles++
		}
	}
	results, err := RunTests(context.Background(), TestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	perFile := map[string]int{}
	for _, r := range results {
		perFile[r.File]++
		switch r.Status {
		case TestError:
			t.Errorf("%s:%d: %s: error: %v", r.File, r.Row, r.FullName(), r.Err)
		case TestFail:
			t.Errorf("%s:%d: %s: FAIL", r.File, r.Row, r.FullName())
		case TestSkipped:
			t.Errorf("%s:%d: %s: skipped tests are not allowed", r.File, r.Row, r.FullName())
		}
	}
	if len(results) == 0 || testFiles == 0 {
		t.Fatalf("no Rego tests ran (%d test files)", testFiles)
	}
	for _, f := range files {
		if strings.HasSuffix(f.name, "_test.rego") && perFile[f.name] == 0 {
			t.Errorf("%s: no tests ran from this file", f.name)
		}
	}
	t.Logf("%d Rego tests ran from %d test files", len(results), testFiles)
}

// TestEveryCheckHasTests: each check file has a _test.rego beside it.
func TestEveryCheckHasTests(t *testing.T) {
	names := map[string]bool{}
	for _, f := range allRego(t) {
		names[f.name] = true
	}
	for n := range names {
		if !strings.HasSuffix(n, "_test.rego") && !names[strings.TrimSuffix(n, ".rego")+"_test.rego"] {
			t.Errorf("%s has no %s", n, filepath.Base(strings.TrimSuffix(n, ".rego")+"_test.rego"))
		}
	}
}

// TestRegoFormatted: every .rego file is as `opa fmt` writes it.
func TestRegoFormatted(t *testing.T) {
	for _, f := range allRego(t) {
		got, err := format.SourceWithOpts(f.name, f.src, format.Opts{RegoVersion: ast.RegoV1})
		if err != nil {
			t.Errorf("%s: %v", f.name, err)
			continue
		}
		if string(got) != string(f.src) {
			t.Errorf("%s is not opa fmt clean; formatted:\n%s", f.name, got)
		}
	}
}

// TestEmbedCoversDisk: no .rego file on disk is missing from the embedded
// trees (a deeper directory would silently be left out of the binary).
func TestEmbedCoversDisk(t *testing.T) {
	embedded := map[string]bool{}
	for _, f := range allRego(t) {
		embedded[f.name] = true
	}
	for _, root := range []string{"checks", "rego"} {
		dir := filepath.Join("..", "..", root)
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".rego") {
				return err
			}
			rel, _ := filepath.Rel(filepath.Join("..", ".."), p)
			if !embedded[filepath.ToSlash(rel)] {
				t.Errorf("%s is not embedded (embed patterns cover checks/*/*.rego and rego/lib/*.rego)", rel)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := os.Stat(filepath.Join("..", "..", "checks", "embed.go")); err != nil {
		t.Fatal(err)
	}
}

var builtinID = regexp.MustCompile(`^LD-[A-Z][A-Z0-9]*-\d{2}$`)

// TestBuiltinMetadataComplete: unique IDs and every METADATA field present.
func TestBuiltinMetadataComplete(t *testing.T) {
	files, err := readFS(checks.FS, "checks", false)
	if err != nil {
		t.Fatal(err)
	}
	mods, err := parseFiles(files)
	if err != nil {
		t.Fatal(err)
	}
	defs, err := findChecks(mods)
	if err != nil {
		t.Fatal(err)
	}
	if len(defs) == 0 {
		t.Fatal("no checks found")
	}
	for _, d := range defs {
		c := d.meta
		where := strings.Join(d.files, ",")
		if !builtinID.MatchString(c.ID) {
			t.Errorf("%s: id %q is not LD-<AREA>-<NN>", where, c.ID)
		}
		want := "data.lockdown.checks." + strings.ToLower(strings.ReplaceAll(c.ID, "-", "_"))
		if d.pkg.String() != want {
			t.Errorf("%s: package %s, want %s for %s", where, d.pkg, want, c.ID)
		}
		for field, v := range map[string]string{
			"title": c.Title, "description": c.Description, "section": c.Section,
			"remediation": c.Remediation, "docs_url": c.DocsURL,
		} {
			if strings.TrimSpace(v) == "" {
				t.Errorf("%s: %s: %s is missing", where, c.ID, field)
			}
		}
		if !strings.HasPrefix(c.DocsURL, "https://") {
			t.Errorf("%s: %s: docs_url %q is not https", where, c.ID, c.DocsURL)
		}
		if !strings.Contains(c.Remediation, "aws ") {
			t.Errorf("%s: %s: remediation has no AWS CLI command", where, c.ID)
		}
	}
}
