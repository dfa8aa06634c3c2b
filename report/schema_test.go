package report

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

func compileSchema(t *testing.T, path, id string) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(id, doc); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	s, err := c.Compile(id)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return s
}

func validateFile(t *testing.T, s *jsonschema.Schema, path string) error {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return validateBytes(s, data)
}

func validateBytes(s *jsonschema.Schema, data []byte) error {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return err
	}
	return s.Validate(doc)
}

func goldenFiles(t *testing.T, suffix string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "golden", "*"+suffix))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no golden %s files", suffix)
	}
	return files
}

func TestJSONGoldensMatchReportSchema(t *testing.T) {
	s := compileSchema(t, "schema/report.schema.json", "https://github.com/lockdown-dev/lockdown/report/schema/report.schema.json")
	for _, f := range goldenFiles(t, ".json") {
		if err := validateFile(t, s, f); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	// The schema must be able to fail.
	for name, bad := range map[string]string{
		"wrong schema id": `{"schema":"lockdown.report/v2","tool_version":"","account_id":"","snapshot_digest":"","collected_at":"2026-01-01T00:00:00Z","summary":{"total":0,"pass":0,"fail":0,"not_assessed":0,"fail_by_severity":{}},"checks":[],"results":[]}`,
		"bad status":      `{"schema":"lockdown.report/v1","tool_version":"","account_id":"","snapshot_digest":"","collected_at":"2026-01-01T00:00:00Z","summary":{"total":0,"pass":0,"fail":0,"not_assessed":0,"fail_by_severity":{}},"checks":[],"results":[{"check_id":"x","title":"","severity":"low","status":"OK","resource":{"arn":"","type":"","name":""},"message":"","fingerprint":""}]}`,
		"null results":    `{"schema":"lockdown.report/v1","tool_version":"","account_id":"","snapshot_digest":"","collected_at":"2026-01-01T00:00:00Z","summary":{"total":0,"pass":0,"fail":0,"not_assessed":0,"fail_by_severity":{}},"checks":[],"results":null}`,
		"extra field":     `{"schema":"lockdown.report/v1","tool_version":"","account_id":"","snapshot_digest":"","collected_at":"2026-01-01T00:00:00Z","summary":{"total":0,"pass":0,"fail":0,"not_assessed":0,"fail_by_severity":{}},"checks":[],"results":[],"extra":1}`,
		"bad digest":      `{"schema":"lockdown.report/v1","tool_version":"","account_id":"","snapshot_digest":"md5:00","collected_at":"2026-01-01T00:00:00Z","summary":{"total":0,"pass":0,"fail":0,"not_assessed":0,"fail_by_severity":{}},"checks":[],"results":[]}`,
		"bad time":        `{"schema":"lockdown.report/v1","tool_version":"","account_id":"","snapshot_digest":"","collected_at":"yesterday","summary":{"total":0,"pass":0,"fail":0,"not_assessed":0,"fail_by_severity":{}},"checks":[],"results":[]}`,
	} {
		if err := validateBytes(s, []byte(bad)); err == nil {
			t.Errorf("%s: accepted by the report schema", name)
		}
	}
}

func sarifSchema(t *testing.T) *jsonschema.Schema {
	return compileSchema(t, "testdata/sarif-schema-2.1.0.json", sarifSchemaURI)
}

func TestSARIFGoldensMatchOASISSchema(t *testing.T) {
	s := sarifSchema(t)
	for _, f := range goldenFiles(t, ".sarif") {
		if err := validateFile(t, s, f); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	// A broken log must be rejected, or this test proves nothing.
	data, err := os.ReadFile(filepath.Join("testdata", "golden", "mixed.sarif"))
	if err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(string(data), `"level": "error"`, `"level": "fatal"`, 1)
	if err := validateBytes(s, []byte(bad)); err == nil {
		t.Error("a result with level \"fatal\" was accepted by the SARIF schema")
	}
}
