package report

import (
	"bytes"
	"encoding/json"
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
	} // The compliance section and controls: each mutation of a valid report
	// must be rejected.
	data, err := os.ReadFile(filepath.Join("testdata", "golden", "compliance.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := validateBytes(s, data); err != nil {
		t.Fatalf("compliance.json: %v", err)
	}
	type doc = map[string]any
	framework := func(d doc) doc { return d["compliance"].([]any)[0].(doc) }
	control := func(d doc, i int) doc { return framework(d)["controls"].([]any)[i].(doc) }
	for name, edit := range map[string]func(d doc){
		"unknown control status":       func(d doc) { control(d, 0)["status"] = "SKIPPED" },
		"control without results":      func(d doc) { delete(control(d, 1), "results") },
		"null control checks":          func(d doc) { control(d, 0)["checks"] = nil },
		"control without an ID":        func(d doc) { control(d, 1)["id"] = "" },
		"summary without manual":       func(d doc) { delete(framework(d)["summary"].(doc), "manual") },
		"negative control count":       func(d doc) { framework(d)["summary"].(doc)["automated"] = -1 },
		"framework without a name":     func(d doc) { framework(d)["framework"] = "" },
		"extra framework field":        func(d doc) { framework(d)["score"] = 1 },
		"failing resource without arn": func(d doc) { delete(control(d, 3)["failing"].([]any)[0].(doc), "arn") },
		"result controls not a list": func(d doc) {
			d["results"].([]any)[0].(doc)["controls"] = doc{"cis-aws-5.0": "1.4"}
		},
		"empty control list on a check": func(d doc) {
			d["checks"].([]any)[0].(doc)["controls"] = doc{"cis-aws-5.0": []any{}}
		},
		"compliance not a list": func(d doc) { d["compliance"] = framework(d) },
	} {
		var d doc
		if err := json.Unmarshal(data, &d); err != nil {
			t.Fatal(err)
		}
		edit(d)
		bad, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		if err := validateBytes(s, bad); err == nil {
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
