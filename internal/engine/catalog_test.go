package engine

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestCatalogVersionStable(t *testing.T) {
	v := CatalogVersion()
	if !regexp.MustCompile(`^sha256:[0-9a-f]{16}$`).MatchString(v) || v != CatalogVersion() {
		t.Fatalf("catalog version %q", v)
	}
	a := digestFiles([]sourceFile{{name: "a", src: []byte("x")}, {name: "b", src: []byte("y")}})
	b := digestFiles([]sourceFile{{name: "b", src: []byte("y")}, {name: "a", src: []byte("x")}})
	c := digestFiles([]sourceFile{{name: "a", src: []byte("xb")}, {name: "", src: []byte("y")}})
	if a != b || a == c {
		t.Fatalf("digest depends on order or is ambiguous: %s %s %s", a, b, c)
	}
}

func TestResolveChecks(t *testing.T) {
	eng, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := eng.ResolveChecks([]string{"ld-mfa-01", "LD-ADM-01", "Ld-Mfa-01"})
	if err != nil || strings.Join(got, ",") != "LD-MFA-01,LD-ADM-01" {
		t.Fatalf("%v %v", got, err)
	}
	_, err = eng.ResolveChecks([]string{"LD-MFA-01", "nope", "LD-X"})
	var ue *UnknownCheckError
	if !errors.As(err, &ue) || strings.Join(ue.IDs, ",") != "nope,LD-X" || len(ue.Known) < 20 {
		t.Fatalf("%v", err)
	}
}

func TestParamsFromText(t *testing.T) {
	eng, err := New(Options{Params: map[string]any{"access_key_max_age_days": "60"}})
	if err != nil {
		t.Fatal(err)
	}
	p := eng.Params()
	if p["access_key_max_age_days"] == nil || p["access_key_max_age_days"].(interface{ String() string }).String() != "60" {
		t.Fatalf("params %v", p)
	}
	if p["root_recent_days"] == nil {
		t.Fatalf("defaults missing: %v", p)
	}
	for value, problem := range map[string]string{"abc": "must be an integer", "1.5": "must be an integer", "-1": "must not be negative"} {
		_, err := New(Options{Params: map[string]any{"access_key_max_age_days": value}})
		var pe *ParamError
		if !errors.As(err, &pe) || pe.Problem != problem || pe.UsedBy != "LD-KEY-01" {
			t.Errorf("%s: %v", value, err)
		}
	}
	_, err = New(Options{Params: map[string]any{"nope": "1"}})
	var pe *ParamError
	if !errors.As(err, &pe) || !pe.Unknown || len(pe.Known) < 7 {
		t.Fatalf("unknown: %v", err)
	}
	if v, problem := convertParam("yes", true); problem == "" {
		t.Fatalf("bool: %v", v)
	}
	if v, problem := convertParam("2.5", 1.5); problem != "" || v != 2.5 {
		t.Fatalf("float: %v %s", v, problem)
	}
}

func TestRulesFilesMustHoldChecks(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "lib.rego")
	if err := os.WriteFile(f, []byte("package lockdown.lib.mine\n\nx := 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := New(Options{ExtraRegoDirs: []string{dir}})
	if err == nil || !strings.Contains(err.Error(), f+": package lockdown.lib.mine is outside lockdown.checks.*") {
		t.Fatalf("%v", err)
	}
	if v, err := RulesVersion(nil); v != "" || err != nil {
		t.Fatal("no rules, no rules version")
	}
}
