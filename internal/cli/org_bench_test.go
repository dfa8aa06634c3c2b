package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lockdown-dev/lockdown/internal/collect/iamtest"
	"github.com/lockdown-dev/lockdown/internal/findings"
	"github.com/lockdown-dev/lockdown/internal/org"
	"github.com/lockdown-dev/lockdown/internal/term"
)

// benchEnv points the SDK at the loopback server with static dummy
// credentials, as iamtest's SetEnv does for tests.
func benchEnv(b *testing.B, srv *iamtest.Server) {
	dir := b.TempDir()
	for k, v := range map[string]string{
		"AWS_ENDPOINT_URL": srv.URL, "AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE",
		"AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "AWS_REGION": "us-east-1",
		"AWS_EC2_METADATA_DISABLED": "true", "AWS_CONFIG_FILE": filepath.Join(dir, "config"),
		"AWS_SHARED_CREDENTIALS_FILE": filepath.Join(dir, "credentials"), "AWS_PROFILE": "",
		"AWS_SESSION_TOKEN": "",
	} {
		b.Setenv(k, v)
		if v == "" {
			os.Unsetenv(k)
		}
	}
}

// heapPeak samples the heap in use until stop is called and returns the
// highest value seen.
func heapPeak() (stop func() uint64) {
	var peak atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			select {
			case <-done:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	return func() uint64 { close(done); wg.Wait(); return peak.Load() }
}

// BenchmarkOrgAudit audits generated organisations (every account 5 IAM
// users, 17 regions) at the loopback server through the real SDK, by
// organisation size and --concurrency. Reported: requests per run, wall
// time per account, the peak heap in use and, of it, the heap the loopback
// server and its organisation model held before the run (setup-heap; the
// server also keeps every request it served). LOCKDOWN_BENCH_ORG_SIZES (e.g. "100,1000") picks the sizes;
// the default is 100.
func BenchmarkOrgAudit(b *testing.B) {
	sizes := []int{100}
	if v := os.Getenv("LOCKDOWN_BENCH_ORG_SIZES"); v != "" {
		sizes = nil
		for _, s := range strings.Split(v, ",") {
			var n int
			fmt.Sscan(s, &n)
			sizes = append(sizes, n)
		}
	}
	// LOCKDOWN_BENCH_ORG_LATENCY (e.g. 20ms) delays every answer, as a
	// network to AWS does; at 0 the audit is bound by the machine's CPU.
	var latency time.Duration
	if v := os.Getenv("LOCKDOWN_BENCH_ORG_LATENCY"); v != "" {
		var err error
		if latency, err = time.ParseDuration(v); err != nil {
			b.Fatal(err)
		}
	}
	concurrencies := []int{1, 8, 32}
	if v := os.Getenv("LOCKDOWN_BENCH_ORG_CONCURRENCY"); v != "" {
		concurrencies = nil
		for _, s := range strings.Split(v, ",") {
			var c int
			fmt.Sscan(s, &c)
			concurrencies = append(concurrencies, c)
		}
	}
	for _, n := range sizes {
		for _, c := range concurrencies {
			b.Run(fmt.Sprintf("accounts=%d/concurrency=%d", n, c), func(b *testing.B) {
				srv := iamtest.NewOrgServer(b, iamtest.GenerateOrg(n, 5))
				srv.SetLatency(latency)
				benchEnv(b, srv)
				runtime.GC()
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				setup := ms.HeapInuse // the server and its organisation model
				stop := heapPeak()
				start := time.Now()
				for i := 0; i < b.N; i++ {
					out := filepath.Join(b.TempDir(), "org")
					if _, stderr, code := runB(b, "audit", "--org", "--out", out, "--concurrency", fmt.Sprint(c), "--fail-on", "none", "--aws-config-dir", b.TempDir()); code != ExitOK {
						b.Fatalf("exit %d: %s", code, lastLines(stderr, 5))
					}
				}
				elapsed := time.Since(start)
				peak := stop()
				b.ReportMetric(float64(srv.Total())/float64(b.N), "requests/op")
				b.ReportMetric(float64(elapsed.Milliseconds())/float64(b.N*n), "ms/account")
				b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
				b.ReportMetric(float64(setup)/(1<<20), "setup-heap-MiB")
			})
		}
	}
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// runB is run for benchmarks.
func runB(b *testing.B, args ...string) (string, string, int) {
	b.Helper()
	return runArgs(args...)
}

// runArgs runs lockdown with args, capturing its output.
func runArgs(args ...string) (stdout, stderr string, code int) {
	var out, errb bytes.Buffer
	streams := &term.IO{In: strings.NewReader(""), Out: &out, Err: &errb, Env: func(string) (string, bool) { return "", false }}
	code = Run(args, streams)
	return out.String(), errb.String(), code
}

// BenchmarkOrgMerge merges 10 shard reports of 100 accounts each (1,000
// accounts, 40 checks each) from disk into one report written to disk.
func BenchmarkOrgMerge(b *testing.B) {
	base := b.TempDir()
	var all []string
	for i := 0; i < 1000; i++ {
		all = append(all, fmt.Sprintf("1%011d", i))
	}
	var dirs []string
	for k := 1; k <= 10; k++ {
		var accounts []org.Account
		for _, id := range all {
			if org.ShardOf(id, 10) != k {
				continue
			}
			a := org.Account{ID: id, Name: "account-" + id, Status: org.StatusComplete, Dir: id,
				Summary: &findings.Summary{Total: 40, Pass: 30, Fail: 10, FailBySev: map[string]int{"high": 10}}, FailingBySeverity: map[string]int{"high": 10}}
			for c := 0; c < 40; c++ {
				a.Checks = append(a.Checks, org.CheckCount{ID: fmt.Sprintf("LD-X-%02d", c), Pass: c % 3, Fail: c % 2})
			}
			accounts = append(accounts, a)
		}
		rep := org.Build(org.Meta{OrganizationID: "o-bench00001", ManagementAccountID: all[0], CatalogVersion: "bench"},
			[]org.ShardRun{{K: k, N: 10, Selected: all}}, accounts)
		dir := filepath.Join(base, fmt.Sprintf("shard-%d", k))
		if err := os.MkdirAll(dir, 0o700); err != nil {
			b.Fatal(err)
		}
		if err := writeOrgReport(dir, rep); err != nil {
			b.Fatal(err)
		}
		dirs = append(dirs, dir)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		args := append([]string{"merge", "--out", filepath.Join(base, "merged"), "--format", "json", "--fail-on", "none"}, dirs...)
		if _, stderr, code := runArgs(args...); code != ExitOK {
			b.Fatalf("exit %d: %s", code, stderr)
		}
	}
}
