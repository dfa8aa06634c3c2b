package report

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/lockdown-dev/lockdown/internal/findings"
)

// largeCase builds a snapshot with n users (canonical 2-space layout) and a
// report with three failures per user across severities.
func largeCase(n int) (*findings.Report, []byte) {
	type user struct {
		Name string `json:"name"`
		ID   string `json:"id"`
		ARN  string `json:"arn"`
		Path string `json:"path"`
	}
	snap := struct {
		Schema  string            `json:"schema"`
		Account map[string]string `json:"account"`
		Users   []user            `json:"users"`
	}{Schema: "lockdown.snapshot/v1", Account: map[string]string{"id": "123456789012", "partition": "aws"}}
	rep := &findings.Report{Schema: findings.ReportSchemaV1, ToolVersion: "1.0.0", AccountID: "123456789012"}
	sevs := []findings.Severity{findings.Low, findings.Medium, findings.Critical}
	for i, s := range sevs {
		rep.Checks = append(rep.Checks, findings.Check{ID: fmt.Sprintf("check-%d", i), Title: "Check", Severity: s, Section: "IAM Users",
			Remediation: "aws iam get-user --user-name USER", DocsURL: "https://example.com/docs"})
	}
	for u := 0; u < n; u++ {
		name := fmt.Sprintf("user-%05d", u)
		arn := "arn:aws:iam::123456789012:user/team/" + name
		snap.Users = append(snap.Users, user{Name: name, ID: fmt.Sprintf("AIDA%016d", u), ARN: arn, Path: "/team/"})
		for i, s := range sevs {
			id := fmt.Sprintf("check-%d", i)
			rep.Results = append(rep.Results, findings.Result{CheckID: id, Title: "Check", Severity: s, Status: findings.Fail,
				Resource: findings.Resource{ARN: arn, Type: "AWS::IAM::User", Name: name},
				Message:  name + " fails " + id + " because the account says so.", Fingerprint: findings.Fingerprint(id, rep.AccountID, arn, "")})
		}
	}
	data, _ := json.MarshalIndent(snap, "", "  ")
	return rep, append(data, '\n')
}

// GitHub accepts 25,000 results per run and 10 MB of gzipped SARIF.
func TestSARIFLargeReportWithinGitHubLimits(t *testing.T) {
	if testing.Short() {
		t.Skip("large report")
	}
	rep, snap := largeCase(10000) // 30,000 failures
	start := time.Now()
	locateResults(t, snap, rep, nil)
	log, raw := renderSARIFLog(t, rep, Options{SnapshotPath: "snap.json", SnapshotData: snap})
	elapsed := time.Since(start)
	run := log.Runs[0]
	if len(run.Results) != 25000 {
		t.Fatalf("%d results, want 25000", len(run.Results))
	}
	// All critical and medium failures survive; only low ones are dropped.
	kept := map[string]int{}
	for _, r := range run.Results {
		kept[r.RuleID]++
	}
	if kept["check-2"] != 10000 || kept["check-1"] != 10000 || kept["check-0"] != 5000 {
		t.Errorf("kept per check %v, want check-2 and check-1 10000, check-0 5000", kept)
	}
	// Results still point at their own user object.
	last := run.Results[len(run.Results)-1].Locations[0].PhysicalLocation.Region
	if last.StartLine < 10 || last.EndLine-last.StartLine != 5 {
		t.Errorf("last result region %+v", last)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(raw)
	zw.Close()
	t.Logf("30,000 failures: %d bytes of SARIF, %d gzipped, located and rendered in %v", len(raw), gz.Len(), elapsed)
	if gz.Len() >= 10<<20 {
		t.Errorf("gzipped SARIF is %d bytes, over GitHub's 10 MB", gz.Len())
	}
}

func BenchmarkSARIF3kFailures(b *testing.B) {
	rep, snap := largeCase(1000)
	locateResults(b, snap, rep, nil)
	opts := Options{SnapshotPath: "snap.json", SnapshotData: snap}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := Render(io.Discard, "sarif", rep, opts); err != nil {
			b.Fatal(err)
		}
	}
}
