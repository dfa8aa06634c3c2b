// Command benchaudit measures a whole offline audit of snapshots: load,
// facts and policy analysis, Rego evaluation, JSON rendering, against the
// floor of merely decoding the same file with encoding/json into maps.
// Each run of each snapshot is a child process of its own, so that its
// peak resident memory is that of one audit.
//
//	go run ./tools/benchaudit -snapshot 1k.json -snapshot 10k.json [-runs 3]
//
// It prints per-phase wall and CPU times (median of -runs), the spread of
// the runs (the machine's noise), the audit/decode ratio,
// peak RSS against the file size, and, with two snapshots, how time grew
// from the first to the second against their user counts.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime/metrics"
	"runtime/pprof"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/lockdown-dev/lockdown/internal/engine"
	"github.com/lockdown-dev/lockdown/internal/facts"
	"github.com/lockdown-dev/lockdown/internal/findings"
	"github.com/lockdown-dev/lockdown/internal/snapshot"
	"github.com/lockdown-dev/lockdown/report"
)

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(s string) error { *m = append(*m, s); return nil }

// measurement is one child's result, passed back as JSON.
type measurement struct {
	Path      string             `json:"path"`
	Users     int                `json:"users"`
	Groups    int                `json:"groups"`
	Roles     int                `json:"roles"`
	Policies  int                `json:"policies"`
	FileBytes int                `json:"file_bytes"`
	Results   int                `json:"results"`
	JSONBytes int                `json:"json_bytes"`
	Phases    map[string]float64 `json:"phases"`    // seconds, median of runs
	Live      map[string]float64 `json:"live"`      // MB of live heap (as of the last GC) at the end of each phase, first run
	CPU       map[string]float64 `json:"cpu"`       // CPU seconds of each phase (user+system, all threads), median of runs
	HWM       map[string]float64 `json:"hwm"`       // MB of peak resident memory so far at the end of each phase, first run
	Alloc     map[string]float64 `json:"alloc"`     // MB allocated during each phase, first run (does not vary with the machine's load)
	Objects   map[string]float64 `json:"objects"`   // millions of objects allocated during each phase, first run
	Decode    float64            `json:"decode"`    // seconds, median: encoding/json into maps
	Audit     float64            `json:"audit"`     // seconds, median: load through render
	AuditCPU  float64            `json:"audit_cpu"` // CPU seconds (user+system, all threads), median: less sensitive to other load than wall time
	PeakRSS   int64              `json:"peak_rss"`
	// The spread of the runs (min, max), the measure of the machine's noise.
	AuditRange  [2]float64 `json:"audit_range"`
	DecodeRange [2]float64 `json:"decode_range"`
	CPURange    [2]float64 `json:"cpu_range"`
	RSSRange    [2]float64 `json:"rss_range"`
}

var phaseOrder = []string{"load+validate", "compile checks", "facts", "evaluate", "render json"}

