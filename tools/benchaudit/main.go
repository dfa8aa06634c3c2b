// Command benchaudit measures a whole offline audit of one snapshot: load,
// facts and policy analysis, Rego evaluation, JSON rendering. It prints wall
// times per phase and the process's peak resident memory.
//
//	go run ./tools/benchaudit -snapshot FILE
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"runtime/pprof"
	"syscall"
	"time"

	"github.com/lockdown-dev/lockdown/internal/engine"
	"github.com/lockdown-dev/lockdown/internal/facts"
	"github.com/lockdown-dev/lockdown/internal/findings"
	"github.com/lockdown-dev/lockdown/internal/snapshot"
	"github.com/lockdown-dev/lockdown/report"
)

func main() {
	path := flag.String("snapshot", "", "snapshot file to audit")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the evaluation to this file")
	flag.Parse()
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "benchaudit:", err)
			os.Exit(1)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(os.Stderr, "benchaudit:", err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	if *path == "" {
		fmt.Fprintln(os.Stderr, "benchaudit: -snapshot FILE is required")
		os.Exit(2)
	}
	if err := run(*path); err != nil {
		pprof.StopCPUProfile()
		fmt.Fprintln(os.Stderr, "benchaudit:", err)
		os.Exit(1)
	}
}

func run(path string) error {
	t0 := time.Now()
	snap, data, err := snapshot.Load(path)
	if err != nil {
		return err
	}
	tLoad := time.Since(t0)

	t1 := time.Now()
	eng, err := engine.New(engine.Options{})
	if err != nil {
		return err
	}
	tCompile := time.Since(t1)

	// Facts alone, to show how the evaluation time splits.
	t2 := time.Now()
	if _, err := facts.Build(snap); err != nil {
		return err
	}
	tFacts := time.Since(t2)

	t3 := time.Now()
	results, err := eng.Evaluate(context.Background(), snap, nil)
	if err != nil {
		return err
	}
	tEval := time.Since(t3)

	t4 := time.Now()
	rep := &findings.Report{Schema: findings.ReportSchemaV1, AccountID: snap.Account.ID, SnapshotDigest: snapshot.Digest(data),
		CollectedAt: snap.CollectedAt, Summary: findings.Summarize(results), Checks: eng.Checks(), Results: results}
	var buf bytes.Buffer
	if err := report.Render(&buf, "json", rep, report.Options{}); err != nil {
		return err
	}
	tRender := time.Since(t4)

	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	fmt.Printf("snapshot: %s (%d users, %d groups, %d roles, %d policies, %.1f MB)\n", path,
		len(snap.Users), len(snap.Groups), len(snap.Roles), len(snap.Policies), float64(len(data))/1e6)
	fmt.Printf("load+validate   %8.2f s\n", tLoad.Seconds())
	fmt.Printf("compile checks  %8.2f s\n", tCompile.Seconds())
	fmt.Printf("facts (alone)   %8.2f s\n", tFacts.Seconds())
	fmt.Printf("evaluate        %8.2f s  (facts + policy analysis + Rego; %d results)\n", tEval.Seconds(), len(results))
	fmt.Printf("render json     %8.2f s  (%.1f MB)\n", tRender.Seconds(), float64(buf.Len())/1e6)
	fmt.Printf("peak RSS        %8.1f MB\n", float64(ru.Maxrss)/1024)
	return nil
}
