package privesc

import (
	"fmt"
	"testing"

	"github.com/lockdown-dev/lockdown/internal/access"
	"github.com/lockdown-dev/lockdown/internal/snapshot"
	"github.com/lockdown-dev/lockdown/internal/snapshot/snapshottest"
)

// BenchmarkEscalation measures the whole analysis (every principal's
// shortest path) on the generated snapshots of 1,000 and 10,000 users; the
// policy engine's verdicts (access.Analyze) are computed once beforehand,
// as the audit has them already.
func BenchmarkEscalation(b *testing.B) {
	for _, cfg := range []snapshottest.Config{
		{Users: 1000, Roles: 200, Policies: 500, Seed: 1},
		{Users: 10000, Roles: 2000, Policies: 5000, Seed: 1},
	} {
		snap := snapshottest.Generate(cfg)
		acct, err := access.New(snap)
		if err != nil {
			b.Fatal(err)
		}
		an := acct.Analyze(access.AnalyzeOptions{Now: snap.CollectedAt})
		opts := Options{Now: snap.CollectedAt, Inventory: benchInventory(snap)}
		b.Run(fmt.Sprintf("users=%d", cfg.Users), func(b *testing.B) {
			b.ReportAllocs()
			var res *Result
			for i := 0; i < b.N; i++ {
				if res, err = Analyze(acct, an, opts); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(res.Decisions), "decisions")
			b.ReportMetric(float64(len(res.Principals)), "principals")
		})
	}
}

func benchInventory(snap *snapshot.Snapshot) Inventory {
	inv := Inventory{InstanceProfiles: map[string][]string{}, Users: map[string]UserState{},
		UsersUnknown: "credential report not read", InstancesUnknown: "EC2 instances (not collected)",
		FunctionsUnknown: "Lambda functions (not collected)", AdminVersions: AdminVersions(snap)}
	for _, r := range snap.Roles {
		if len(r.InstanceProfiles) > 0 {
			inv.InstanceProfiles[r.ARN] = r.InstanceProfiles
		}
	}
	return inv
}