func main() {
	var paths multiFlag
	flag.Var(&paths, "snapshot", "snapshot file to audit (repeatable; two give a growth ratio)")
	runs := flag.Int("runs", 3, "runs per snapshot; medians are reported")
	child := flag.Bool("child", false, "measure one snapshot and print JSON (internal)")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of one audit to this file")
	memProfile := flag.String("memprofile", "", "write an allocation profile of one audit to this file")
	reportOut := flag.String("report", "", "write the JSON report of one audit to this file (with two snapshots, a second one to FILE.2), to compare outputs across changes")
	flag.Parse()
	if len(paths) == 0 || *runs < 1 {
		fmt.Fprintln(os.Stderr, "usage: benchaudit -snapshot FILE [-snapshot FILE] [-runs N] [-cpuprofile F] [-memprofile F]")
		os.Exit(2)
	}
	if *child {
		m, err := measure(paths[0], *runs, *cpuProfile, *memProfile, *reportOut)
		if err == nil {
			err = json.NewEncoder(os.Stdout).Encode(m)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "benchaudit:", err)
			os.Exit(1)
		}
		return
	}
	var ms []measurement
	for i, p := range paths {
		out := *reportOut
		if out != "" && i > 0 {
			out += "." + fmt.Sprint(i+1)
		}
		// Each run is a process of its own, so that its peak resident
		// memory is that of one audit, as `lockdown audit` makes, not of
		// several audits' garbage; the first run writes the profiles.
		var each []measurement
		for r := 0; r < *runs; r++ {
			cpu, mem, rep := *cpuProfile, *memProfile, out
			if i > 0 { // the second snapshot's profiles go to FILE.2, like its report
				cpu, mem = suffixed(cpu, i), suffixed(mem, i)
			}
			if r > 0 {
				cpu, mem, rep = "", "", ""
			}
			m, err := inChild(p, 1, cpu, mem, rep)
			if err != nil {
				fmt.Fprintln(os.Stderr, "benchaudit:", err)
				os.Exit(1)
			}
			each = append(each, m)
		}
		m := merge(each)
		ms = append(ms, m)
		print(m, *runs)
	}
	if len(ms) >= 2 {
		a, b := ms[0], ms[len(ms)-1]
		if a.Users > 0 && a.Audit > 0 {
			fmt.Printf("growth %d -> %d users: x%.1f users, audit time x%.2f, audit CPU x%.2f (linear would be x%.1f; target <= 11)\n",
				a.Users, b.Users, float64(b.Users)/float64(a.Users), b.Audit/a.Audit, b.AuditCPU/max(a.AuditCPU, 1e-9), float64(b.Users)/float64(a.Users))
		}
	}
}

func inChild(path string, runs int, cpu, mem, reportOut string) (measurement, error) {
	args := []string{"-child", "-snapshot", path, "-runs", fmt.Sprint(runs)}
	if cpu != "" {
		args = append(args, "-cpuprofile", cpu)
	}
	if mem != "" {
		args = append(args, "-memprofile", mem)
	}
	if reportOut != "" {
		args = append(args, "-report", reportOut)
	}
	cmd := exec.Command(os.Args[0], args...)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return measurement{}, fmt.Errorf("%s: %w", path, err)
	}
	var m measurement
	if err := json.Unmarshal(out, &m); err != nil {
		return m, fmt.Errorf("%s: reading the child's figures: %w", path, err)
	}
	return m, nil
}

func print(m measurement, runs int) {
	fmt.Printf("snapshot: %s (%d users, %d groups, %d roles, %d policies, %.1f MB; median of %d runs)\n", m.Path,
		m.Users, m.Groups, m.Roles, m.Policies, float64(m.FileBytes)/1e6, runs)
	for _, p := range phaseOrder {
		fmt.Printf("  %-16s %8.2f s   CPU %6.2f s   alloc %6.0f MB %6.2f M objects   live heap %6.0f MB   peak RSS so far %6.0f MB\n", p, m.Phases[p], m.CPU[p], m.Alloc[p], m.Objects[p], m.Live[p], m.HWM[p])
	}
	var alloc, objects float64
	for _, p := range phaseOrder {
		alloc, objects = alloc+m.Alloc[p], objects+m.Objects[p]
	}
	fmt.Printf("  %-16s %8.2f s  (runs %.2f-%.2f; %d results, JSON report %.1f MB)\n", "audit (total)", m.Audit, m.AuditRange[0], m.AuditRange[1], m.Results, float64(m.JSONBytes)/1e6)
	fmt.Printf("  %-16s %8.2f s  (runs %.2f-%.2f; user+system; wall time suffers more from other work on the machine)\n", "audit CPU", m.AuditCPU, m.CPURange[0], m.CPURange[1])
	fmt.Printf("  %-16s %8.0f MB  (%.2f M objects; the same on a busy machine)\n", "allocated", alloc, objects)
	fmt.Printf("  %-16s %8.2f s  (runs %.2f-%.2f; encoding/json into maps)\n", "decode floor", m.Decode, m.DecodeRange[0], m.DecodeRange[1])
	if m.Decode > 0 {
		fmt.Printf("  audit / decode   %8.1f x   (target <= 5; CPU / decode %.1f x)\n", m.Audit/m.Decode, m.AuditCPU/m.Decode)
	}
	fmt.Printf("  peak RSS         %8.1f MB  (runs %.0f-%.0f MB; %.1f x the file; target <= 10)\n", float64(m.PeakRSS)/1e6, m.RSSRange[0]/1e6, m.RSSRange[1]/1e6, float64(m.PeakRSS)/float64(max(m.FileBytes, 1)))
}

