package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lockdown-dev/lockdown/internal/collect"
	"github.com/lockdown-dev/lockdown/internal/collect/iamtest"
	"github.com/lockdown-dev/lockdown/internal/findings"
	"github.com/lockdown-dev/lockdown/internal/org"
	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

// fastOrgRetries keeps the throttled member's retries short.
func fastOrgRetries(t *testing.T) {
	t.Helper()
	orgCollectHook = func(o *collect.Options) {
		o.MaxAttempts = 2
		o.MaxBackoff = time.Millisecond
		o.CredentialReportPoll = time.Millisecond
	}
	t.Cleanup(func() { orgCollectHook = nil })
}

// testOrg: six accounts (the management account, members in three OUs),
// SCPs and RCPs; member 4 has no audit role, member 5 is throttled, and
// member 2's name is hostile.
func testOrg(t *testing.T) (*iamtest.Org, *iamtest.Server) {
	t.Helper()
	o := iamtest.GenerateOrg(6, 3)
	o.Members[2].Name = "evil\x1b[2J|name`<b>@team"
	o.Members[4].NoRole = true
	o.Members[5].Throttled = true
	srv := iamtest.NewOrgServer(t, o)
	srv.SetEnv(t)
	fastOrgRetries(t)
	return o, srv
}

func loadOrgReport(t *testing.T, dir string) *org.Report {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "organization.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := org.ValidateJSON(data); err != nil {
		t.Fatalf("organization.json does not match lockdown.org-report/v1: %v", err)
	}
	rep, err := org.Load(filepath.Join(dir, "organization.json"))
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func accountByID(rep *org.Report, id string) *org.Account {
	for i := range rep.Accounts {
		if rep.Accounts[i].ID == id {
			return &rep.Accounts[i]
		}
	}
	return nil
}

