package cli

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"

	"github.com/lockdown-dev/lockdown/internal/collect/iamtest"
	"github.com/lockdown-dev/lockdown/internal/evidence"
	"github.com/lockdown-dev/lockdown/internal/snapshot"
	"github.com/lockdown-dev/lockdown/internal/waivers"
	"github.com/lockdown-dev/lockdown/report"
)

// signingKey writes a fresh ed25519 private key (mode 0600) and returns its
// path and its allowed_signers line for principal.
func signingKey(t *testing.T, dir, name, principal string) (path, allowedLine string) {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	block, err := ssh.MarshalPrivateKey(priv, name)
	if err != nil {
		t.Fatal(err)
	}
	path = filepath.Join(dir, name)
	if err := os.WriteFile(path, pem.EncodeToMemory(block), 0o600); err != nil {
		t.Fatal(err)
	}
	pub, err := ssh.NewPublicKey(priv.Public())
	if err != nil {
		t.Fatal(err)
	}
	return path, principal + ` namespaces="` + evidence.Namespace + `" ` + string(ssh.MarshalAuthorizedKey(pub))
}

func readManifest(t *testing.T, bundle string) *evidence.Manifest {
	t.Helper()
	b, err := evidence.Read(bundle, evidence.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	m, err := evidence.ParseManifest(b.Files[evidence.ManifestName])
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// everyInput is an audit that uses every input a bundle records.
func everyInput(t *testing.T, dir string) []string {
	t.Helper()
	baseline := filepath.Join(dir, "baseline.json")
	if _, stderr, code := run(t, "audit", "--snapshot", snapshotPath("guide-compliant.json"), "-o", "json="+baseline, "--format", "json", "--fail-on", "none"); code != ExitOK {
		t.Fatalf("baseline: exit %d: %s", code, stderr)
	}
	return []string{
		"--framework", "cis-aws-5.0,aws-securityhub",
		"--waivers", filepath.Join("testdata", "waivers", "guide.yaml"),
		"--baseline", baseline,
		"--rules", filepath.Join(repoRoot, "examples", "rules", "trail"),
		"--param", "access_key_max_age_days=30",
		"--skip-check", "LD-EC2-01",
		"--fail-on", "high",
	}
}

func TestAuditEvidenceBundle(t *testing.T) {
	dir := t.TempDir()
	key, _ := signingKey(t, dir, "signing", "auditor@example.com")
	flags := everyInput(t, dir)
	bundle := filepath.Join(dir, "bundle")
	stdout, stderr, code := run(t, append([]string{"audit", "--snapshot", snapshotPath("guide-as-written.json"), "--format", "json", "--evidence", bundle, "--sign-key", key}, flags...)...)
	if code != ExitFindings {
		t.Fatalf("exit %d, want the audit's own %d: %s", code, ExitFindings, stderr)
	}
	if !strings.Contains(stderr, "evidence bundle written to "+bundle) {
		t.Fatalf("stderr does not say where the bundle is: %s", stderr)
	}
	m := readManifest(t, bundle)
	read := func(p string) []byte {
		t.Helper()
		data, err := os.ReadFile(filepath.Join(bundle, filepath.FromSlash(p)))
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	// report.json is the report the audit printed, byte for byte.
	if got := read(m.Report("json")); !bytes.Equal(got, []byte(stdout)) {
		t.Fatal("the bundle's report.json differs from the audit's JSON report")
	}
	snap, err := os.ReadFile(snapshotPath("guide-as-written.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(read(m.Snapshot), snap) {
		t.Fatal("snapshot.json is not the audited snapshot, byte for byte")
	}
	// Every format the report package has is in the bundle.
	for _, f := range report.Formats() {
		if p := m.Report(f); p == "" || len(read(p)) == 0 {
			t.Errorf("no %s report in the bundle", f)
		}
	}
	if !bytes.Contains(read(m.Report("sarif")), []byte(`"uri": "snapshot.json"`)) {
		t.Error("the bundle's SARIF does not point at the bundle's snapshot.json")
	}
	if len(m.Compliance) != 2 || m.Compliance[0].Framework != "cis-aws-5.0" || m.Compliance[1].Framework != "aws-securityhub" {
		t.Fatalf("compliance summaries %+v, want one per --framework in order", m.Compliance)
	}
	var section struct {
		Framework string `json:"framework"`
		Controls  []any  `json:"controls"`
	}
	if err := json.Unmarshal(read(m.Compliance[0].Path), &section); err != nil || section.Framework != "cis-aws-5.0" || len(section.Controls) == 0 {
		t.Fatalf("compliance summary: %v %+v", err, section)
	}
	waiversFile, _ := os.ReadFile(filepath.Join("testdata", "waivers", "guide.yaml"))
	if !bytes.Equal(read(m.Inputs.Waivers), waiversFile) || m.Inputs.Baseline == "" || len(m.Inputs.Rules) != 1 {
		t.Fatalf("inputs not copied: %+v", m.Inputs)
	}
	if _, err := os.Stat(filepath.Join(bundle, m.Inputs.Rules[0].Path, "ex_trail_01.rego")); err != nil {
		t.Fatalf("the rule file is not in the bundle: %v", err)
	}
	if _, err := os.Stat(filepath.Join(bundle, m.Inputs.Rules[0].Path, "ex_trail_01_test.rego")); err == nil {
		t.Fatal("a rule test file is in the bundle (the engine does not load it)")
	}
	pm := m.Parameters
	if pm.FailOn != "high" || pm.Params["access_key_max_age_days"] != "30" || len(pm.SkipChecks) != 1 || contains(pm.SelectedChecks, "LD-EC2-01") || !contains(pm.SelectedChecks, "EX-TRAIL-01") || pm.WaiverMaxDays != waivers.DefaultMaxDays {
		t.Fatalf("parameters %+v", pm)
	}
	if m.Caller == nil || m.Caller.ARN == "" || m.Account.ID != "123456789012" || m.CollectedAt.IsZero() || !strings.HasPrefix(m.CatalogVersion, "sha256:") || !strings.Contains(m.CatalogVersion, "+rules:") {
		t.Fatalf("manifest identity: %+v", m)
	}
	if st, err := os.Stat(filepath.Join(bundle, evidence.SignatureName)); err != nil || st.Size() == 0 {
		t.Fatalf("no signature: %v", err)
	}
	// Each listed file, every file but the manifest and signature.
	var onDisk []string
	filepath.WalkDir(bundle, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(bundle, p)
			onDisk = append(onDisk, filepath.ToSlash(rel))
		}
		return nil
	})
	if len(onDisk) != len(m.Files)+2 {
		t.Fatalf("%d files on disk, manifest lists %d (+ manifest and signature)", len(onDisk), len(m.Files))
	}
	stdout, stderr, code = run(t, "verify", bundle)
	if code != ExitOK || !strings.Contains(stdout, "verified") {
		t.Fatalf("the bundle does not verify: exit %d\n%s%s", code, stdout, stderr)
	}
}

func TestEvidenceDeterministic(t *testing.T) {
	dir := t.TempDir()
	flags := everyInput(t, dir)
	for _, dest := range []string{filepath.Join(dir, "b.tar.gz"), filepath.Join(dir, "b")} {
		var first []byte
		for i := 0; i < 2; i++ {
			if err := os.RemoveAll(dest); err != nil {
				t.Fatal(err)
			}
			if _, stderr, code := run(t, append([]string{"evidence", "--snapshot", snapshotPath("guide-as-written.json"), dest}, flags...)...); code != ExitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			var data []byte
			var err error
			if evidence.IsArchive(dest) {
				data, err = os.ReadFile(dest)
			} else {
				data, err = os.ReadFile(filepath.Join(dest, evidence.ManifestName))
			}
			if err != nil {
				t.Fatal(err)
			}
			if i == 0 {
				first = data
			} else if !bytes.Equal(first, data) {
				t.Fatalf("%s: two runs on the same inputs give different bytes", dest)
			}
		}
	}
}

func TestEvidenceRecordsNoSecrets(t *testing.T) {
	dir := t.TempDir()
	const (
		mfa    = "482913"
		secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
		token  = "FwoGZXIvYXdzEBYaDHqa0AP1VhEXAMPLETOKENiKGAQsM3ZvLWKz5d9u2FFsSg3sMxRmpQzRVYbT5ABJaqh4xBXQ0Hcu7Hmh9bNsS7T2M6ymPPHVcLkXk"
	)
	bundle := filepath.Join(dir, "bundle.tar.gz")
	_, stderr, code := run(t, "audit", "--snapshot", snapshotPath("guide-as-written.json"), "--format", "json", "--fail-on", "none",
		"--mfa-token", mfa, "--profile", "aws_secret_access_key="+secret, "--region", token, "--evidence", bundle)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	b, err := evidence.Read(bundle, evidence.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range b.Files {
		for _, s := range []string{mfa, secret, token, "--mfa-token=4"} {
			if bytes.Contains(data, []byte(s)) {
				t.Errorf("%s holds the secret %q", name, s)
			}
		}
	}
	m := readManifest(t, bundle)
	cmd := strings.Join(m.Command, " ")
	for _, want := range []string{"lockdown audit", "--mfa-token=" + "[REDACTED]", "--evidence=" + bundle, "--fail-on=none"} {
		if !strings.Contains(cmd, want) {
			t.Errorf("command %q lacks %q", cmd, want)
		}
	}
}

func TestEvidenceOfflineLoadsNoAWSConfiguration(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "config")
	if err := os.WriteFile(bad, []byte("[profile broken\nthis is not INI"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AWS_CONFIG_FILE", bad)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", bad)
	t.Setenv("AWS_PROFILE", "no-such-profile")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
	_, stderr, code := run(t, "evidence", "--snapshot", snapshotPath("guide-as-written.json"), filepath.Join(dir, "b"))
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
}

func TestEvidenceFlagErrors(t *testing.T) {
	dir := t.TempDir()
	full := filepath.Join(dir, "full")
	if err := os.MkdirAll(full, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(full, "x"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	block, err := ssh.MarshalPrivateKeyWithPassphrase(priv, "", []byte("passphrase"))
	if err != nil {
		t.Fatal(err)
	}
	encrypted := filepath.Join(dir, "encrypted")
	if err := os.WriteFile(encrypted, pem.EncodeToMemory(block), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "b4"), 0o700); err != nil {
		t.Fatal(err)
	}
	snap := snapshotPath("guide-as-written.json")
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"sign-key without evidence", []string{"audit", "--snapshot", snap, "--sign-key", encrypted}, "--sign-key signs an evidence bundle"},
		{"encrypted key", []string{"evidence", "--snapshot", snap, "--sign-key", encrypted, filepath.Join(dir, "b1")}, "encrypted with a passphrase"},
		{"missing key", []string{"evidence", "--snapshot", snap, "--sign-key", filepath.Join(dir, "nokey"), filepath.Join(dir, "b2")}, "no such file"},
		{"non-empty directory", []string{"audit", "--snapshot", snap, "--evidence", full}, "not empty"},
		{"missing parent", []string{"evidence", "--snapshot", snap, filepath.Join(dir, "no", "b.tar.gz")}, "--evidence"},
		{"no snapshot", []string{"evidence", filepath.Join(dir, "b3")}, "--snapshot FILE is required"},
		{"no destination", []string{"evidence", "--snapshot", snap}, "accepts 1 arg"},
		{"report inside the bundle", []string{"audit", "--snapshot", snap, "--evidence", filepath.Join(dir, "b4"), "-o", "json=" + filepath.Join(dir, "b4", "r.json")}, "write them apart"},
		{"report over the archive", []string{"audit", "--snapshot", snap, "--evidence", filepath.Join(dir, "b.tar.gz"), "-o", "json=" + filepath.Join(dir, "b.tar.gz")}, "write them apart"},
		{"bad param", []string{"evidence", "--snapshot", snap, "--param", "nope=1", filepath.Join(dir, "b5")}, "unknown parameter"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, stderr, code := run(t, c.args...)
			if code != ExitInput || !strings.Contains(stderr, c.want) {
				t.Fatalf("exit %d, stderr %q; want %d and %q", code, stderr, ExitInput, c.want)
			}
		})
	}
	for _, p := range []string{"b1", "b2", "b3", "b5", "b.tar.gz"} {
		if _, err := os.Stat(filepath.Join(dir, p)); err == nil {
			t.Errorf("%s written despite the error", p)
		}
	}
	if entries, err := os.ReadDir(filepath.Join(dir, "b4")); err != nil || len(entries) > 0 {
		t.Errorf("b4 written despite the error: %v %v", entries, err)
	}
}

// A live audit (against an IAM-compatible endpoint on loopback) writes a
// bundle of the snapshot it collected, with the caller identity, that
// verifies, and that holds none of the credentials the audit used.
func TestLiveAuditEvidence(t *testing.T) {
	guide, _, err := snapshot.Load(snapshotPath("guide-as-written.json"))
	if err != nil {
		t.Fatal(err)
	}
	srv := iamtest.NewServer(t, iamtest.FromSnapshot(guide))
	srv.SetEnv(t)
	dir := t.TempDir()
	awsDir := filepath.Join(dir, "aws")
	if err := os.Mkdir(awsDir, 0o700); err != nil {
		t.Fatal(err)
	}
	key, line := signingKey(t, dir, "auditor", "auditor@example.com")
	allowed := filepath.Join(dir, "allowed_signers")
	if err := os.WriteFile(allowed, []byte(line), 0o600); err != nil {
		t.Fatal(err)
	}
	bundle := filepath.Join(dir, "evidence.tar.gz")
	_, stderr, code := run(t, "audit", "--format", "json", "--fail-on", "none", "--aws-config-dir", awsDir, "--mfa-token", "135790",
		"--evidence", bundle, "--sign-key", key)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	m := readManifest(t, bundle)
	if m.Caller == nil || !strings.HasPrefix(m.Caller.ARN, "arn:aws:") || m.Account.ID != guide.Account.ID {
		t.Fatalf("caller %+v, account %+v", m.Caller, m.Account)
	}
	b, err := evidence.Read(bundle, evidence.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := snapshot.Decode("bundle", b.Files[m.Snapshot]); err != nil {
		t.Fatalf("the bundled snapshot: %v", err)
	}
	for name, data := range b.Files {
		for _, s := range []string{"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "135790"} {
			if bytes.Contains(data, []byte(s)) {
				t.Errorf("%s holds the secret %q", name, s)
			}
		}
	}
	stdout, stderr, code := run(t, "verify", "--allowed-signers", allowed, "--identity", "auditor@example.com", bundle)
	if code != ExitOK {
		t.Fatalf("the live bundle does not verify: exit %d\n%s%s", code, stdout, stderr)
	}
}

// A bundle that cannot be written is refused up front, never skipped in
// silence: --format input prints no report, and an organisation audit has
// no one account to bundle.
func TestEvidenceFlagsRefusedWhereNoBundleIsWritten(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"audit", "--snapshot", "../../testdata/snapshots/guide-compliant.json", "--format", "input", "--evidence", filepath.Join(dir, "b.tar.gz")},
		{"audit", "--org", "--out", filepath.Join(dir, "org"), "--evidence", filepath.Join(dir, "c.tar.gz")},
	} {
		_, stderr, code := run(t, args...)
		if code != 2 || !strings.Contains(stderr, "--evidence") {
			t.Errorf("%v: exit %d, stderr %q; want 2 naming --evidence", args, code, stderr)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("files written: %v", entries)
	}
}

// lockdown evidence exits 0 once the bundle is written, and still says on
// stderr what the audit could not see.
func TestEvidenceSaysWhatIsIncomplete(t *testing.T) {
	_, stderr, code := run(t, "evidence", "--snapshot", "../../testdata/snapshots/partial-access-denied.json", filepath.Join(t.TempDir(), "b"))
	if code != 0 || !strings.Contains(stderr, "incomplete: authorization_details") {
		t.Errorf("exit %d, stderr %q; want 0 and the incomplete source named", code, stderr)
	}
}
