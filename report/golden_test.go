package report

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lockdown-dev/lockdown/internal/findings"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// golden is one rendering checked against testdata/golden/<name>.
type golden struct {
	name    string // output file name
	fixture string // testdata/<fixture>.input.json
	format  string
	opts    func(t *testing.T) Options
}

func noOpts(*testing.T) Options { return Options{} }

func withSnapshot(extra Options) func(t *testing.T) Options {
	return func(t *testing.T) Options {
		o := extra
		if o.SnapshotPath == "" {
			o.SnapshotPath = "testdata/snapshot.json"
		}
		o.SnapshotData = readSnapshot(t) // render locates the results in it
		return o
	}
}

var goldens = []golden{
	{"mixed.json", "mixed", "json", noOpts},
	{"mixed.sarif", "mixed", "sarif", withSnapshot(Options{})},
	{"mixed.rooted.sarif", "mixed", "sarif", withSnapshot(Options{SARIFRoot: "/home/ci/repo/sub/..", SnapshotPath: "/home/ci/repo/audits/prod snapshot.json"})},
	{"mixed.txt", "mixed", "table", noOpts},
	{"mixed.wide.txt", "mixed", "table", func(*testing.T) Options { return Options{Width: 140} }},
	{"mixed.quiet.txt", "mixed", "table", func(*testing.T) Options { return Options{Quiet: true} }},
	{"mixed.color.txt", "mixed", "table", func(*testing.T) Options { return Options{Color: true, Width: 100} }},
	{"mixed.md", "mixed", "markdown", noOpts},
	{"mixed.quiet.md", "mixed", "markdown", func(*testing.T) Options { return Options{Quiet: true} }},
	{"mixed.junit.xml", "mixed", "junit", noOpts},
	{"clean.json", "clean", "json", noOpts},
	{"clean.sarif", "clean", "sarif", withSnapshot(Options{SnapshotPath: "snapshots/clean account.json"})},
	{"clean.txt", "clean", "table", noOpts},
	{"clean.quiet.txt", "clean", "table", func(*testing.T) Options { return Options{Quiet: true} }},
	{"clean.md", "clean", "markdown", noOpts},
	{"clean.junit.xml", "clean", "junit", noOpts},
	{"minimal.json", "minimal", "json", noOpts},
	{"minimal.sarif", "minimal", "sarif", noOpts},
	{"minimal.txt", "minimal", "table", noOpts},
	{"minimal.md", "minimal", "markdown", noOpts},
	{"minimal.junit.xml", "minimal", "junit", noOpts},
	// compliance has a compliance section: two frameworks, every control
	// status, manual controls and a control with 25 failing resources.
	{"compliance.json", "compliance", "json", noOpts},
	{"compliance.sarif", "compliance", "sarif", noOpts},
	{"compliance.txt", "compliance", "table", noOpts},
	{"compliance.wide.txt", "compliance", "table", func(*testing.T) Options { return Options{Width: 140} }},
	{"compliance.quiet.txt", "compliance", "table", func(*testing.T) Options { return Options{Quiet: true} }},
	{"compliance.color.txt", "compliance", "table", func(*testing.T) Options { return Options{Color: true, Width: 100} }},
	{"compliance.md", "compliance", "markdown", noOpts},
	{"compliance.quiet.md", "compliance", "markdown", func(*testing.T) Options { return Options{Quiet: true} }},
	{"compliance.junit.xml", "compliance", "junit", noOpts},
	// hostile is hostileReport(false) (hostile_test.go): every field carries
	// terminal escapes, CI commands, bidi controls, markup and mentions.
	{"hostile.txt", "hostile", "table", noOpts},
	{"hostile.color.txt", "hostile", "table", func(*testing.T) Options { return Options{Color: true, Width: 100} }},
	{"hostile.md", "hostile", "markdown", noOpts},
	{"hostile.sarif", "hostile", "sarif", noOpts},
	{"hostile.junit.xml", "hostile", "junit", noOpts},
}

func loadFixture(t *testing.T, name string) *findings.Report {
	t.Helper()
	if name == "hostile" {
		return hostileReport(false)
	}
	data, err := os.ReadFile(filepath.Join("testdata", name+".input.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rep findings.Report
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rep); err != nil {
		t.Fatalf("%s.input.json: %v", name, err)
	}
	return &rep
}

func render(t *testing.T, g golden) []byte {
	t.Helper()
	var buf bytes.Buffer
	rep, opts := loadFixture(t, g.fixture), g.opts(t)
	if len(opts.SnapshotData) > 0 {
		locateResults(t, opts.SnapshotData, rep, opts.Baseline)
	}
	if err := Render(&buf, g.format, rep, opts); err != nil {
		t.Fatalf("%s: %v", g.name, err)
	}
	return buf.Bytes()
}

func TestGolden(t *testing.T) {
	for _, g := range goldens {
		t.Run(g.name, func(t *testing.T) {
			got := render(t, g)
			path := filepath.Join("testdata", "golden", g.name)
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./report -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from the golden file; diff:\n%s", g.name, lineDiff(string(want), string(got)))
			}
		})
	}
}

// TestDeterministic renders every golden twice from freshly decoded reports
// and demands identical bytes.
func TestDeterministic(t *testing.T) {
	for _, g := range goldens {
		a, b := render(t, g), render(t, g)
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two renderings differ:\n%s", g.name, lineDiff(string(a), string(b)))
		}
	}
}

func TestFormatsAndUnknownFormat(t *testing.T) {
	rep := loadFixture(t, "clean")
	for _, f := range Formats() {
		var buf bytes.Buffer
		if err := Render(&buf, f, rep, Options{}); err != nil {
			t.Errorf("%s: %v", f, err)
		}
		if buf.Len() == 0 {
			t.Errorf("%s: empty output", f)
		}
	}
	err := Render(&bytes.Buffer{}, "yaml", rep, Options{})
	if err == nil || !strings.Contains(err.Error(), `"yaml"`) {
		t.Errorf("unknown format error = %v; want it to name \"yaml\"", err)
	}
	if err := Render(&bytes.Buffer{}, "json", nil, Options{}); err == nil {
		t.Error("nil report: no error")
	}
}

// lineDiff shows the first differing lines of two texts.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	shown := 0
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			b.WriteString("line " + itoa(i+1) + "\n  want: " + wl + "\n  got:  " + gl + "\n")
			if shown++; shown == 10 {
				break
			}
		}
	}
	return b.String()
}

func itoa(i int) string { return strings.TrimSpace(strings.Repeat(" ", 0) + jsonInt(i)) }

func jsonInt(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}
