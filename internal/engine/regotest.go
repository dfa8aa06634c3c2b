package engine

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/tester"

	"github.com/lockdown-dev/lockdown/checks"
	regolib "github.com/lockdown-dev/lockdown/rego"
)

// TestOptions choose the Rego tests RunTests runs.
type TestOptions struct {
	// Dirs are custom rule directories. Their .rego files, tests included,
	// are loaded beside the built-in checks and libraries (without the
	// built-in tests), and their tests run. With no Dirs, the tests of the
	// built-in checks and libraries run.
	Dirs []string
	// Run, when set, is a regular expression: only the tests whose full name
	// (data.<package>.<rule>) it matches run, as with `opa test --run`.
	Run string
	// Timeout bounds each test (default 5s).
	Timeout time.Duration
}

// Test statuses, as `opa test` prints them.
const (
	TestPass    = "PASS"
	TestFail    = "FAIL"
	TestError   = "ERROR"
	TestSkipped = "SKIPPED"
)

// TestResult is the outcome of one Rego test.
type TestResult struct {
	File    string // the test's file, as loaded
	Row     int    // the line the test rule starts on
	Package string // data.<package>
	Name    string // the test rule
	Status  string // TestPass, TestFail, TestError or TestSkipped
	Err     error  // for TestError: why the test could not be evaluated
	Output  string // what the test printed with print()
}

// FullName is data.<package>.<rule>, the name --run matches.
func (r TestResult) FullName() string { return r.Package + "." + r.Name }

// RulesError is a problem with the rule files themselves: a directory
// that cannot be read, a module that does not parse, does not compile or
// breaks the rules for checks (package, METADATA). No test ran.
type RulesError struct{ Err error }

func (e *RulesError) Error() string { return e.Err.Error() }
func (e *RulesError) Unwrap() error { return e.Err }

// RunTests runs Rego tests with the compiler, capabilities and built-ins
// of an audit (lockdown.iam.decide included; time.now_ns and the other
// non-deterministic built-ins are not available), so a test sees exactly
// what a check sees when lockdown evaluates it. Results are sorted by file
// and line. A rule file that cannot be loaded or compiled is a *RulesError;
// no test matching (an empty directory, a --run that matches nothing) is an
// error too, so that a mistyped filter is not a silent success.
func RunTests(ctx context.Context, opts TestOptions) ([]TestResult, error) {
	if opts.Run != "" {
		if _, err := regexp.Compile(opts.Run); err != nil {
			return nil, fmt.Errorf("--run %q: %w", opts.Run, err)
		}
	}
	files, err := testFiles(opts.Dirs)
	if err != nil {
		return nil, &RulesError{Err: err}
	}
	mods, err := parseFiles(files)
	if err != nil {
		return nil, &RulesError{Err: err}
	}
	checkMods := map[string]*ast.Module{}
	for _, f := range files {
		if !isTestFile(f.name) {
			checkMods[f.name] = mods[f.name]
		}
	}
	// The rules for checks hold as they do for an audit (New).
	if _, err := findChecks(checkMods); err != nil {
		return nil, &RulesError{Err: err}
	}
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = 5 * time.Second
	}
	// The audit's compiler (strict, with the input schema) and built-ins,
	// with every `with input` fixture checked against the schema.
	setup, err := NewTestSetup(mods)
	if err != nil {
		return nil, &RulesError{Err: err}
	}
	builtins := append([]*tester.Builtin(nil), setup.Builtins...)
	for i, b := range builtins {
		if b.Decl.Name == iamDecide.Name {
			// A decide error stops the test with the call's location.
			builtins[i] = &tester.Builtin{Decl: b.Decl, Func: iamDecideHalting}
		}
	}
	ch, err := tester.NewRunner().
		SetCompiler(setup.Compiler.WithEnablePrintStatements(true)).
		SetModules(mods).
		AddCustomBuiltins(builtins).
		CapturePrintOutput(true).
		SetTimeout(timeout).
		Filter(opts.Run).
		RunTests(ctx, nil)
	if err != nil {
		return nil, &RulesError{Err: fmt.Errorf("compiling the rules and their tests: %w", err)}
	}
	var out []TestResult
	for r := range ch {
		tr := TestResult{Package: r.Package, Name: r.Name, Output: strings.TrimSpace(string(r.Output))}
		if r.Location != nil {
			tr.File, tr.Row = r.Location.File, r.Location.Row
		}
		switch {
		case r.Skip:
			tr.Status = TestSkipped
		case r.Error != nil:
			tr.Status, tr.Err = TestError, r.Error
		case r.Fail:
			tr.Status = TestFail
		default:
			tr.Status = TestPass
		}
		out = append(out, tr)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// A fixture no test evaluated was never checked against the schema;
	// with --run, unselected tests leave theirs unevaluated on purpose.
	if opts.Run == "" {
		for _, site := range setup.Fixtures.Unevaluated() {
			file, row := splitSite(site)
			out = append(out, TestResult{File: file, Row: row, Package: "fixture", Name: "input schema",
				Status: TestError, Err: fmt.Errorf("this `with input` fixture was never evaluated, so never checked against the input schema")})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Row != b.Row {
			return a.Row < b.Row
		}
		return a.Name < b.Name
	})
	if len(out) == 0 {
		where := "the built-in checks"
		if len(opts.Dirs) > 0 {
			where = strings.Join(opts.Dirs, ", ")
		}
		if opts.Run != "" {
			return nil, fmt.Errorf("no test in %s matches --run %q", where, opts.Run)
		}
		return nil, &RulesError{Err: fmt.Errorf("%s: no tests found (test rules are named test_* in *_test.rego files)", where)}
	}
	return out, nil
}

