package org

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lockdown-dev/lockdown/internal/findings"
)

func accountIDs(n, from int) []string {
	var out []string
	for i := 0; i < n; i++ {
		out = append(out, fmt.Sprintf("%012d", 200000000000+from+i*7919))
	}
	return out
}

// Every account is in exactly one shard, the shards are about even, and
// adding accounts moves none of the existing ones.
func TestShardsPartitionAndStayStable(t *testing.T) {
	ids := accountIDs(4000, 0)
	const n = 8
	before := map[string]int{}
	sizes := make([]int, n+1)
	for _, id := range ids {
		in := 0
		for k := 1; k <= n; k++ {
			if (Shard{K: k, N: n}).Has(id) {
				in++
				before[id] = k
				sizes[k]++
			}
		}
		if in != 1 {
			t.Fatalf("account %s is in %d shards", id, in)
		}
	}
	for k := 1; k <= n; k++ {
		if sizes[k] < 4000/n*8/10 || sizes[k] > 4000/n*12/10 {
			t.Errorf("shard %d/%d has %d of 4000 accounts", k, n, sizes[k])
		}
	}
	for _, id := range append(ids, accountIDs(500, 3)...) {
		if k, ok := before[id]; ok && ShardOf(id, n) != k {
			t.Errorf("account %s moved from shard %d to %d when accounts were added", id, k, ShardOf(id, n))
		}
	}
	for _, bad := range []string{"0/4", "5/4", "1", "a/b", "2/0", ""} {
		if _, err := ParseShard(bad); err == nil {
			t.Errorf("ParseShard(%q) accepted", bad)
		}
	}
	if s, err := ParseShard("3/8"); err != nil || s != (Shard{K: 3, N: 8}) {
		t.Errorf("ParseShard(3/8) = %v, %v", s, err)
	}
}

func sampleMembers() []Member {
	return []Member{
		{ID: "100000000000", Name: "mgmt", State: "ACTIVE", Parent: "r-ab12"},
		{ID: "100000000001", Name: "w", State: "ACTIVE", Parent: "ou-ab12-aaaaaaaa"},
		{ID: "100000000002", Name: "p", State: "ACTIVE", Parent: "ou-ab12-bbbbbbbb"},
		{ID: "100000000003", Name: "s", State: "ACTIVE", Parent: "ou-ab12-cccccccc"},
		{ID: "100000000004", Name: "gone", State: "SUSPENDED", Parent: "ou-ab12-bbbbbbbb"},
	}
}

func ids(ts []Target) string {
	var out []string
	for _, t := range ts {
		out = append(out, t.ID)
	}
	return strings.Join(out, " ")
}

func TestSelect(t *testing.T) {
	workloads := map[string]bool{"ou-ab12-aaaaaaaa": true, "ou-ab12-bbbbbbbb": true}
	for _, tc := range []struct {
		f        Filter
		want     string
		inactive int
		err      string
	}{
		{Filter{}, "100000000000 100000000001 100000000002 100000000003", 1, ""},
		{Filter{OU: "ou-ab12-aaaaaaaa", Units: workloads}, "100000000001 100000000002", 1, ""},
		{Filter{OU: "ou-ab12-bbbbbbbb", Units: map[string]bool{"ou-ab12-bbbbbbbb": true}, Exclude: []string{"100000000002"}}, "", 1, ""},
		{Filter{Include: []string{"100000000003", "100000000000"}}, "100000000000 100000000003", 0, ""},
		{Filter{Exclude: []string{"100000000000"}}, "100000000001 100000000002 100000000003", 1, ""},
		{Filter{OU: "ou-ab12-cccccccc", Units: map[string]bool{"ou-ab12-cccccccc": true}, Include: []string{"100000000001"}}, "", 0, "100000000001 not in OU ou-ab12-cccccccc"},
	} {
		got, inactive, err := Select("o-abcdefghij", sampleMembers(), tc.f)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%+v: error %v, want %q", tc.f, err, tc.err)
			}
			continue
		}
		if err != nil || ids(got) != tc.want || len(inactive) != tc.inactive {
			t.Errorf("%+v: %q inactive %v err %v, want %q", tc.f, ids(got), inactive, err, tc.want)
		}
	}
	if _, err := ParseAccountList("accounts", []string{"100000000001,12345"}); err == nil {
		t.Error("a short account ID was accepted")
	}
}

