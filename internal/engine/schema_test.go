package engine

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/tester"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/lockdown-dev/lockdown/internal/facts"
	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

const testMeta = `# METADATA
# title: Test check
# custom:
#   id: LD-TEST-01
#   severity: low
#   requires: [credential_report]
package lockdown.checks.ld_test_01

`

// builtinModules are the built-in checks and libraries, without tests.
func builtinModules(t *testing.T) map[string]*ast.Module {
	t.Helper()
	mods, err := LoadModules(nil, false)
	if err != nil {
		t.Fatal(err)
	}
	return mods
}

func withModule(t *testing.T, name, src string) map[string]*ast.Module {
	t.Helper()
	mods := builtinModules(t)
	m, err := ast.ParseModuleWithOpts(name, src, ast.ParserOptions{ProcessAnnotation: true, RegoVersion: ast.RegoV1})
	if err != nil {
		t.Fatal(err)
	}
	mods[name] = m
	return mods
}

func TestCompileRejectsUnknownInputFields(t *testing.T) {
	for _, tc := range []struct{ name, body, want string }{
		{"misspelt field in a map by ARN", "results contains x if {\n\tsome x in input.users[_].nmae\n}\n", "custom/bad.rego:10: rego_type_error: undefined ref: input.users[_].nmae: input.users[_] has no field \"nmae\""},
		{"through a variable", "results contains u.nmae if {\n\tsome u in input.users\n}\n", ".nmae"},
		{"through an assignment", "results contains n if {\n\tu := input.roles[_]\n\tn := u.trust_polcy\n}\n", ".trust_polcy"},
		{"every", "results contains 1 if {\n\tevery u in input.users {\n\t\tu.nmae\n\t}\n}\n", ".nmae"},
		{"missing top-level field", "results contains x if {\n\tx := input.userz\n}\n", "userz"},
		{"field of a struct", "results contains x if {\n\tx := input.root.mfa_actve\n}\n", "mfa_actve"},
		{"nested map", "results contains x if {\n\tx := input.iam.users[_].admin_without_mf\n}\n", "admin_without_mf"},
		{"into a scalar", "results contains x if {\n\tx := input.users[_].name.first\n}\n", "first"},
		{"function argument", "results contains v(u) if {\n\tsome u in input.users\n}\n\nv(u) := u.nmae\n", "custom/bad.rego:13: rego_type_error: undefined ref: u.nmae"},
		{"function argument, two levels", "results contains v(u) if {\n\tsome u in input.iam.roles\n}\n\nv(r) := w(r.trust)\n\nw(t) := t.outsider\n", "undefined ref: t.outsider: input.iam.roles[_].trust has no field"},
		{"rule value", "us := input.users\n\nresults contains x if {\n\tx := us[_].nmae\n}\n", "input.users[_] has no field \"nmae\""},
		{"set of input parts", "admins contains u if {\n\tsome u in input.iam.users\n\tu.admin_without_mfa\n}\n\nresults contains v(u) if {\n\tsome u in admins\n}\n\nv(u) := u.nmae\n", "undefined ref: u.nmae: input.iam.users[_] has no field"},
		{"object.get path", "results contains x if {\n\tsome u in input.users\n\tx := object.get(input.users, [u.arn, \"group_namez\"], [])\n}\n", "undefined ref: input.users[_].group_namez: input.users[_] has no field \"group_namez\""},
		{"object.get key", "results contains x if {\n\tx := object.get(input.root, \"mfa\", false)\n}\n", "input.root has no field \"mfa\""},
		{"unknown source", "results contains x if {\n\tx := input.sources.credential_reprt.status\n}\n", "input.sources has no field \"credential_reprt\""},
		{"set lookup", "admins contains u if {\n\tsome u in input.iam.users\n}\n\nresults contains u.nmae if {\n\tadmins[u]\n}\n", "undefined ref: u.nmae: input.iam.users[_] has no field"},
		{"unknown parameter", "results contains x if {\n\tx := input.params.no_such_param\n}\n", "no_such_param"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mods := withModule(t, "custom/bad.rego", testMeta+tc.body)
			_, err := Compile(mods)
			if err == nil {
				t.Fatal("compiled")
			}
			if !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "custom/bad.rego:") {
				t.Fatalf("error does not name %q and the file: %v", tc.want, err)
			}
			t.Log(err)
		})
	}
}