// testFiles are the modules a test run loads: the built-in checks and
// libraries (with their tests when no directory is given), plus every
// .rego file under each directory.
func testFiles(dirs []string) ([]sourceFile, error) {
	builtinTests := len(dirs) == 0
	files, err := readFS(checks.FS, "checks", builtinTests)
	if err != nil {
		return nil, fmt.Errorf("reading embedded checks: %w", err)
	}
	lib, err := readFS(regolib.FS, "rego", builtinTests)
	if err != nil {
		return nil, fmt.Errorf("reading embedded rego libraries: %w", err)
	}
	files = append(files, lib...)
	for _, dir := range dirs {
		// The check files as an audit loads them (--rules), then the tests.
		rules, err := readDir(dir)
		if err != nil {
			return nil, err
		}
		parent := filepath.Dir(filepath.Clean(dir))
		for _, f := range rules {
			// checks/... or rego/... under the directory given: the sources
			// of the embedded trees.
			if rel, err := filepath.Rel(parent, f.name); err == nil && builtinOnce().names[filepath.ToSlash(rel)] {
				return nil, fmt.Errorf("%s: %s is a built-in file (embedded in lockdown); `lockdown test` without a directory runs the built-in checks' tests (rebuild lockdown, or use `go run ./cmd/lockdown test`, after editing checks/ or rego/)", dir, f.name)
			}
		}
		files = append(files, rules...)
		tests, err := readTestFiles(dir)
		if err != nil {
			return nil, err
		}
		files = append(files, tests...)
	}
	return files, nil
}

// readTestFiles collects the _test.rego files under a rule directory.
func readTestFiles(dir string) ([]sourceFile, error) {
	var out []sourceFile
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !isTestFile(p) {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		out = append(out, sourceFile{name: p, src: b})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("rules directory %s: %w", dir, err)
	}
	return out, nil
}

// splitSite splits a fixture site "<file>:<line>".
func splitSite(site string) (string, int) {
	i := strings.LastIndex(site, ":")
	if i < 0 {
		return site, 0
	}
	n, err := strconv.Atoi(site[i+1:])
	if err != nil {
		return site, 0
	}
	return site[:i], n
}