// merge combines the measurements of single runs: medians of the times
// and of the peak RSS, spreads of the totals, the first run's live heaps.
func merge(each []measurement) measurement {
	m := each[0]
	m.Phases, m.CPU = map[string]float64{}, map[string]float64{}
	var audits, decodes, cpus, rss []float64
	for _, p := range phaseOrder {
		var wall, cpu []float64
		for _, e := range each {
			wall, cpu = append(wall, e.Phases[p]), append(cpu, e.CPU[p])
		}
		m.Phases[p], m.CPU[p] = median(wall), median(cpu)
	}
	for _, e := range each {
		audits, decodes, cpus, rss = append(audits, e.Audit), append(decodes, e.Decode), append(cpus, e.AuditCPU), append(rss, float64(e.PeakRSS))
	}
	m.Audit, m.Decode, m.AuditCPU, m.PeakRSS = median(audits), median(decodes), median(cpus), int64(median(rss))
	m.AuditRange, m.DecodeRange, m.CPURange, m.RSSRange = spread(audits), spread(decodes), spread(cpus), spread(rss)
	return m
}

func suffixed(path string, i int) string {
	if path == "" {
		return ""
	}
	return path + "." + fmt.Sprint(i+1)
}

func spread(xs []float64) [2]float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	return [2]float64{s[0], s[len(s)-1]}
}

func median(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	return s[len(s)/2]
}

func measure(path string, runs int, cpu, mem, reportOut string) (measurement, error) {
	m := measurement{Path: path, Phases: map[string]float64{}, Live: map[string]float64{}, CPU: map[string]float64{}, HWM: map[string]float64{},
		Alloc: map[string]float64{}, Objects: map[string]float64{}}
	phases, cpuPhases := map[string][]float64{}, map[string][]float64{}
	var audits, decodes, cpus []float64
	for i := 0; i < runs; i++ {
		data, err := os.ReadFile(path)
		if err != nil {
			return m, err
		}
		t := time.Now()
		var v any
		if err := json.Unmarshal(data, &v); err != nil {
			return m, fmt.Errorf("%s: %w", path, err)
		}
		decodes = append(decodes, time.Since(t).Seconds())
		v = nil

		var stop func()
		if i == 0 && cpu != "" {
			f, err := os.Create(cpu)
			if err != nil {
				return m, err
			}
			if err := pprof.StartCPUProfile(f); err != nil {
				return m, err
			}
			stop = func() { pprof.StopCPUProfile(); f.Close() }
		}
		var rendered *bytes.Buffer
		if i == 0 && reportOut != "" {
			rendered = &bytes.Buffer{}
		}
		total, cpu, err := auditOnce(path, &m, phases, cpuPhases, rendered)
		audits = append(audits, total.Seconds())
		cpus = append(cpus, cpu)
		if stop != nil {
			stop()
		}
		if err != nil {
			return m, err
		}
		if rendered != nil {
			if err := os.WriteFile(reportOut, rendered.Bytes(), 0o600); err != nil {
				return m, err
			}
		}
		if i == 0 && mem != "" {
			f, err := os.Create(mem)
			if err != nil {
				return m, err
			}
			if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
				return m, errors.Join(err, f.Close())
			}
			f.Close()
		}
	}
	for k, v := range phases {
		m.Phases[k] = median(v)
	}
	for k, v := range cpuPhases {
		m.CPU[k] = median(v)
	}
	m.Audit, m.Decode, m.AuditCPU = median(audits), median(decodes), median(cpus)
	m.AuditRange, m.DecodeRange, m.CPURange = spread(audits), spread(decodes), spread(cpus)
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	m.PeakRSS = ru.Maxrss * 1024
	return m, nil
}

