package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func gunzip(t *testing.T, path string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestRunSmallInput(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "ref.json")
	out := filepath.Join(dir, "out.txt.gz")
	doc := `{"_meta":{"source":"src","upstream_commit":"abc","upstream_license":"MIT"},"services":{
	 "iam":{"conditionKeys":{"aws:tagkeys":{"key":"aws:TagKeys","type":"ArrayOfString"},"iam:passedtoservice":{"key":"iam:PassedToService","type":"String"}},"actions":{"createuser":{"name":"CreateUser","accessLevel":"Write"},"tagrole":{"name":"TagRole","accessLevel":"Tagging, Write"},
	   "createpolicyversion":{"name":"CreatePolicyVersion","accessLevel":"Permissions management, Write"}}},
	 "a2c":{"actions":{"getx":{"name":"GetX","accessLevel":"Read"},"listy":{"name":"ListY","accessLevel":"List"}}}}}`
	if err := os.WriteFile(in, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := run(in, out); err != nil {
		t.Fatal(err)
	}
	got := gunzip(t, out)
	want := "@multivalued\taws:TagKeys\na2c\tGetX:R ListY:L\niam\tCreatePolicyVersion:P CreateUser:W TagRole:T\n"
	if !strings.HasSuffix(got, want) || !strings.Contains(got, "commit abc") || !strings.Contains(got, "licence: MIT") {
		t.Fatalf("output:\n%s", got)
	}
	first, _ := os.ReadFile(out)
	if err := run(in, out); err != nil {
		t.Fatal(err)
	}
	second, _ := os.ReadFile(out)
	if !bytes.Equal(first, second) {
		t.Fatal("output is not deterministic")
	}
}

func TestRunRejectsUnknownLevel(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "ref.json")
	if err := os.WriteFile(in, []byte(`{"services":{"x":{"actions":{"a":{"name":"A","accessLevel":"Admin"}}}}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	err := run(in, filepath.Join(dir, "o.gz"))
	if err == nil || !strings.Contains(err.Error(), "x:A") || !strings.Contains(err.Error(), "Admin") {
		t.Fatalf("got %v", err)
	}
}

// The embedded catalogue must be what the generator makes from the pinned data.
func TestEmbeddedCatalogIsCurrent(t *testing.T) {
	src := "/work/shared/data/iam-service-reference.json"
	if d := os.Getenv("LOCKDOWN_SHARED_DATA"); d != "" {
		src = filepath.Join(d, "iam-service-reference.json")
	}
	if _, err := os.Stat(src); err != nil {
		t.Skipf("reference data %s not available (set LOCKDOWN_SHARED_DATA): %v", src, err)
	}
	out := filepath.Join(t.TempDir(), "actions.txt.gz")
	if err := run(src, out); err != nil {
		t.Fatal(err)
	}
	fresh, _ := os.ReadFile(out)
	embedded, err := os.ReadFile("../../internal/iampolicy/catalog/actions.txt.gz")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(fresh, embedded) {
		t.Fatal("internal/iampolicy/catalog/actions.txt.gz is stale: run go run ./tools/gencatalog")
	}
}
