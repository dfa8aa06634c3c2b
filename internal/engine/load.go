package engine

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/tester"

	"github.com/lockdown-dev/lockdown/checks"
	regolib "github.com/lockdown-dev/lockdown/rego"

	"github.com/lockdown-dev/lockdown/internal/findings"
	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

// ChecksPackage is the package prefix under which every check lives.
const ChecksPackage = "lockdown.checks"

var checksRef = ast.MustParseRef("data." + ChecksPackage)

// KnownSources are the snapshot sources a check may require.
var KnownSources = snapshot.Sources

// sourceFile is one .rego file to load.
type sourceFile struct {
	name string // shown in errors and Rego locations
	src  []byte
	user bool // from a --rules directory: must hold (part of) a check
}

// readFS collects the non-test .rego files of an embedded tree, named
// prefix/<path>.
func readFS(fsys fs.FS, prefix string, withTests bool) ([]sourceFile, error) {
	var out []sourceFile
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(p, ".rego") || (!withTests && strings.HasSuffix(p, "_test.rego")) {
			return nil
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		out = append(out, sourceFile{name: path.Join(prefix, p), src: b})
		return nil
	})
	return out, err
}

// readDir collects the non-test .rego files under a user rule directory.
func readDir(dir string) ([]sourceFile, error) { return readRulesDir(dir, false) }