// Run never has more audits in flight than allowed, halves the limit
// when an audit was throttled, and returns every account.
func TestRunBoundedAndAdaptive(t *testing.T) {
	var targets []Target
	for _, id := range accountIDs(60, 0) {
		targets = append(targets, Target{ID: id})
	}
	var inFlight, peak atomic.Int32
	var mu sync.Mutex
	var afterThrottle []int32
	throttled := map[string]bool{targets[5].ID: true, targets[6].ID: true, targets[7].ID: true}
	entries := Run(context.Background(), targets, 8, func(ctx context.Context, tg Target) Account {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(2 * time.Millisecond)
		if throttled[tg.ID] {
			return Account{ID: tg.ID, Status: StatusIncomplete, Throttled: true}
		}
		return Account{ID: tg.ID, Status: StatusComplete}
	}, func(a Account) {
		mu.Lock()
		defer mu.Unlock()
		afterThrottle = append(afterThrottle, inFlight.Load())
	})
	if len(entries) != 60 {
		t.Fatalf("%d entries", len(entries))
	}
	if p := peak.Load(); p > 8 || p < 2 {
		t.Errorf("peak concurrency %d, want 2..8", p)
	}
	seen := map[string]bool{}
	for _, e := range entries {
		seen[e.ID] = true
	}
	if len(seen) != 60 {
		t.Errorf("%d distinct accounts", len(seen))
	}
	// The limiter: three throttles in a row take 8 down to 1.
	l := newLimiter(8)
	for i := 0; i < 3; i++ {
		l.active++
		l.release(true)
	}
	if l.limit != 1 {
		t.Errorf("limit after three throttles %d, want 1", l.limit)
	}
	l.active++
	l.release(false)
	if l.limit != 2 {
		t.Errorf("limit after a clean audit %d, want 2", l.limit)
	}
	// A cancelled run reports the rest as failed rather than auditing them.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	entries = Run(ctx, targets[:3], 2, func(context.Context, Target) Account { t.Error("audited after cancel"); return Account{} }, nil)
	for _, e := range entries {
		if e.Status != StatusFailed || !strings.Contains(e.Cause, "canceled") {
			t.Errorf("cancelled: %+v", e)
		}
	}
}

func sampleAccount(id string, status string, fails map[string]int, checks ...CheckCount) Account {
	a := Account{ID: id, Name: "acct-" + id, Status: status, FailingBySeverity: fails, Checks: checks, Controls: []ControlStatus{}}
	if status != StatusFailed {
		a.Summary = &findings.Summary{FailBySev: map[string]int{}}
		a.Dir = id
	} else {
		a.Cause = "sts:AssumeRole AccessDenied"
	}
	return a
}

func sampleMeta() Meta {
	return Meta{OrganizationID: "o-abcdefghij", ManagementAccountID: "100000000000", CatalogVersion: "c1",
		Checks: map[string]findings.Check{
			"LD-A": {ID: "LD-A", Title: "A", Severity: "high"},
			"LD-B": {ID: "LD-B", Title: "B", Severity: "critical"},
		}, Controls: map[[2]string]string{}}
}

func TestBuildWorstFirstAndSchema(t *testing.T) {
	accounts := []Account{
		sampleAccount("100000000001", StatusComplete, map[string]int{"high": 2}, CheckCount{ID: "LD-A", Fail: 2}, CheckCount{ID: "LD-B", Pass: 1}),
		sampleAccount("100000000002", StatusFailed, map[string]int{}),
		sampleAccount("100000000003", StatusComplete, map[string]int{"critical": 1}, CheckCount{ID: "LD-A", Pass: 1}, CheckCount{ID: "LD-B", Fail: 1}),
		sampleAccount("100000000004", StatusIncomplete, map[string]int{}, CheckCount{ID: "LD-A", NotAssessed: 1}, CheckCount{ID: "LD-B", Fail: 1}),
	}
	accounts[3].Controls = []ControlStatus{{Framework: "cis-aws-5.0", ID: "1.1", Status: "NOT_ASSESSED"}}
	r := Build(sampleMeta(), []ShardRun{{K: 1, N: 1, Selected: []string{"100000000001", "100000000002", "100000000003", "100000000004", "100000000005"}}}, accounts)
	var order []string
	for _, a := range r.Accounts {
		order = append(order, a.ID)
	}
	if strings.Join(order, " ") != "100000000002 100000000003 100000000001 100000000004" {
		t.Errorf("accounts order %v", order)
	}
	if r.Checks[0].ID != "LD-B" || r.Checks[0].AccountsFailing != 2 || r.Checks[1].AccountsNotAssessed != 1 || r.Checks[1].Failures != 2 {
		t.Errorf("checks %+v", r.Checks)
	}
	if r.Summary != (Summary{Accounts: 4, Complete: 2, Incomplete: 1, Failed: 1, Missing: 1, Failing: 2}) || strings.Join(r.Missing, " ") != "100000000005" {
		t.Errorf("summary %+v missing %v", r.Summary, r.Missing)
	}
	if r.Failing(5) != 1 || r.Failing(4) != 2 || r.Failing(0) != 0 {
		t.Errorf("Failing: critical %d, high %d", r.Failing(5), r.Failing(4))
	}
	data, err := r.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if err := ValidateJSON(data); err != nil {
		t.Fatalf("the report does not match its schema: %v", err)
	}
	// The schema can fail: a status it does not know.
	bad := bytes.Replace(data, []byte(`"status": "failed"`), []byte(`"status": "broken"`), 1)
	if ValidateJSON(bad) == nil {
		t.Error("the schema accepts an unknown status")
	}
}

