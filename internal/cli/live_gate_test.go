package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lockdown-dev/lockdown/internal/collect/iamtest"
	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

// guideServer serves the guide's account on loopback; the returned
// directory is an empty AWS CLI configuration directory.
func guideServer(t *testing.T) (*iamtest.Server, string) {
	t.Helper()
	guide, _, err := snapshot.Load(snapshotPath("guide-as-written.json"))
	if err != nil {
		t.Fatal(err)
	}
	srv := iamtest.NewServer(t, iamtest.FromSnapshot(guide))
	srv.SetEnv(t)
	t.Setenv("AWS_MAX_ATTEMPTS", "1")
	awsDir := filepath.Join(t.TempDir(), "aws")
	if err := os.Mkdir(awsDir, 0o700); err != nil {
		t.Fatal(err)
	}
	return srv, awsDir
}

// A failed source: collect writes what it got, names the source, the action
// and the error on stderr, and exits 4 (0 with --allow-incomplete).
func TestCollectWithFailedSourceExits4(t *testing.T) {
	srv, awsDir := guideServer(t)
	srv.DenyAccess("GetAccountAuthorizationDetails")
	out := filepath.Join(t.TempDir(), "snap.json")
	_, stderr, code := run(t, "collect", "-o", out, "--aws-config-dir", awsDir)
	if code != ExitIncomplete {
		t.Fatalf("exit %d, want 4: %s", code, stderr)
	}
	if !strings.Contains(stderr, "lockdown: incomplete: authorization_details: iam:GetAccountAuthorizationDetails AccessDenied\n") {
		t.Fatalf("failed source not named on stderr:\n%s", stderr)
	}
	snap, _, err := snapshot.Load(out)
	if err != nil {
		t.Fatalf("what was got is not a valid snapshot: %v", err)
	}
	if snap.OK(snapshot.SourceAuthorizationDetails) || !snap.OK(snapshot.SourceCredentialReport) {
		t.Fatalf("sources %+v", snap.Sources)
	}
	if st, _ := os.Stat(out); st.Mode().Perm() != 0o600 {
		t.Fatalf("snapshot mode %v", st.Mode().Perm())
	}
	if _, stderr, code := run(t, "collect", "-o", out, "--aws-config-dir", awsDir, "--allow-incomplete"); code != ExitOK || !strings.Contains(stderr, "incomplete: authorization_details") {
		t.Fatalf("--allow-incomplete: exit %d: %s", code, stderr)
	}
}

// Without a caller identity collection has failed: exit 3 naming the cause,
// and no snapshot is written.
func TestCollectWithoutIdentityExits3(t *testing.T) {
	srv, awsDir := guideServer(t)
	srv.Fail("GetCallerIdentity", "InternalFailure", "the service is down", 0)
	out := filepath.Join(t.TempDir(), "snap.json")
	_, stderr, code := run(t, "collect", "-o", out, "--aws-config-dir", awsDir)
	if code != ExitRuntime {
		t.Fatalf("exit %d, want 3: %s", code, stderr)
	}
	if !strings.Contains(stderr, "GetCallerIdentity") || strings.Count(stderr, "\n") != 1 {
		t.Fatalf("want one line naming GetCallerIdentity, got %q", stderr)
	}
	if _, err := os.Stat(out); err == nil {
		t.Fatal("a snapshot without an account was written")
	}
	if _, stderr, code := run(t, "audit", "--format", "json", "--aws-config-dir", awsDir); code != ExitRuntime {
		t.Fatalf("audit without identity: exit %d, want 3: %s", code, stderr)
	}
}

// lockdown collect -o - | lockdown audit --snapshot -
func TestCollectPipeToAudit(t *testing.T) {
	_, awsDir := guideServer(t)
	data, stderr, code := run(t, "collect", "-o", "-", "--aws-config-dir", awsDir)
	if code != ExitOK {
		t.Fatalf("collect -o -: exit %d: %s", code, stderr)
	}
	out, stderr, code := runIn(t, []byte(data), "audit", "--snapshot", "-", "--format", "json")
	if code != ExitFindings {
		t.Fatalf("audit --snapshot -: exit %d, want 1 (the guide as written fails): %s", code, stderr)
	}
	rep := decodeReport(t, out)
	if rep.AccountID != "123456789012" || rep.SnapshotDigest != snapshot.Digest([]byte(data)) {
		t.Fatalf("report of the piped snapshot: account %q digest %q", rep.AccountID, rep.SnapshotDigest)
	}
}

// Output paths are checked before collection: not one request is sent.
func TestLiveOutputPathsCheckedBeforeCollection(t *testing.T) {
	srv, awsDir := guideServer(t)
	dir := t.TempDir()
	for _, args := range [][]string{
		{"audit", "-o", "json=" + filepath.Join(dir, "missing", "r.json")},
		{"audit", "--save-snapshot", filepath.Join(dir, "same"), "-o", "json=" + filepath.Join(dir, "same")},
		{"audit", "-o", "sarif=" + filepath.Join(dir, "missing", "r.sarif")},
		{"collect", "-o", filepath.Join(dir, "missing", "snap.json")},
	} {
		_, stderr, code := run(t, append(args, "--aws-config-dir", awsDir)...)
		if code != ExitInput {
			t.Errorf("%v: exit %d, want 2: %s", args, code, stderr)
		}
	}
	if n := srv.Total(); n != 0 {
		t.Fatalf("%d requests reached AWS before the output paths were refused", n)
	}
}

// The implicit snapshot beside the SARIF file is never written through a
// symbolic link: the link is replaced, its target untouched.
func TestImplicitSnapshotNeverFollowsSymlink(t *testing.T) {
	_, awsDir := guideServer(t)
	dir := t.TempDir()
	victim := filepath.Join(t.TempDir(), "victim")
	if err := os.WriteFile(victim, []byte("precious"), 0o644); err != nil {
		t.Fatal(err)
	}
	implicit := filepath.Join(dir, "lockdown-snapshot-123456789012.json")
	if err := os.Symlink(victim, implicit); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := run(t, "audit", "--format", "json", "-o", "sarif="+filepath.Join(dir, "r.sarif"), "--fail-on", "none", "--aws-config-dir", awsDir)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if data, _ := os.ReadFile(victim); string(data) != "precious" {
		t.Fatalf("the link's target was written: %.80q", data)
	}
	st, err := os.Lstat(implicit)
	if err != nil || !st.Mode().IsRegular() || st.Mode().Perm() != 0o600 {
		t.Fatalf("implicit snapshot: %v %v", st.Mode(), err)
	}
	if _, _, err := snapshot.Load(implicit); err != nil {
		t.Fatal(err)
	}
}