// The end-to-end organisation audit through the real SDK at the loopback
// server: the tree read once as the management account, the role assumed
// in each member, a member without the role and a throttled member failed
// with their causes while the others are audited, the SCPs in each
// member's snapshot, every output per account, and the exit code.
func TestOrgAuditEndToEnd(t *testing.T) {
	o, srv := testOrg(t)
	out := filepath.Join(t.TempDir(), "org")
	stdout, stderr, code := run(t, "audit", "--org", "--out", out, "-o", "sarif", "-o", "markdown=summary.md", "--fail-on", "none", "--aws-config-dir", t.TempDir())
	if code != ExitIncomplete {
		t.Fatalf("exit %d, want %d (a member failed); stderr:\n%s", code, ExitIncomplete, stderr)
	}
	rep := loadOrgReport(t, out)
	if len(rep.Accounts) != 6 || rep.OrganizationID != o.ID || rep.ManagementAccountID != o.ManagementID {
		t.Fatalf("report: %d accounts, %s %s", len(rep.Accounts), rep.OrganizationID, rep.ManagementAccountID)
	}
	noRole := accountByID(rep, "100000000004")
	if noRole.Status != org.StatusFailed || !strings.Contains(noRole.Cause, "AccessDenied") || !strings.Contains(noRole.Cause, "arn:aws:iam::100000000004:role/lockdown-audit") {
		t.Errorf("member without the role: %+v", noRole)
	}
	throttled := accountByID(rep, "100000000005")
	if throttled.Status != org.StatusFailed || !strings.Contains(throttled.Cause, "Throttling") || !throttled.Throttled {
		t.Errorf("throttled member: %+v", throttled)
	}
	if rep.Accounts[0].Status != org.StatusFailed || rep.Accounts[1].Status != org.StatusFailed {
		t.Errorf("failed accounts are not listed first: %s %s", rep.Accounts[0].ID, rep.Accounts[1].ID)
	}
	for _, id := range []string{"100000000000", "100000000001", "100000000002", "100000000003"} {
		a := accountByID(rep, id)
		if a.Status == org.StatusFailed || a.Summary == nil || a.Requests == 0 || a.Dir != id {
			t.Errorf("account %s: %+v", id, a)
			continue
		}
		for _, name := range []string{"snapshot.json", "report.json", "report.sarif", "summary.md"} {
			if _, err := os.Stat(filepath.Join(out, id, name)); err != nil {
				t.Errorf("account %s: %v", id, err)
			}
		}
		snap, _, err := snapshot.Load(filepath.Join(out, id, "snapshot.json"))
		if err != nil {
			t.Fatal(err)
		}
		if snap.Account.ID != id || snap.Organization == nil || !snap.OK(snapshot.SourceOrganization) {
			t.Fatalf("account %s snapshot: account %s organization %+v", id, snap.Account.ID, snap.Organization)
		}
		// Account 2 sits in Workloads, under the SCP denying iam:*.
		if id == "100000000002" {
			if p := snap.Organization.Path; len(p) != 3 || strings.Join(p[1].SCPs, " ") != "p-FullAWSAccess p-denyiam00001" {
				t.Errorf("account 2 path %+v", p)
			}
		}
		var r findings.Report
		data, _ := os.ReadFile(filepath.Join(out, id, "report.json"))
		if err := json.Unmarshal(data, &r); err != nil || r.AccountID != id {
			t.Errorf("account %s report.json: %v, account %q", id, err, r.AccountID)
		}
		if a.Summary.Total != r.Summary.Total {
			t.Errorf("account %s: summary %d results, report %d", id, a.Summary.Total, r.Summary.Total)
		}
	}
	// The tree and the policies were read once, by the management account.
	if n := srv.Count("ListPolicies"); n != 2 {
		t.Errorf("ListPolicies %d times, want once per policy type", n)
	}
	if n := srv.Count("ListTargetsForPolicy"); n != 4 {
		t.Errorf("ListTargetsForPolicy %d times, want once per policy", n)
	}
	if n := srv.Count("ListRoots"); n != 1 {
		t.Errorf("ListRoots %d times, want once", n)
	}
	if srv.AssumeRoleCount(o.ManagementID) != 0 {
		t.Error("the management account assumed a role into itself")
	}
	if len(rep.Checks) == 0 {
		t.Error("no accounts x checks rows")
	}
	// Secrets never reach an output or stderr; hostile names are inert.
	secrets := []string{"wJalrXUtnFEMI", "orgtest/secret", "orgtest-session-token"}
	_ = filepath.Walk(out, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		data, _ := os.ReadFile(path)
		for _, s := range secrets {
			if strings.Contains(string(data), s) {
				t.Errorf("%s contains a secret", path)
			}
		}
		return nil
	})
	for _, s := range secrets {
		if strings.Contains(stdout+stderr, s) {
			t.Errorf("a secret reached stdout or stderr")
		}
	}
	if strings.Contains(stdout, "\x1b") {
		t.Error("an escape sequence from an account name reached the terminal table")
	}
	if page, err := os.ReadFile(filepath.Join(out, "organization.html")); err != nil || strings.Contains(string(page), "<script") || !strings.Contains(string(page), "100000000004") {
		t.Errorf("organization.html: %v", err)
	}
	md, _ := os.ReadFile(filepath.Join(out, "organization.md"))
	if strings.Contains(string(md), "<b>") || !strings.Contains(string(md), `\|name`) || strings.Contains(string(md), "\x1b[") {
		t.Errorf("the Markdown summary does not escape an account name: %s", md)
	}
	if !strings.Contains(stdout, "Organization "+o.ID) || !strings.Contains(stdout, "100000000004") {
		t.Errorf("stdout summary:\n%s", stdout)
	}

	// With the default --fail-on, failing checks in any account win.
	if _, stderr, code := run(t, "audit", "--org", "--out", filepath.Join(t.TempDir(), "o2"), "--exclude-accounts", "100000000004,100000000005", "--aws-config-dir", t.TempDir()); code != ExitFindings {
		t.Errorf("default --fail-on: exit %d, want %d: %s", code, ExitFindings, stderr)
	}
}

// --ou audits the OU and the OUs nested in it; --accounts picks accounts.
func TestOrgAuditSelection(t *testing.T) {
	testOrg(t)
	out := filepath.Join(t.TempDir(), "ou")
	if _, stderr, code := run(t, "audit", "--org", "--out", out, "--ou", "ou-gen0-workload1", "--fail-on", "none", "--allow-incomplete", "--aws-config-dir", t.TempDir()); code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var got []string
	for _, a := range loadOrgReport(t, out).Accounts {
		got = append(got, a.ID)
	}
	// Workloads holds accounts 2 and 6..., Prod (nested) account 3.
	if strings.Join(got, " ") != "100000000002 100000000003" {
		t.Errorf("--ou Workloads audited %v", got)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--accounts", "100000000009"}, "not in organization"},
		{[]string{"--ou", "ou-gen0-nosuchou1"}, "no such OU"},
		{[]string{"--accounts", "1", "--exclude-accounts", "100000000001"}, "12-digit"},
		{[]string{"--shard", "3/2"}, "K/N"},
		{[]string{"--concurrency", "0"}, "--concurrency"},
		{[]string{"-o", "sarif=../x.sarif"}, "name a file"},
	} {
		args := append([]string{"audit", "--org", "--out", filepath.Join(t.TempDir(), "x"), "--aws-config-dir", t.TempDir()}, tc.args...)
		if _, stderr, code := run(t, args...); code != ExitInput || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q, want %q", tc.args, code, stderr, tc.want)
		}
	}
	if _, stderr, code := run(t, "audit", "--org"); code != ExitInput || !strings.Contains(stderr, "--out") {
		t.Errorf("--org without --out: exit %d %s", code, stderr)
	}
	if _, stderr, code := run(t, "audit", "--role-name", "x", "--snapshot", snapshotPath("guide-compliant.json")); code != ExitInput || !strings.Contains(stderr, "add --org") {
		t.Errorf("--role-name without --org: exit %d %s", code, stderr)
	}
}