// readRulesDir collects the .rego files under a user rule directory, test
// files only when withTests.
func readRulesDir(dir string, withTests bool) ([]sourceFile, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("rules directory %s: %w", dir, err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("rules directory %s: not a directory", dir)
	}
	var out []sourceFile
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(p, ".rego") || (!withTests && strings.HasSuffix(p, "_test.rego")) {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		out = append(out, sourceFile{name: p, src: b, user: !strings.HasSuffix(p, "_test.rego")})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("rules directory %s: %w", dir, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("rules directory %s: no .rego files (test files aside)", dir)
	}
	return out, nil
}

// LoadModules parses the built-in checks and libraries and every .rego file
// under the rule directories, test files included when withTests, keyed by
// file name (checks/..., rego/..., or the path under a directory).
func LoadModules(dirs []string, withTests bool) (map[string]*ast.Module, error) {
	files, err := readFS(checks.FS, "checks", withTests)
	if err != nil {
		return nil, fmt.Errorf("reading embedded checks: %w", err)
	}
	lib, err := readFS(regolib.FS, "rego", withTests)
	if err != nil {
		return nil, fmt.Errorf("reading embedded rego libraries: %w", err)
	}
	files = append(files, lib...)
	for _, dir := range dirs {
		extra, err := readRulesDir(dir, withTests)
		if err != nil {
			return nil, err
		}
		files = append(files, extra...)
	}
	return parseFiles(files)
}

// NewCompiler returns the compiler, not yet run, that the modules of a rule
// set are compiled with: the engine's capabilities (the forbidden built-ins
// removed, lockdown.iam.decide added); strict mode (unused variables and
// imports, duplicate imports, deprecated built-ins and shadowed input or
// data are errors); the input schema of the checks among mods (InputSchema)
// as the type of input, so that a reference to a field the schema does not
// have is a type error naming its file and line; and a stage that follows
// references into the maps of the input (users, roles and the like by ARN),
// which OPA's schema types cannot describe.
func NewCompiler(mods map[string]*ast.Module) (*ast.Compiler, error) {
	schema, err := InputSchema(mods)
	if err != nil {
		return nil, err
	}
	return newCompiler(schema, capabilities())
}

func newCompiler(schema map[string]any, caps *ast.Capabilities) (*ast.Compiler, error) {
	ss, err := schemaSet(schema)
	if err != nil {
		return nil, fmt.Errorf("input schema: %w", err)
	}
	return ast.NewCompiler().
		WithCapabilities(caps).
		WithStrict(true).
		WithSchemas(ss).
		WithStageAfterID(ast.StageCheckTypes, checkInputFieldsStage(schema)), nil
}

// Compile compiles mods with NewCompiler.
func Compile(mods map[string]*ast.Module) (*ast.Compiler, error) {
	c, err := NewCompiler(mods)
	if err != nil {
		return nil, err
	}
	if c.Compile(mods); c.Failed() {
		return nil, fmt.Errorf("compiling checks: %w", c.Errors)
	}
	return c, nil
}

// TestSetup is what OPA's test runner needs to run the Rego tests of a rule
// set (see NewTestSetup).
type TestSetup struct {
	// Compiler is for tester.Runner.SetCompiler (which compiles the
	// modules): it is NewCompiler's, with the fixture built-in declared.
	Compiler *ast.Compiler
	// Builtins are for tester.Runner.AddCustomBuiltins: lockdown.iam.decide
	// and the fixture and argument checks.
	Builtins []*tester.Builtin
	// Fixtures tells which `with input` fixtures were instrumented and,
	// after the run, which no test evaluated.
	Fixtures *Fixtures
}

// NewTestSetup prepares mods (checks, libraries and their _test.rego files,
// as LoadModules(dirs, true) returns them) for OPA's test runner: it
// instruments every `with input` fixture of the test modules, in place
// (InstrumentFixtures), and every argument they pass to a function that the
// checks pass parts of input (InstrumentArguments), and returns the compiler and built-ins to run them
// with.
func NewTestSetup(mods map[string]*ast.Module) (*TestSetup, error) {
	schema, err := InputSchema(mods)
	if err != nil {
		return nil, err
	}
	fixtures, err := InstrumentFixtures(mods, schema)
	if err != nil {
		return nil, err
	}
	builtins := []*tester.Builtin{{Decl: iamDecide, Func: iamDecideFunc}, fixtures.Builtin}
	// Arguments of functions that take parts of input: known once the
	// non-test modules are compiled. When they do not compile, the test
	// run reports why.
	if plain, err := newCompiler(schema, capabilities()); err == nil {
		if plain.Compile(nonTestModules(mods)); !plain.Failed() {
			args, err := InstrumentArguments(mods, plain, schema, fixtures)
			if err != nil {
				return nil, err
			}
			builtins = append(builtins, args)
		}
	}
	caps := capabilities()
	for _, b := range builtins[1:] {
		caps.Builtins = append(caps.Builtins, b.Decl)
	}
	c, err := newCompiler(schema, caps)
	if err != nil {
		return nil, err
	}
	return &TestSetup{Compiler: c, Builtins: builtins, Fixtures: fixtures}, nil
}

// parseFiles parses Rego v1 modules with their METADATA annotations.
func parseFiles(files []sourceFile) (map[string]*ast.Module, error) {
	mods := make(map[string]*ast.Module, len(files))
	for _, f := range files {
		if _, dup := mods[f.name]; dup {
			return nil, fmt.Errorf("%s: loaded twice", f.name)
		}
		m, err := ast.ParseModuleWithOpts(f.name, string(f.src), ast.ParserOptions{ProcessAnnotation: true, RegoVersion: ast.RegoV1})
		if err != nil {
			return nil, err
		}
		if f.user {
			// A rule file holds a check (or part of one): its package is
			// lockdown.checks.<name>. Anything else would be loaded and
			// never reported, or would shadow the built-in libraries.
			if !m.Package.Path.HasPrefix(checksRef) || len(m.Package.Path) <= len(checksRef) {
				return nil, fmt.Errorf("%s: package %s is outside %s.*: a --rules file must hold a check", f.name, strings.TrimPrefix(m.Package.Path.String(), "data."), ChecksPackage)
			}
		}
		mods[f.name] = m
	}
	return mods, nil
}

// checkDef is one check found among the modules.
type checkDef struct {
	meta   findings.Check
	pkg    ast.Ref  // data.lockdown.checks.<name>
	files  []string // module files of the package
	params map[string]any
	title  string   // meta.Title with the parameters in force (set by New)
	libs   []string // the libraries it imports, result, time and unknown aside (set by New)
}

var idPattern = regexp.MustCompile(`^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$`)

// findChecks groups the modules under data.lockdown.checks by package and
// reads each package's METADATA. Every such package must be a check with a
// `results` rule.
func findChecks(mods map[string]*ast.Module) ([]*checkDef, error) {
	byPkg := map[string]*checkDef{}
	names := make([]string, 0, len(mods))
	for n := range mods {
		names = append(names, n)
	}
	sort.Strings(names)
	hasResults := map[string]bool{}
	for _, name := range names {
		m := mods[name]
		if !m.Package.Path.HasPrefix(checksRef) || len(m.Package.Path) <= len(checksRef) {
			continue
		}
		key := m.Package.Path.String()
		def := byPkg[key]
		if def == nil {
			def = &checkDef{pkg: m.Package.Path}
			byPkg[key] = def
		}
		def.files = append(def.files, name)
		for _, r := range m.Rules {
			if r.Head.Name.String() == "results" || (len(r.Head.Reference) == 1 && r.Head.Reference[0].Value.String() == "results") {
				hasResults[key] = true
			}
		}
		for _, a := range m.Annotations {
			if a.Scope != "package" {
				continue
			}
			if def.meta.ID != "" {
				return nil, fmt.Errorf("%s: package %s has a second package METADATA block (first for %s)", name, key, def.meta.ID)
			}
			meta, params, err := parseMetadata(a)
			if err != nil {
				return nil, fmt.Errorf("%s: package %s METADATA: %w", name, key, err)
			}
			def.meta, def.params = meta, params
		}
	}
	ids := map[string]string{}
	out := make([]*checkDef, 0, len(byPkg))
	for key, def := range byPkg {
		where := strings.Join(def.files, ", ")
		if def.meta.ID == "" {
			return nil, fmt.Errorf("%s: package %s is under %s but has no package METADATA with custom.id", where, key, ChecksPackage)
		}
		if !hasResults[key] {
			return nil, fmt.Errorf("%s: check %s defines no `results` rule", where, def.meta.ID)
		}
		if prev, dup := ids[def.meta.ID]; dup {
			return nil, fmt.Errorf("check ID %s is used by two packages: %s and %s", def.meta.ID, prev, key)
		}
		ids[def.meta.ID] = key
		out = append(out, def)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].meta.ID < out[j].meta.ID })
	return out, nil
}