func TestCompileAcceptsKnownInputFields(t *testing.T) {
	body := `results contains x if {
	some u in input.users
	x := {"n": u.name, "t": u.tags.team, "p": input.params.root_recent_days, "r": input.root.mfa_active, "k": input.credential_report.users[u.arn].access_keys[0].active}
}

results contains y if {
	some arn, ua in input.iam.users
	ua.admin_without_mfa
	y := arn
}

results contains d if {
	some p in input.policies
	d := p.document.Statement[_].Effect
}

results contains m if {
	m := object.get(input.account_summary, "AccountMFAEnabled", 0) + object.get(input.root, ["access_keys", 0, "n"], 0)
}
`
	if _, err := Compile(withModule(t, "custom/good.rego", testMeta+body)); err != nil {
		t.Fatal(err)
	}
}

func runTests(t *testing.T, mods map[string]*ast.Module) []*tester.Result {
	t.Helper()
	setup, err := NewTestSetup(mods)
	if err != nil {
		t.Fatal(err)
	}
	ch, err := tester.NewRunner().SetCompiler(setup.Compiler).SetModules(mods).AddCustomBuiltins(setup.Builtins).RunTests(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	var out []*tester.Result
	for r := range ch {
		out = append(out, r)
	}
	return out
}

func TestFixturesAreValidated(t *testing.T) {
	check := testMeta + "results contains u.name if {\n\tsome u in input.users\n}\n"
	for _, tc := range []struct{ name, test, want string }{
		{"literal", `test_x if {
	count(ld_test_01.results) == 0 with input as {"users": {"a": {"nmae": "x"}}}
}`, "input.users.a"},
		{"built by a function", `fix(n) := {"users": {"a": {"name": n, "mfa": true}}}

test_x if {
	count(ld_test_01.results) == 1 with input as object.union({"root": null}, fix("x"))
}`, "mfa"},
		{"wrong type", `test_x if {
	count(ld_test_01.results) == 0 with input as {"root": {"mfa_active": "yes"}}
}`, "input.root.mfa_active"},
		{"a part of input", `test_x if {
	count(ld_test_01.results) == 0 with input.users as {"a": {"nmae": "x"}}
}`, "input.users.a"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mods := withModule(t, "custom/c.rego", check)
			tm, err := ast.ParseModuleWithOpts("custom/c_test.rego", "package lockdown.checks.ld_test_01_test\n\nimport data.lockdown.checks.ld_test_01\n\n"+tc.test+"\n", ast.ParserOptions{RegoVersion: ast.RegoV1})
			if err != nil {
				t.Fatal(err)
			}
			mods["custom/c_test.rego"] = tm
			rs := runTests(t, mods)
			found := false
			for _, r := range rs {
				if r.Error != nil {
					if strings.Contains(r.Error.Error(), "custom/c_test.rego:") && strings.Contains(r.Error.Error(), tc.want) {
						found = true
					}
				}
			}
			if !found {
				t.Fatalf("no error naming the fixture and %q", tc.want)
			}
		})
	}
}

func TestStrictMode(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{"unused import", "import data.lockdown.lib.result\n\nresults contains 1 if true\n", "import data.lockdown.lib.result unused"},
		{"unused variable", "results contains 1 if {\n\tx := input.root\n}\n", "assigned var x unused"},
		{"deprecated built-in", "results contains 1 if {\n\tany([true])\n}\n", "deprecated built-in function calls in expression: any"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Compile(withModule(t, "custom/strict.rego", testMeta+tc.src))
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "custom/strict.rego:") {
				t.Fatalf("want an error naming %q in custom/strict.rego, got %v", tc.want, err)
			}
		})
	}
}

