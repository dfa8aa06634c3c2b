package differential

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/lockdown-dev/lockdown/internal/iampolicy"
)

var guideTestdata = filepath.Join("..", "testdata")

// prepared is a parsed case ready for repeated evaluation.
type prepared struct {
	set iampolicy.PolicySet
	req iampolicy.Request
}

func prepare(tb testing.TB, cases []Case) []prepared {
	tb.Helper()
	var out []prepared
	for i := range cases {
		set, err := cases[i].PolicySet()
		if err != nil {
			tb.Fatalf("case %s: %v", cases[i].ID, err)
		}
		out = append(out, prepared{set, cases[i].GoRequest()})
	}
	return out
}

// BenchmarkGuideWorkload is the Go side of the comparison with run.mjs
// --bench: the same cases, policies parsed once.
func BenchmarkGuideWorkload(b *testing.B) {
	cases, err := GuideCases(guideTestdata)
	if err != nil {
		b.Fatal(err)
	}
	ps := prepare(b, cases)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		p := &ps[i%len(ps)]
		_ = iampolicy.Evaluate(p.set, p.req)
	}
}

// TestSpeedAgainstSimulator measures the guide workload in Go and in
// iam-simulate (one node process, policies validated once, catalogue
// loaded before timing) and reports decisions per second and the ratio.
//
// It is a measurement, not a test of the suite: timings on a shared machine
// are not pass/fail material, so it runs only under `make bench`
// (LOCKDOWN_IAMSIM_SPEED=1) and reports the figures.
func TestSpeedAgainstSimulator(t *testing.T) {
	if os.Getenv("LOCKDOWN_IAMSIM_SPEED") != "1" {
		t.Skip("speed measurement against @cloud-copilot/iam-simulate: run with LOCKDOWN_IAMSIM_SPEED=1 (make bench sets it)")
	}
	ctx := context.Background()
	tool := Tool{Root: repoRoot}
	if err := tool.Installed(); err != nil {
		t.Fatal(err)
	}
	cases, err := GuideCases(guideTestdata)
	if err != nil {
		t.Fatal(err)
	}
	// Both must agree on the workload before their speeds mean anything.
	sims, err := tool.Run(ctx, cases)
	if err != nil {
		t.Fatal(err)
	}
	for i := range cases {
		got, want, err := Compare(&cases[i], sims[i])
		if err != nil || got != want {
			t.Fatalf("guide case %s: lockdown %s, iam-simulate %s (%v)", cases[i].ID, got, want, err)
		}
	}
	const nodeDecisions = 3000
	nb, err := tool.Bench(ctx, cases, nodeDecisions)
	if err != nil {
		t.Fatal(err)
	}
	ps := prepare(t, cases)
	res := testing.Benchmark(func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			p := &ps[i%len(ps)]
			_ = iampolicy.Evaluate(p.set, p.req)
		}
	})
	goPerSec := float64(res.N) / res.T.Seconds()
	ratio := goPerSec / nb.DecisionsPerSecond
	t.Logf("guide workload (%d requests): lockdown %.0f decisions/s (%d ns/op, %d allocs/op), iam-simulate %.0f decisions/s (%d in %.2fs), ratio %.1fx",
		len(cases), goPerSec, res.NsPerOp(), res.AllocsPerOp(), nb.DecisionsPerSecond, nb.Decisions, nb.Seconds, ratio)
	if ratio < 20 {
		t.Logf("below the goal: lockdown should be at least 20x faster than iam-simulate")
	}
}

// TestGuideBenchFileInSync keeps tools/iamsim/guide-bench.jsonl (the
// default workload of run.mjs --bench) equal to GuideCases. Regenerate with
// LOCKDOWN_UPDATE_GUIDE_BENCH=1.
func TestGuideBenchFileInSync(t *testing.T) {
	cases, err := GuideCases(guideTestdata)
	if err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	if err := WriteCases(&want, cases); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(repoRoot, "tools", "iamsim", "guide-bench.jsonl")
	if os.Getenv("LOCKDOWN_UPDATE_GUIDE_BENCH") == "1" {
		if err := os.WriteFile(path, want.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want.Bytes()) {
		t.Fatalf("%s is out of date with GuideCases; regenerate with LOCKDOWN_UPDATE_GUIDE_BENCH=1 go test -run TestGuideBenchFileInSync ./internal/iampolicy/differential", path)
	}
}