// parseMetadata reads a check's package annotation. It enforces what the
// engine needs to run and report the check; checkComplete (tests) enforces
// the rest for the built-in checks.
func parseMetadata(a *ast.Annotations) (findings.Check, map[string]any, error) {
	c := findings.Check{Title: strings.TrimSpace(a.Title), Description: strings.TrimSpace(a.Description)}
	custom := a.Custom
	str := func(key string) (string, error) {
		v, ok := custom[key]
		if !ok || v == nil {
			return "", nil
		}
		s, ok := v.(string)
		if !ok {
			return "", fmt.Errorf("custom.%s must be a string, got %T", key, v)
		}
		return strings.TrimSpace(s), nil
	}
	list := func(key string) ([]string, error) {
		v, ok := custom[key]
		if !ok || v == nil {
			return nil, nil
		}
		items, ok := v.([]any)
		if !ok {
			return nil, fmt.Errorf("custom.%s must be a list, got %T", key, v)
		}
		out := make([]string, 0, len(items))
		for _, it := range items {
			s, ok := it.(string)
			if !ok {
				return nil, fmt.Errorf("custom.%s: %v is not a string", key, it)
			}
			out = append(out, s)
		}
		return out, nil
	}
	var err error
	if c.ID, err = str("id"); err != nil {
		return c, nil, err
	}
	if !idPattern.MatchString(c.ID) {
		return c, nil, fmt.Errorf("custom.id %q is not an ID like LD-ROOT-01", c.ID)
	}
	if c.Title == "" {
		return c, nil, fmt.Errorf("check %s: title is missing", c.ID)
	}
	sev, err := str("severity")
	if err != nil {
		return c, nil, err
	}
	var ok bool
	if c.Severity, ok = findings.ParseSeverity(sev); !ok {
		return c, nil, fmt.Errorf("check %s: severity %q is not one of info, low, medium, high, critical", c.ID, sev)
	}
	if c.Section, err = str("section"); err != nil {
		return c, nil, err
	}
	if c.GuideStep, err = str("guide_step"); err != nil {
		return c, nil, err
	}
	// Which framework controls a check decides is the frameworks' data
	// (frameworks/*.yaml), never the check's: one mapping, one place.
	for _, key := range []string{"cis", "security_hub"} {
		if _, ok := custom[key]; ok {
			return c, nil, fmt.Errorf("check %s: custom.%s is not read: the controls a check decides are listed in the frameworks' files (lockdown frameworks)", c.ID, key)
		}
	}
	if c.Requires, err = list("requires"); err != nil {
		return c, nil, err
	}
	if len(c.Requires) == 0 {
		return c, nil, fmt.Errorf("check %s: custom.requires must name the snapshot sources it reads", c.ID)
	}
	for _, r := range c.Requires {
		if !contains(KnownSources, r) {
			return c, nil, fmt.Errorf("check %s: custom.requires names unknown source %q (known: %s)", c.ID, r, strings.Join(KnownSources, ", "))
		}
	}
	if c.Remediation, err = str("remediation"); err != nil {
		return c, nil, err
	}
	if c.DocsURL, err = str("docs_url"); err != nil {
		return c, nil, err
	}
	if c.DocsURL != "" && !strings.HasPrefix(c.DocsURL, "https://") {
		return c, nil, fmt.Errorf("check %s: docs_url %q is not an https URL", c.ID, c.DocsURL)
	}
	var params map[string]any
	if v, ok := custom["params"]; ok && v != nil {
		m, ok := v.(map[string]any)
		if !ok {
			return c, nil, fmt.Errorf("check %s: custom.params must be a map of name to default value", c.ID)
		}
		params = m
		for k, d := range m {
			if _, ok := paramKind(d); !ok {
				return c, nil, fmt.Errorf("check %s: custom.params.%s default %v is not a number, boolean or string", c.ID, k, d)
			}
		}
	}
	return c, params, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