// Two shards cover the organisation exactly once; their merge is the
// unsharded audit's account set; a missing shard's accounts are named, a
// shard given twice is refused.
func TestOrgShardsAndMerge(t *testing.T) {
	testOrg(t)
	base := t.TempDir()
	var shardIDs []string
	for _, k := range []string{"1", "2"} {
		dir := filepath.Join(base, "shard"+k)
		if _, stderr, code := run(t, "audit", "--org", "--out", dir, "--shard", k+"/2", "--fail-on", "none", "--allow-incomplete", "--aws-config-dir", t.TempDir()); code != ExitOK {
			t.Fatalf("shard %s: exit %d: %s", k, code, stderr)
		}
		rep := loadOrgReport(t, dir)
		if len(rep.Shards) != 1 || rep.Shards[0].K != map[string]int{"1": 1, "2": 2}[k] || len(rep.Shards[0].Selected) != 6 {
			t.Fatalf("shard %s records %+v", k, rep.Shards)
		}
		for _, a := range rep.Accounts {
			if org.ShardOf(a.ID, 2) != rep.Shards[0].K {
				t.Errorf("shard %s audited %s, of shard %d", k, a.ID, org.ShardOf(a.ID, 2))
			}
			shardIDs = append(shardIDs, a.ID)
		}
	}
	if len(shardIDs) != 6 {
		t.Fatalf("the shards audited %d accounts, want 6", len(shardIDs))
	}
	merged := filepath.Join(base, "merged")
	stdout, stderr, code := run(t, "merge", "--out", merged, "--fail-on", "none", filepath.Join(base, "shard1"), filepath.Join(base, "shard2"))
	if code != ExitIncomplete {
		t.Fatalf("merge: exit %d, want 4 (failed members): %s", code, stderr)
	}
	rep := loadOrgReport(t, merged)
	if len(rep.Accounts) != 6 || len(rep.Missing) != 0 || len(rep.Shards) != 2 || !strings.Contains(stdout, "shards 1/2 2/2") {
		t.Errorf("merged: %d accounts, missing %v, shards %v", len(rep.Accounts), rep.Missing, rep.Shards)
	}
	for _, a := range rep.Accounts {
		if a.Dir == "" {
			continue
		}
		if _, err := os.Stat(filepath.Join(merged, a.Dir, "report.json")); err != nil {
			t.Errorf("account %s: dir %q relative to the merged report: %v", a.ID, a.Dir, err)
		}
	}
	// One shard alone: the other's accounts are missing, by name.
	_, stderr, code = run(t, "merge", "--fail-on", "none", "--format", "json", filepath.Join(base, "shard1"))
	one, _ := org.Load(filepath.Join(base, "shard1", "organization.json"))
	if code != ExitIncomplete || !strings.Contains(stderr, "audited by none") || len(one.Accounts) == 6 {
		t.Errorf("one shard: exit %d: %s", code, stderr)
	}
	for _, id := range shardIDs {
		if accountByID(one, id) == nil && !strings.Contains(stderr, id) {
			t.Errorf("missing account %s is not named: %s", id, stderr)
		}
	}
	if _, stderr, code := run(t, "merge", filepath.Join(base, "shard1"), filepath.Join(base, "shard1")); code != ExitInput || !strings.Contains(stderr, "in both") {
		t.Errorf("a shard twice: exit %d: %s", code, stderr)
	}
	if _, stderr, code := run(t, "merge", base); code != ExitInput {
		t.Errorf("a directory without organization.json: exit %d: %s", code, stderr)
	}
}
