package access

import (
	"fmt"
	"testing"

	"github.com/lockdown-dev/lockdown/internal/snapshot/snapshottest"
)

// BenchmarkAnalyze measures the policy analysis (New and Analyze) of
// generated accounts the size of the bench snapshots of tools/benchaudit:
// 1k (1,000 users, 200 roles, 500 policies) and 10k (ten times that).
func BenchmarkAnalyze(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("%dk", n/1000), func(b *testing.B) {
			if testing.Short() && n > 1000 {
				b.Skip("10k account in -short mode")
			}
			snap := snapshottest.Generate(snapshottest.Config{Users: n, Roles: n / 5, Policies: n / 2, Seed: 1})
			b.ReportAllocs()
			for b.Loop() {
				a, err := New(snap)
				if err != nil {
					b.Fatal(err)
				}
				a.Analyze(AnalyzeOptions{Now: snap.CollectedAt})
			}
		})
	}
}
