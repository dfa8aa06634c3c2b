package access

import (
	"testing"

	"github.com/lockdown-dev/lockdown/internal/snapshot/snapshottest"
)

// BenchmarkAnalyze measures the policy analysis of a generated account of
// 500 users, 100 roles and 250 policies.
func BenchmarkAnalyze(b *testing.B) {
	snap := snapshottest.Generate(snapshottest.Config{Users: 500, Roles: 100, Policies: 250, Seed: 1})
	a, err := New(snap)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		a.Analyze(AnalyzeOptions{Now: snap.CollectedAt})
	}
}