// allocated is the bytes and objects the process has allocated so far.
func allocated() (bytes, objects uint64) {
	s := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}, {Name: "/gc/heap/allocs:objects"}}
	metrics.Read(s)
	if s[0].Value.Kind() == metrics.KindUint64 && s[1].Value.Kind() == metrics.KindUint64 {
		return s[0].Value.Uint64(), s[1].Value.Uint64()
	}
	return 0, 0
}

// liveHeapMB is the heap the last garbage collection found live, in MB.
func liveHeapMB() float64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return float64(s[0].Value.Uint64()) / 1e6
}

// countingWriter counts the bytes written, passing them on to w if set.
type countingWriter struct {
	w io.Writer
	n int
}

func (c *countingWriter) Write(p []byte) (int, error) {
	c.n += len(p)
	if c.w != nil {
		return c.w.Write(p)
	}
	return len(p), nil
}

// peakRSSMB is the process's peak resident memory so far, in MB.
func peakRSSMB() float64 {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return float64(ru.Maxrss) * 1024 / 1e6
}

// cpuSeconds is the CPU time the process has used so far.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

// auditOnce runs the offline audit path once, as `lockdown audit --snapshot
// FILE --format json` does, timing each phase: load, compile, facts.Build,
// engine.Evaluate, render. It returns the wall and CPU time of them all.
func auditOnce(path string, m *measurement, phases, cpuPhases map[string][]float64, rendered *bytes.Buffer) (time.Duration, float64, error) {
	var total time.Duration
	var totalCPU float64
	lap, lapCPU := time.Now(), cpuSeconds()
	lapBytes, lapObjects := allocated()
	mark := func(name string) {
		d, c := time.Since(lap), cpuSeconds()-lapCPU
		b, o := allocated()
		phases[name] = append(phases[name], d.Seconds())
		cpuPhases[name] = append(cpuPhases[name], c)
		if _, ok := m.Live[name]; !ok {
			m.Live[name] = liveHeapMB()
			m.HWM[name] = peakRSSMB()
			m.Alloc[name] = float64(b-lapBytes) / 1e6
			m.Objects[name] = float64(o-lapObjects) / 1e6
		}
		total += d
		totalCPU += c
		lap, lapCPU = time.Now(), cpuSeconds()
		lapBytes, lapObjects = allocated()
	}
	snap, data, err := snapshot.Load(path)
	if err != nil {
		return 0, 0, err
	}
	mark("load+validate")
	eng, err := engine.New(engine.Options{})
	if err != nil {
		return 0, 0, err
	}
	mark("compile checks")
	f, err := facts.Build(snap)
	if err != nil {
		return 0, 0, err
	}
	mark("facts")
	outcome, err := eng.Evaluate(context.Background(), f, nil)
	if err != nil {
		return 0, 0, err
	}
	results := outcome.Results
	mark("evaluate")
	rep := &findings.Report{Schema: findings.ReportSchemaV1, AccountID: snap.Account.ID, SnapshotDigest: snapshot.Digest(data),
		CollectedAt: snap.CollectedAt, Summary: findings.Summarize(results), Checks: eng.Checks(), Results: results}
	// The report goes where `lockdown audit` sends it, a file or a pipe,
	// not into memory: only its size is kept (and, with -report, a copy).
	out := &countingWriter{}
	if rendered != nil {
		out.w = rendered
	}
	if err := report.Render(out, "json", rep, report.Options{}); err != nil {
		return 0, 0, err
	}
	mark("render json")
	m.Users, m.Groups, m.Roles, m.Policies = len(snap.Users), len(snap.Groups), len(snap.Roles), len(snap.Policies)
	m.FileBytes, m.Results, m.JSONBytes = len(data), len(results), out.n
	return total, totalCPU, nil
}
