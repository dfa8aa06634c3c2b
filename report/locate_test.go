package report

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/lockdown-dev/lockdown/internal/findings"
	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

func readSnapshot(t testing.TB) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/snapshot.json")
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// locateResults gives every result of rep (and of the baseline) its
// location in the snapshot data, as the CLI does before rendering.
// Renderers never locate anything themselves.
func locateResults(t testing.TB, data []byte, rep *findings.Report, baseline []findings.Result) {
	t.Helper()
	ix, err := snapshot.Index(data)
	if err != nil {
		t.Fatalf("indexing the snapshot: %v", err)
	}
	checks := rep.CheckByID()
	for _, results := range [][]findings.Result{rep.Results, baseline} {
		for i := range results {
			r := &results[i]
			loc, found := ix.Locate(r.Resource.ARN, r.Resource.Type, checks[r.CheckID].Requires)
			r.Location = &findings.Location{StartLine: loc.StartLine, EndLine: loc.EndLine, Fallback: !found}
		}
	}
}

// SARIF prints each result's location as it is, with or without the
// snapshot's bytes, and says which results have none.
func TestSARIFPrintsResultLocations(t *testing.T) {
	rep := loadFixture(t, "mixed")
	var fails []int
	for i, r := range rep.Results {
		if r.Status == findings.Fail {
			fails = append(fails, i)
		}
	}
	if len(fails) < 3 {
		t.Fatalf("%d failures in the fixture", len(fails))
	}
	// The first failure has none; the others lines 10*i..10*i+3.
	for n, i := range fails[1:] {
		rep.Results[i].Location = &findings.Location{StartLine: 10 * (n + 1), EndLine: 10*(n+1) + 3}
	}
	for _, data := range [][]byte{nil, readSnapshot(t)} {
		log, raw := renderSARIFLog(t, rep, Options{SnapshotPath: "s.json", SnapshotData: data})
		run := log.Runs[0]
		n := 0
		for _, res := range run.Results {
			if res.Kind != "fail" {
				continue
			}
			reg := res.Locations[0].PhysicalLocation.Region
			want := lineRange{1, 1}
			if n > 0 {
				want = lineRange{10 * n, 10*n + 3}
			}
			if got := (lineRange{reg.StartLine, reg.EndLine}); got != want {
				t.Errorf("data %v: failure %d at %v, want %v", data != nil, n, got, want)
			}
			n++
		}
		if n != len(fails) {
			t.Errorf("%d failures rendered, want %d", n, len(fails))
		}
		var texts []string
		for _, note := range run.Invocations[0].Notifications {
			texts = append(texts, note.Message.Text)
		}
		all := strings.Join(texts, "\n")
		want := "The snapshot s.json was not provided to the renderer; results point at line 1."
		if data != nil {
			// NOT_APPLICABLE results carry no location either.
			want = "have no location in the snapshot s.json; they point at line 1."
		}
		if !strings.Contains(all, want) {
			t.Errorf("data %v: no notification %q in:\n%s", data != nil, want, all)
		}
		if err := validateBytes(sarifSchema(t), raw); err != nil {
			t.Error(err)
		}
	}
	// Located results need no notification.
	locateResults(t, readSnapshot(t), rep, nil)
	log, _ := renderSARIFLog(t, rep, Options{SnapshotPath: "s.json"})
	for _, note := range log.Runs[0].Invocations[0].Notifications {
		if strings.Contains(note.Message.Text, "line 1") {
			t.Errorf("located results, yet: %s", note.Message.Text)
		}
	}
}

// The JSON report carries each location, and the schema accepts it.
func TestJSONLocation(t *testing.T) {
	rep := loadFixture(t, "mixed")
	locateResults(t, readSnapshot(t), rep, nil)
	var buf bytes.Buffer
	if err := Render(&buf, "json", rep, Options{}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"\"location\": {\n        \"start_line\": 99,\n        \"end_line\": 108\n      }",
		"\"location\": {\n        \"start_line\": 8,\n        \"end_line\": 14,\n        \"fallback\": true\n      }",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("JSON report lacks %q", want)
		}
	}
	s := compileSchema(t, "schema/report.schema.json", "https://github.com/lockdown-dev/lockdown/report/schema/report.schema.json")
	if err := validateBytes(s, buf.Bytes()); err != nil {
		t.Error(err)
	}
	bad := strings.Replace(out, `"start_line": 99`, `"start_line": 0`, 1)
	if err := validateBytes(s, []byte(bad)); err == nil {
		t.Error("the schema accepts start_line 0")
	}
}

// lineRange is a region's lines, for comparisons.
type lineRange struct{ Start, End int }
