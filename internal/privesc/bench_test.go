package privesc

import (
	"fmt"
	"syscall"
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
			cpu0 := cpuTime()
			for i := 0; i < b.N; i++ {
				if res, err = Analyze(acct, an, opts); err != nil {
					b.Fatal(err)
				}
			}
			// CPU time is the figure to compare on a shared machine,
			// where wall time depends on the load.
			b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
			b.ReportMetric(float64(res.Decisions), "decisions")
			b.ReportMetric(float64(len(res.Principals)), "principals")
		})
	}
}

// cpuTime is the process's user and system CPU time so far, in ns.
func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
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