// TestCustomRulesCompiledWithSchema: a --rules directory goes through the
// same compiler.
func TestCustomRulesCompiledWithSchema(t *testing.T) {
	dir := t.TempDir()
	src := testMeta + "results contains x if {\n\tsome x in input.users[_].nmae\n}\n"
	if err := os.WriteFile(filepath.Join(dir, "bad.rego"), []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := New(Options{ExtraRegoDirs: []string{dir}})
	if err == nil || !strings.Contains(err.Error(), "bad.rego:10") || !strings.Contains(err.Error(), "input.users[_].nmae") {
		t.Fatalf("want a compile error naming bad.rego:10 and the field, got %v", err)
	}
}

var update = flag.Bool("update", false, "rewrite "+InputSchemaFile)

// TestPublishedInputSchema: checks/input.schema.json is what the generator
// writes for the built-in checks (regenerate: go test ./internal/engine/ -run
// TestPublishedInputSchema -update).
func TestPublishedInputSchema(t *testing.T) {
	s, err := InputSchema(builtinModules(t))
	if err != nil {
		t.Fatal(err)
	}
	want, err := MarshalSchema(s)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("..", "..", filepath.FromSlash(InputSchemaFile))
	if *update {
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Fatalf("%s differs from the generator's output; run go test ./internal/engine/ -run TestPublishedInputSchema -update", InputSchemaFile)
	}
}

// TestInputSchemaParams: params are typed by their defaults and name the
// checks that declare them.
func TestInputSchemaParams(t *testing.T) {
	s, err := InputSchema(builtinModules(t))
	if err != nil {
		t.Fatal(err)
	}
	p := s["properties"].(map[string]any)["params"].(map[string]any)
	root := p["properties"].(map[string]any)["root_recent_days"].(map[string]any)
	if root["type"] != "integer" || !strings.Contains(root["description"].(string), "LD-ROOT-") {
		t.Fatalf("root_recent_days: %v", root)
	}
}

// TestUnevaluatedFixtureIsReported: a fixture no test reaches was never
// validated, and is named.
func TestUnevaluatedFixtureIsReported(t *testing.T) {
	mods := withModule(t, "custom/c.rego", testMeta+"results contains u.name if {\n\tsome u in input.users\n}\n")
	src := "package lockdown.checks.ld_test_01_test\n\nimport data.lockdown.checks.ld_test_01\n\n" +
		"test_reached if {\n\tcount(ld_test_01.results) == 0 with input as {}\n}\n\n" +
		"test_unreached if {\n\tinput.root_problem == \"never\"\n\tcount(ld_test_01.results) == 0 with input as {\"users\": {}}\n}\n"
	tm, err := ast.ParseModuleWithOpts("custom/c_test.rego", src, ast.ParserOptions{RegoVersion: ast.RegoV1})
	if err != nil {
		t.Fatal(err)
	}
	mods["custom/c_test.rego"] = tm
	setup, err := NewTestSetup(mods)
	if err != nil {
		t.Fatal(err)
	}
	ch, err := tester.NewRunner().SetCompiler(setup.Compiler).SetModules(mods).AddCustomBuiltins(setup.Builtins).RunTests(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	for range ch {
	}
	if got := strings.Join(setup.Fixtures.Sites(), ","); got != "custom/c_test.rego:11,custom/c_test.rego:6" {
		t.Fatalf("sites %s", got)
	}
	if got := strings.Join(setup.Fixtures.Unevaluated(), ","); got != "custom/c_test.rego:11" {
		t.Fatalf("unevaluated %q, want the fixture of test_unreached", got)
	}
}

// TestCustomParamsInSchema: a --rules check's own parameters are part of the
// schema it is compiled with.
func TestCustomParamsInSchema(t *testing.T) {
	meta := strings.Replace(testMeta, "#   requires: [credential_report]\n", "#   requires: [credential_report]\n#   params:\n#     tag_key: owner\n", 1)
	body := "results contains u.arn if {\n\tsome u in input.users\n\tnot u.tags[input.params.tag_key]\n}\n"
	mods := withModule(t, "custom/p.rego", meta+body)
	if _, err := Compile(mods); err != nil {
		t.Fatal(err)
	}
	s, err := InputSchema(mods)
	if err != nil {
		t.Fatal(err)
	}
	p := s["properties"].(map[string]any)["params"].(map[string]any)["properties"].(map[string]any)["tag_key"].(map[string]any)
	if p["type"] != "string" || p["default"] != "owner" || !strings.Contains(p["description"].(string), "LD-TEST-01") {
		t.Fatalf("tag_key: %v", p)
	}
	bad := strings.Replace(body, "input.params.tag_key", "input.params.tag_kee", 1)
	if _, err := Compile(withModule(t, "custom/p.rego", meta+bad)); err == nil || !strings.Contains(err.Error(), "tag_kee") {
		t.Fatalf("a misspelt parameter compiled: %v", err)
	}
}

// TestEngineInputMeetsSchema: the input document the engine hands OPA
// (its own conversion of the facts, plus params) meets the published schema,
// required fields included, for every test snapshot.
func TestEngineInputMeetsSchema(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "..", filepath.FromSlash(InputSchemaFile)))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	jc := jsonschema.NewCompiler()
	if err := jc.AddResource("input.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := jc.Compile("input.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	paths, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "snapshots", "*.json"))
	more, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "snapshots", "*", "*.json"))
	n := 0
	for _, p := range append(paths, more...) {
		snap, _, err := snapshot.Load(p)
		if err != nil {
			continue // not a snapshot, or one meant to be rejected
		}
		f, err := facts.Build(snap)
		if err != nil {
			continue
		}
		in, err := e.input(f)
		if err != nil {
			t.Fatal(err)
		}
		x, err := ast.JSON(in)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(x)
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(v); err != nil {
			t.Errorf("%s: the engine's input does not meet %s: %v", p, InputSchemaFile, err)
		}
		n++
	}
	if n < 5 {
		t.Fatalf("only %d snapshots checked", n)
	}
}

