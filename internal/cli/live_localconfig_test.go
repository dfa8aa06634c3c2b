package cli

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/lockdown-dev/lockdown/internal/collect/iamtest"
	"github.com/lockdown-dev/lockdown/internal/findings"
	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

func statusesOf(t *testing.T, out, check string) []findings.Status {
	t.Helper()
	var rep findings.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("stdout is not the JSON report: %v\n%s", err, out)
	}
	var st []findings.Status
	for _, r := range rep.Results {
		if r.CheckID == check {
			st = append(st, r.Status)
		}
	}
	return st
}

// The local checks read the files the SDK reads: an audit authenticated
// with root keys from AWS_SHARED_CREDENTIALS_FILE finds them (LD-CLI-02
// fails), and a machine with no AWS CLI files at all (a CI runner with
// keys in the environment) gets NOT_APPLICABLE, which changes neither the
// exit code nor completeness.
func TestLiveLocalConfigAsTheSDKReadsIt(t *testing.T) {
	guide, _, err := snapshot.Load(snapshotPath("guide-compliant.json"))
	if err != nil {
		t.Fatal(err)
	}
	acct := iamtest.FromSnapshot(guide)
	acct.CallerARN = "arn:aws:iam::" + guide.Account.ID + ":root"
	srv := iamtest.NewServer(t, acct)
	srv.SetEnv(t)

	// No files anywhere, keys in the environment.
	out, stderr, code := run(t, "audit", "--format", "json", "--check", "LD-CLI-01,LD-CLI-02,LD-CLI-03")
	if code != ExitOK {
		t.Fatalf("no local configuration: exit %d, want 0: %s", code, stderr)
	}
	for _, id := range []string{"LD-CLI-01", "LD-CLI-02", "LD-CLI-03"} {
		if st := statusesOf(t, out, id); len(st) != 1 || st[0] != findings.NotApplicable {
			t.Errorf("%s without local configuration: %v, want [NOT_APPLICABLE]", id, st)
		}
	}

	// Root keys in the credentials file the SDK reads, and used by it.
	creds := os.Getenv("AWS_SHARED_CREDENTIALS_FILE")
	if err := os.WriteFile(creds, []byte("[default]\naws_access_key_id = AKIAROOTEXAMPLE00001\naws_secret_access_key = rootsecretEXAMPLEKEYrootsecretEXAMPLEKEY\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	os.Unsetenv("AWS_ACCESS_KEY_ID")
	os.Unsetenv("AWS_SECRET_ACCESS_KEY")
	out, stderr, code = run(t, "audit", "--format", "json", "--check", "LD-CLI-02", "--fail-on", "none")
	if code != ExitOK {
		t.Fatalf("root keys in AWS_SHARED_CREDENTIALS_FILE: exit %d: %s", code, stderr)
	}
	if st := statusesOf(t, out, "LD-CLI-02"); len(st) == 0 || st[0] != findings.Fail {
		t.Fatalf("root keys in AWS_SHARED_CREDENTIALS_FILE: LD-CLI-02 %v, want FAIL\n%s", st, out)
	}
	if strings.Contains(out+stderr, "rootsecretEXAMPLEKEY") {
		t.Fatal("the secret key reached the output")
	}
}