func TestMergeRefusesDuplicatesAndNamesMissing(t *testing.T) {
	all := []string{"100000000001", "100000000002", "100000000003"}
	shard := func(k int, accts ...Account) *Report {
		return Build(sampleMeta(), []ShardRun{{K: k, N: 3, Selected: all}}, accts)
	}
	a1 := sampleAccount("100000000001", StatusComplete, map[string]int{"high": 1}, CheckCount{ID: "LD-A", Fail: 1})
	a2 := sampleAccount("100000000002", StatusComplete, map[string]int{}, CheckCount{ID: "LD-A", Pass: 1})
	m, err := Merge([]*Report{shard(1, a1), shard(2, a2)}, []string{"s1", "s2"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(m.Missing, " ") != "100000000003" || m.Summary.Accounts != 2 || len(m.Shards) != 2 || m.Checks[0].Title != "A" {
		t.Errorf("merged: missing %v summary %+v shards %v checks %+v", m.Missing, m.Summary, m.Shards, m.Checks)
	}
	if m.Accounts[0].Dir != "s1/100000000001" {
		t.Errorf("dir %q", m.Accounts[0].Dir)
	}
	for _, tc := range []struct {
		reports []*Report
		want    string
	}{
		{[]*Report{shard(1, a1), shard(1, a2)}, "shard 1/3 is in both s1 and s2"},
		{[]*Report{shard(1, a1), shard(2, a1)}, "account 100000000001 is in both s1 and s2"},
		{[]*Report{shard(1, a1), Build(sampleMeta(), []ShardRun{{K: 2, N: 4}}, nil)}, "of 3 shards"},
	} {
		if _, err := Merge(tc.reports, []string{"s1", "s2"}); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("merge: %v, want %q", err, tc.want)
		}
	}
	other := shard(2, a2)
	other.OrganizationID = "o-zzzzzzzzzz"
	if _, err := Merge([]*Report{shard(1, a1), other}, []string{"s1", "s2"}); err == nil || !strings.Contains(err.Error(), "organization") {
		t.Errorf("two organizations merged: %v", err)
	}
}

// A shard report merge cannot rely on is refused with the file named, not
// read into a panic: no shards, an unknown status.
func TestLoadRefusesAReportOutsideTheSchema(t *testing.T) {
	all := []string{"100000000001"}
	good := Build(sampleMeta(), []ShardRun{{K: 1, N: 1, Selected: all}},
		[]Account{sampleAccount("100000000001", StatusComplete, map[string]int{}, CheckCount{ID: "LD-A", Pass: 1})})
	data, err := good.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	if _, err := Load(write("good.json", data)); err != nil {
		t.Fatalf("a report Build made does not load: %v", err)
	}
	edit := func(change func(m map[string]any)) []byte {
		var m map[string]any
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatal(err)
		}
		change(m)
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	for name, b := range map[string][]byte{
		"no-shards.json":  edit(func(m map[string]any) { m["shards"] = []any{} }),
		"bad-status.json": edit(func(m map[string]any) { m["accounts"].([]any)[0].(map[string]any)["status"] = "fine" }),
	} {
		p := write(name, b)
		if _, err := Load(p); err == nil || !strings.Contains(err.Error(), p) {
			t.Errorf("%s: %v, want an error naming the file", name, err)
		}
	}
}