// TestKnownSourcesAreTheSnapshotSchemas: the sources the input schema lists
// are the snapshot schema's.
func TestKnownSourcesAreTheSnapshotSchemas(t *testing.T) {
	var s struct {
		Defs struct {
			Sources struct {
				Properties map[string]any `json:"properties"`
			} `json:"sources"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(snapshot.SchemaJSON, &s); err != nil {
		t.Fatal(err)
	}
	if len(s.Defs.Sources.Properties) != len(KnownSources) {
		t.Fatalf("snapshot schema sources %v, KnownSources %v", s.Defs.Sources.Properties, KnownSources)
	}
	for _, k := range KnownSources {
		if _, ok := s.Defs.Sources.Properties[k]; !ok {
			t.Errorf("%s is not a source of the snapshot schema", k)
		}
	}
}

// TestFunctionArgumentsAreValidated: a test passing a function an object in
// place of the part of input the checks pass it gets that object checked.
func TestFunctionArgumentsAreValidated(t *testing.T) {
	check := testMeta + "results contains v(u) if {\n\tsome u in input.users\n}\n\nv(u) := u.name\n"
	mods := withModule(t, "custom/c.rego", check)
	src := "package lockdown.checks.ld_test_01_test\n\nimport data.lockdown.checks.ld_test_01\n\n" +
		"test_good if {\n\tld_test_01.v({\"name\": \"x\"}) == \"x\"\n}\n\n" +
		"test_bad if {\n\tnot ld_test_01.v({\"nmae\": \"x\"})\n}\n"
	tm, err := ast.ParseModuleWithOpts("custom/c_test.rego", src, ast.ParserOptions{RegoVersion: ast.RegoV1})
	if err != nil {
		t.Fatal(err)
	}
	mods["custom/c_test.rego"] = tm
	rs := runTests(t, mods)
	got := map[string]string{}
	for _, r := range rs {
		switch {
		case r.Error != nil:
			got[r.Name] = r.Error.Error()
		case r.Fail:
			got[r.Name] = "FAIL"
		default:
			got[r.Name] = "PASS"
		}
	}
	if got["test_good"] != "PASS" {
		t.Errorf("test_good: %s", got["test_good"])
	}
	if !strings.Contains(got["test_bad"], "custom/c_test.rego:10") || !strings.Contains(got["test_bad"], "'nmae' not allowed") ||
		!strings.Contains(got["test_bad"], "input.users[_]") {
		t.Errorf("test_bad: %s", got["test_bad"])
	}
}
