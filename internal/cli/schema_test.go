package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

func compile(t *testing.T, path, id string) *jsonschema.Schema {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(id, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(id)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return s
}

// Every golden report of a bundled snapshot matches the published schemas:
// JSON against lockdown.report/v1, SARIF against OASIS SARIF 2.1.0.
func TestGoldenReportsMatchSchemas(t *testing.T) {
	schemas := map[string]*jsonschema.Schema{
		".json":  compile(t, filepath.Join(repoRoot, "report", "schema", "report.schema.json"), "https://lockdown.test/report.schema.json"),
		".sarif": compile(t, filepath.Join(repoRoot, "report", "testdata", "sarif-schema-2.1.0.json"), "https://lockdown.test/sarif-schema-2.1.0.json"),
	}
	n := 0
	for ext, s := range schemas {
		files, _ := filepath.Glob(filepath.Join("testdata", "golden", "*"+ext))
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			v, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
			if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			if err := s.Validate(v); err != nil {
				t.Errorf("%s: %v", f, err)
			}
			n++
		}
	}
	if n < 60 {
		t.Fatalf("validated only %d golden reports", n)
	}
}
