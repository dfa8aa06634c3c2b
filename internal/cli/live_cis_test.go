package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/lockdown-dev/lockdown/internal/collect"
	"github.com/lockdown-dev/lockdown/internal/collect/iamtest"
	"github.com/lockdown-dev/lockdown/internal/findings"
	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

// The CIS test accounts collected through the real collectors from the
// loopback server (IAM, STS, Account, Access Analyzer and EC2 in every
// region) and audited with every framework: each control has the status
// testdata/snapshots/cis/expected.json gives for the offline snapshot. The
// clock is the fixture's, so that ages (key rotation, unused credentials,
// certificate expiry) read as they do offline.
func TestLiveCISAccounts(t *testing.T) {
	var expected struct {
		Frameworks map[string]map[string]map[string]findings.ControlStatus `json:"frameworks"`
	}
	data, err := os.ReadFile(snapshotPath(filepath.Join("cis", "expected.json")))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &expected); err != nil {
		t.Fatal(err)
	}
	// The clean account, one failing in several frameworks at once, and
	// one with a region the collector is denied.
	for _, name := range []string{"cis-clean.json", "instance-without-profile.json", "analyzer-region-denied.json", "password-length-7.json"} {
		t.Run(name, func(t *testing.T) {
			want, _, err := snapshot.Load(snapshotPath(filepath.Join("cis", name)))
			if err != nil {
				t.Fatal(err)
			}
			srv := iamtest.NewServer(t, iamtest.FromSnapshot(want))
			srv.SetEnv(t)
			snap, err := collect.Collect(context.Background(), collect.Options{
				SkipAWSConfig: want.AWSConfig == nil,
				AWSConfigDir:  t.TempDir(),
				Now:           func() time.Time { return want.CollectedAt },
				Timeout:       time.Minute,
			})
			if err != nil {
				t.Fatal(err)
			}
			for _, source := range []string{snapshot.SourceRegions, snapshot.SourceAccessAnalyzers, snapshot.SourceEC2Instances,
				snapshot.SourceServerCertificates, snapshot.SourceSecurityContact, snapshot.SourceOrganizationsFeatures} {
				if _, ok := snap.Sources[source]; !ok {
					t.Errorf("source %s was not collected", source)
				}
			}
			// The local AWS CLI files are this machine's, not the
			// fixture's: carry the fixture's over so that only what the
			// endpoint served differs.
			snap.AWSConfig = want.AWSConfig
			if st, ok := want.Sources[snapshot.SourceAWSConfig]; ok {
				snap.Sources[snapshot.SourceAWSConfig] = st
			}
			path := filepath.Join(t.TempDir(), "live.json")
			if err := snapshot.Save(path, snap); err != nil {
				t.Fatal(err)
			}
			args := []string{"audit", "--snapshot", path, "--format", "json", "--fail-on", "none", "--allow-incomplete"}
			for fw := range expected.Frameworks {
				args = append(args, "--framework", fw)
			}
			stdout, stderr, code := run(t, args...)
			if code != ExitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			var rep findings.Report
			if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
				t.Fatal(err)
			}
			if len(rep.Compliance) != len(expected.Frameworks) {
				t.Fatalf("%d compliance sections, want %d", len(rep.Compliance), len(expected.Frameworks))
			}
			compared := 0
			for _, c := range rep.Compliance {
				for _, ctl := range c.Controls {
					w, ok := expected.Frameworks[c.Framework][ctl.ID][name]
					if !ok {
						t.Errorf("%s %s: no expectation for %s", c.Framework, ctl.ID, name)
						continue
					}
					compared++
					if ctl.Status != w {
						t.Errorf("%s %s: live %s, offline expectation %s (%s)", c.Framework, ctl.ID, ctl.Status, w, ctl.Reason)
					}
				}
			}
			if compared == 0 {
				t.Fatal("no control compared")
			}
		})
	}
}
