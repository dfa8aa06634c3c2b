package engine

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lockdown-dev/lockdown/internal/findings"
)

// A custom check's results are read as Rego values: every malformed result
// is an error naming what is wrong, and a well-formed one keeps every field.
func TestDecodeResults(t *testing.T) {
	head := "# METADATA\n# title: t\n# custom:\n#   id: X-DEC-01\n#   severity: low\n#   requires: [account_summary]\npackage lockdown.checks.x_dec_01\n\n"
	res := `{"arn": "arn:aws:iam::123456789012:user/a", "type": "AWS::IAM::User", "name": "a"}`
	cases := map[string]struct{ body, want string }{
		"not a set":       {`results := "x"`, "results must be a set, got string"},
		"not an object":   {`results contains 1`, "not an object"},
		"no status":       {`results contains {"resource": ` + res + `, "message": "m"}`, "status is required"},
		"bad status":      {`results contains {"status": "OK", "resource": ` + res + `, "message": "m"}`, `status "OK" is not PASS`},
		"null message":    {`results contains {"status": "PASS", "resource": ` + res + `, "message": null}`, "message is required"},
		"number message":  {`results contains {"status": "PASS", "resource": ` + res + `, "message": 3}`, "message must be a string"},
		"empty message":   {`results contains {"status": "PASS", "resource": ` + res + `, "message": ""}`, "message is empty"},
		"no resource":     {`results contains {"status": "PASS", "message": "m"}`, "resource must be an object"},
		"resource string": {`results contains {"status": "PASS", "resource": "a", "message": "m"}`, "resource must be an object"},
		"no arn":          {`results contains {"status": "PASS", "resource": {"name": "a"}, "message": "m"}`, "arn is required"},
		"bad evidence":    {`results contains {"status": "FAIL", "resource": ` + res + `, "message": "m", "evidence": {"items": [1]}}`, "evidence.items: 1 is not a string"},
		"evidence key":    {`results contains {"status": "FAIL", "resource": ` + res + `, "message": "m", "evidence": {"other": []}}`, "evidence.other is not one of"},
		"twice":           {"results contains {\"status\": \"PASS\", \"resource\": " + res + ", \"message\": \"m\"}\n\nresults contains {\"status\": \"FAIL\", \"resource\": " + res + ", \"message\": \"n\"}", "two results for resource"},
	}
	for name, c := range cases {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "x.rego"), []byte(head+c.body+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		e, err := New(Options{ExtraRegoDirs: []string{dir}})
		if err != nil {
			if strings.Contains(err.Error(), c.want) {
				continue // refused when compiled: as good
			}
			t.Fatalf("%s: %v", name, err)
		}
		_, err = snapshotResults(context.Background(), e, newSnap(), []string{"X-DEC-01"})
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "X-DEC-01") {
			t.Errorf("%s: error %v, want one containing %q", name, err, c.want)
		}
	}

	dir := t.TempDir()
	body := "results contains {\"status\": \"FAIL\", \"resource\": " + res + ", \"message\": \"m\", \"detail\": \"d\", \"evidence\": {\"items\": [\"b\", \"a\", \"b\"], \"resources\": {\"r\"}}}\n\n" +
		"results contains {\"status\": \"PASS\", \"resource\": {\"arn\": \"x\", \"type\": null}, \"message\": \"p\", \"detail\": null, \"evidence\": null}\n"
	if err := os.WriteFile(filepath.Join(dir, "x.rego"), []byte(head+body), 0o644); err != nil {
		t.Fatal(err)
	}
	e := newEngine(t, Options{ExtraRegoDirs: []string{dir}})
	rs, err := snapshotResults(context.Background(), e, newSnap(), []string{"X-DEC-01"})
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 2 {
		t.Fatalf("%d results: %+v", len(rs), rs)
	}
	byStatus := map[findings.Status]findings.Result{}
	for _, r := range rs {
		byStatus[r.Status] = r
	}
	f := byStatus[findings.Fail]
	if f.Resource != (findings.Resource{ARN: "arn:aws:iam::123456789012:user/a", Type: "AWS::IAM::User", Name: "a"}) || f.Message != "m" || f.Detail != "d" ||
		f.Evidence == nil || strings.Join(f.Evidence.Items, ",") != "a,b" || strings.Join(f.Evidence.Resources, ",") != "r" || f.CheckID != "X-DEC-01" || f.Fingerprint == "" {
		t.Fatalf("FAIL result %+v (evidence %+v)", f, f.Evidence)
	}
	if p := byStatus[findings.Pass]; p.Resource.ARN != "x" || p.Resource.Type != "" || p.Detail != "" || p.Evidence != nil || p.Message != "p" {
		t.Fatalf("PASS result %+v", p)
	}
}
