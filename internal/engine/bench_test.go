package engine

import (
	"context"
	"syscall"
	"testing"
	"time"

	"github.com/lockdown-dev/lockdown/internal/facts"
	"github.com/lockdown-dev/lockdown/internal/findings"
)

// BenchmarkEvaluate runs every check on a 10,000-user, 2,000-role,
// 5,000-policy account: facts, one input conversion, one query.
func BenchmarkEvaluate(b *testing.B) {
	snap := syntheticSnapshot(10000, 2000, 5000)
	e := newEngine(b, Options{})
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	cpu := startCPU()
	var n int
	for i := 0; i < b.N; i++ {
		rs, err := snapshotResults(ctx, e, snap, nil)
		if err != nil {
			b.Fatal(err)
		}
		n = len(rs)
	}
	cpu.report(b)
	b.ReportMetric(float64(n), "results")
}

// TestSyntheticAccount checks the generator's account end to end with a
// small size, so the benchmark measures something meaningful.
func TestSyntheticAccount(t *testing.T) {
	e := newEngine(t, Options{})
	rs, err := snapshotResults(context.Background(), e, syntheticSnapshot(90, 30, 200), nil)
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]map[findings.Status]int{}
	for _, r := range rs {
		if count[r.CheckID] == nil {
			count[r.CheckID] = map[findings.Status]int{}
		}
		count[r.CheckID][r.Status]++
	}
	for _, c := range e.Checks() {
		if len(count[c.ID]) == 0 {
			t.Errorf("%s produced no result", c.ID)
		}
	}
	// 90 users: every 3rd has no password (60 with), half have MFA.
	if got := count["LD-MFA-03"]; got[findings.Fail] != 30 || got[findings.Pass] != 30 {
		t.Errorf("LD-MFA-03: %v", got)
	}
	// Key 1 of every 4th user was rotated in 2024; key 2 of every 9th is recent.
	if got := count["LD-KEY-01"]; got[findings.Fail] != 23 || got[findings.Pass] != 67+10 {
		t.Errorf("LD-KEY-01: %v", got)
	}
	if got := count["LD-KEY-03"]; got[findings.Fail] != 10 || got[findings.Pass] != 80 {
		t.Errorf("LD-KEY-03: %v", got)
	}
	// Users with their own policies: every 10th or 25th.
	if got := count["LD-GRP-02"]; got[findings.Fail] != 9+4-2 { // 0 and 50 are counted once
		t.Errorf("LD-GRP-02: %v", got)
	}
}

// The phases of BenchmarkEvaluate, measured apart.

func BenchmarkFactsBuild(b *testing.B) {
	snap := syntheticSnapshot(10000, 2000, 5000)
	b.ReportAllocs()
	b.ResetTimer()
	cpu := startCPU()
	for i := 0; i < b.N; i++ {
		if _, err := facts.Build(snap); err != nil {
			b.Fatal(err)
		}
	}
	cpu.report(b)
}

func BenchmarkInputConversion(b *testing.B) {
	f, err := facts.Build(syntheticSnapshot(10000, 2000, 5000))
	if err != nil {
		b.Fatal(err)
	}
	e := newEngine(b, Options{})
	b.ReportAllocs()
	b.ResetTimer()
	cpu := startCPU()
	for i := 0; i < b.N; i++ {
		if _, err := e.input(f); err != nil {
			b.Fatal(err)
		}
	}
	cpu.report(b)
}

// cpuClock measures the CPU time (user and system, every thread, the
// garbage collector's included) a benchmark's loop takes: on a machine
// shared with other work it varies far less than wall time.
type cpuClock struct{ start time.Duration }

func processCPU() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func startCPU() cpuClock { return cpuClock{processCPU()} }

func (c cpuClock) report(b *testing.B) {
	b.ReportMetric(float64(processCPU()-c.start)/float64(b.N), "cpu-ns/op")
}

func BenchmarkEvaluateFacts(b *testing.B) {
	f, err := facts.Build(syntheticSnapshot(10000, 2000, 5000))
	if err != nil {
		b.Fatal(err)
	}
	e := newEngine(b, Options{})
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	cpu := startCPU()
	for i := 0; i < b.N; i++ {
		if _, err := e.evaluate(ctx, f, e.defs); err != nil {
			b.Fatal(err)
		}
	}
	cpu.report(b)
}
