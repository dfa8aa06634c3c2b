package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The embedded data is what the script makes from the shared catalogue.
func TestEmbeddedDataIsCurrent(t *testing.T) {
	dir := os.Getenv("LOCKDOWN_SHARED_DATA")
	if dir == "" {
		t.Skip("LOCKDOWN_SHARED_DATA is not set: the catalogue is not here to compare with")
	}
	raw, err := os.ReadFile(filepath.Join(dir, "privilege-escalation-methods.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := Compile(raw)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join("..", "..", "internal", "privesc", "methods.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("internal/privesc/methods.json is stale: run go run ./tools/mkprivesc")
	}
}

func TestCompileRefusesUnsoundCatalogues(t *testing.T) {
	good := `schema_version: 1
categories: {self-escalation: x}
sources: [{name: s, repo: r, commit: c, license: MIT}]
count: 1
methods:
- {id: iam-001, name: n, category: self-escalation, required_actions: [iam:CreatePolicyVersion]}
`
	if _, err := Compile([]byte(good)); err != nil {
		t.Fatalf("good catalogue refused: %v", err)
	}
	for name, bad := range map[string]string{
		"count":    strings.Replace(good, "count: 1", "count: 2", 1),
		"category": strings.Replace(good, "category: self-escalation,", "category: other,", 1),
		"action":   strings.Replace(good, "iam:CreatePolicyVersion", "iam:Create*", 1),
		"sources":  strings.Replace(good, "sources: [{name: s, repo: r, commit: c, license: MIT}]", "sources: []", 1),
		"version":  strings.Replace(good, "schema_version: 1", "schema_version: 2", 1),
	} {
		if _, err := Compile([]byte(bad)); err == nil {
			t.Errorf("%s: unsound catalogue accepted", name)
		}
	}
}
