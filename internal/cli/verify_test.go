package cli

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/lockdown-dev/lockdown/internal/evidence"
)

// goodBundle builds a signed bundle of the guide's account as written
// (with a framework and waivers, so that every kind of file is in it) and
// returns its members.
func goodBundle(t *testing.T, dir, key string) map[string][]byte {
	t.Helper()
	dest := filepath.Join(dir, "made.tar.gz")
	if _, stderr, code := run(t, "evidence", "--snapshot", snapshotPath("guide-as-written.json"), "--framework", "cis-aws-5.0",
		"--waivers", filepath.Join("testdata", "waivers", "guide.yaml"), "--sign-key", key, dest); code != ExitOK {
		t.Fatalf("evidence: exit %d: %s", code, stderr)
	}
	b, err := evidence.Read(dest, evidence.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	return b.Files
}

// writeBundle writes members as a bundle directory or archive.
func writeBundle(t *testing.T, dest string, files map[string][]byte) {
	t.Helper()
	var names []string
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	if evidence.IsArchive(dest) {
		var all []evidence.Content
		for _, n := range names {
			all = append(all, evidence.Content{Path: n, Data: files[n]})
		}
		data, err := evidence.Archive(all, time.Unix(0, 0))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dest, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return
	}
	for _, n := range names {
		p := filepath.Join(dest, filepath.FromSlash(n))
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, files[n], 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

func clone(files map[string][]byte) map[string][]byte {
	out := map[string][]byte{}
	for k, v := range files {
		out[k] = append([]byte(nil), v...)
	}
	return out
}

// relist rewrites the manifest to list the members as they are now, as
// someone editing a bundle would, and signs it with key ("" drops the
// signature).
func relist(t *testing.T, files map[string][]byte, edit func(m *evidence.Manifest), key string) {
	t.Helper()
	m, err := evidence.ParseManifest(files[evidence.ManifestName])
	if err != nil {
		t.Fatal(err)
	}
	var contents []evidence.Content
	for n, d := range files {
		if n != evidence.ManifestName && n != evidence.SignatureName {
			contents = append(contents, evidence.Content{Path: n, Data: d})
		}
	}
	m.SetFiles(contents)
	if edit != nil {
		edit(m)
	}
	data, err := evidence.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	files[evidence.ManifestName] = data
	delete(files, evidence.SignatureName)
	if key != "" {
		signer, err := evidence.LoadSigner(key)
		if err != nil {
			t.Fatal(err)
		}
		if files[evidence.SignatureName], err = evidence.Sign(signer, data, evidence.Namespace); err != nil {
			t.Fatal(err)
		}
	}
}

func flipByte(data []byte, marker string) {
	i := bytes.Index(data, []byte(marker))
	if i < 0 {
		panic("marker " + marker + " not found")
	}
	data[i+len(marker)-1] ^= 0x20
}

func TestVerify(t *testing.T) {
	dir := t.TempDir()
	key, trusted := signingKey(t, dir, "auditor", "auditor@example.com")
	strangerKey, stranger := signingKey(t, dir, "stranger", "auditor@example.com")
	good := goodBundle(t, dir, key)
	allowed := filepath.Join(dir, "allowed_signers")
	if err := os.WriteFile(allowed, []byte("# the audit team\n"+trusted), 0o600); err != nil {
		t.Fatal(err)
	}
	strangers := filepath.Join(dir, "strangers")
	if err := os.WriteFile(strangers, []byte(stranger), 0o600); err != nil {
		t.Fatal(err)
	}
	gitOnly := filepath.Join(dir, "git_only")
	if err := os.WriteFile(gitOnly, []byte(strings.Replace(trusted, `namespaces="lockdown-evidence"`, `namespaces="git"`, 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	otherNamespace := func(files map[string][]byte) {
		signer, err := evidence.LoadSigner(key)
		if err != nil {
			t.Fatal(err)
		}
		if files[evidence.SignatureName], err = evidence.Sign(signer, files[evidence.ManifestName], "file"); err != nil {
			t.Fatal(err)
		}
	}
	compliant, err := os.ReadFile(snapshotPath("guide-compliant.json"))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name    string
		change  func(files map[string][]byte)
		signers string
		code    int
		names   []string // files the failure names
		stdout  string
		only    bool // and no other file
	}{
		{"good", nil, "", ExitOK, nil, "NOT authenticated", false},
		{"good, allowed signer", nil, allowed, ExitOK, nil, "allowed signer auditor@example.com", false},
		{"tampered report", func(f map[string][]byte) { flipByte(f["report.json"], `"status": "F`) }, "", ExitFindings, []string{"report.json"}, "FAIL report.json: SHA-256", true},
		{"tampered snapshot", func(f map[string][]byte) { flipByte(f["snapshot.json"], `"user_name": "a`) }, "", ExitFindings, []string{"snapshot.json"}, "FAIL snapshot.json", true},
		{"missing file", func(f map[string][]byte) { delete(f, "report.md") }, "", ExitFindings, []string{"report.md"}, "missing from the bundle", true},
		{"extra file", func(f map[string][]byte) { f["notes/readme.txt"] = []byte("trust me") }, "", ExitFindings, []string{"notes/readme.txt"}, "not listed in the manifest", true},
		{"wrong key", nil, strangers, ExitFindings, []string{evidence.SignatureName}, "not in the allowed signers", true},
		{"key allowed for another namespace", nil, gitOnly, ExitFindings, []string{evidence.SignatureName}, "namespaces", true},
		{"wrong namespace", otherNamespace, "", ExitFindings, []string{evidence.SignatureName}, `namespace "file"`, true},
		{"unsigned, signer wanted", func(f map[string][]byte) { delete(f, evidence.SignatureName) }, allowed, ExitFindings, []string{evidence.SignatureName}, "not signed", true},
		// Edits made consistent: the manifest lists the new hashes and is
		// signed again by another key. Only who signed, and the
		// re-evaluation, can tell.
		{"report edited and re-listed", func(f map[string][]byte) {
			f["report.json"] = bytes.Replace(f["report.json"], []byte(`"status": "FAIL"`), []byte(`"status": "PASS"`), 1)
			relist(t, f, nil, strangerKey)
		}, "", ExitFindings, []string{"report.json"}, "differs from the json report", false},
		{"report edited, re-listed and re-signed, signer checked", func(f map[string][]byte) {
			f["report.json"] = bytes.Replace(f["report.json"], []byte(`"status": "FAIL"`), []byte(`"status": "PASS"`), 1)
			relist(t, f, nil, strangerKey)
		}, allowed, ExitFindings, []string{evidence.SignatureName, "report.json"}, "", false},
		{"snapshot swapped and re-listed", func(f map[string][]byte) {
			f["snapshot.json"] = compliant
			relist(t, f, nil, "")
		}, "", ExitFindings, []string{evidence.ManifestName, "report.json"}, "records snapshot digest", false},
		{"parameters edited and re-listed", func(f map[string][]byte) {
			relist(t, f, func(m *evidence.Manifest) { m.Parameters.Params = map[string]string{"access_key_max_age_days": "1"} }, "")
		}, "", ExitFindings, []string{"report.json"}, "differs", false},
		{"waivers edited and re-listed", func(f map[string][]byte) {
			f["inputs/waivers.yaml"] = bytes.Replace(f["inputs/waivers.yaml"], []byte("expires: 2027-03-01"), []byte("expires: 2027-03-02"), 1)
			relist(t, f, nil, "")
		}, "", ExitFindings, []string{"report.json"}, "differs", false},
		{"catalogue of another build", func(f map[string][]byte) {
			relist(t, f, func(m *evidence.Manifest) { m.CatalogVersion = "sha256:0000000000000000" }, "")
		}, "", ExitFindings, []string{evidence.ManifestName}, "checks catalogue sha256:0000000000000000", true},
	}
	// An archive is read into the same members as a directory: a few cases
	// on archives show that, the rest run on directories only.
	onArchives := map[string]bool{"good, allowed signer": true, "tampered report": true, "missing file": true, "extra file": true, "wrong namespace": true, "report edited and re-listed": true}
	for _, kind := range []string{"dir", "tar.gz"} {
		for _, c := range cases {
			if kind == "tar.gz" && !onArchives[c.name] {
				continue
			}
			t.Run(kind+"/"+c.name, func(t *testing.T) {
				files := clone(good)
				if c.change != nil {
					c.change(files)
				}
				dest := filepath.Join(t.TempDir(), "bundle")
				if kind == "tar.gz" {
					dest += ".tar.gz"
				}
				writeBundle(t, dest, files)
				args := []string{"verify", dest}
				if c.signers != "" {
					args = append(args, "--allowed-signers", c.signers)
				}
				stdout, stderr, code := run(t, args...)
				if code != c.code {
					t.Fatalf("exit %d, want %d\n%s%s", code, c.code, stdout, stderr)
				}
				if !strings.Contains(stdout, c.stdout) {
					t.Fatalf("stdout lacks %q:\n%s", c.stdout, stdout)
				}
				if c.code == ExitOK {
					if !strings.HasSuffix(stdout, "verified\n") || stderr != "" {
						t.Fatalf("stdout %q stderr %q", stdout, stderr)
					}
					return
				}
				_, list, _ := strings.Cut(strings.TrimSpace(stderr), "does not verify: ")
				named := strings.Split(list, ", ")
				for _, n := range c.names {
					if !contains(named, n) {
						t.Fatalf("stderr %q does not name %s", stderr, n)
					}
				}
				if c.only && len(named) != len(c.names) {
					t.Fatalf("stderr %q names more than %v", stderr, c.names)
				}
				if strings.Contains(stdout, "\nverified") {
					t.Fatal("says verified")
				}
			})
		}
	}
}

func TestVerifyOtherToolVersion(t *testing.T) {
	dir := t.TempDir()
	saved := Version
	t.Cleanup(func() { Version = saved })
	Version = "v9.9.9"
	dest := filepath.Join(dir, "b")
	if _, stderr, code := run(t, "evidence", "--snapshot", snapshotPath("guide-as-written.json"), dest); code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	Version = "v10.0.0"
	stdout, stderr, code := run(t, "verify", dest)
	if code != ExitOK || !strings.Contains(stdout, "made by lockdown v9.9.9, verified by lockdown v10.0.0") {
		t.Fatalf("exit %d:\n%s%s", code, stdout, stderr)
	}
}

func TestVerifyUnreadable(t *testing.T) {
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage.tar.gz")
	if err := os.WriteFile(garbage, []byte("not an archive"), 0o600); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty")
	if err := os.MkdirAll(empty, 0o700); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	tw.WriteHeader(&tar.Header{Name: evidence.ManifestName, Typeflag: tar.TypeSymlink, Linkname: "/etc/passwd"})
	tw.Close()
	zw.Close()
	link := filepath.Join(dir, "link.tar.gz")
	if err := os.WriteFile(link, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	badSigners := filepath.Join(dir, "bad_signers")
	if err := os.WriteFile(badSigners, []byte("alice@example.com not-a-key\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"missing", []string{"verify", filepath.Join(dir, "nope")}, "no such file"},
		{"not an archive", []string{"verify", garbage}, "not a gzip archive"},
		{"link member", []string{"verify", link}, "a link"},
		{"no manifest", []string{"verify", empty}, "no manifest.json"},
		{"bad flag", []string{"verify", "--frobnicate", empty}, "unknown flag"},
		{"no bundle", []string{"verify"}, "accepts 1 arg"},
		{"identity alone", []string{"verify", "--identity", "a@b", empty}, "--identity"},
		{"bad allowed signers", []string{"verify", "--allowed-signers", badSigners, empty}, "bad_signers:1"},
		{"missing allowed signers", []string{"verify", "--allowed-signers", filepath.Join(dir, "none"), empty}, "no such file"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, stderr, code := run(t, c.args...)
			if code != ExitInput || !strings.Contains(stderr, c.want) {
				t.Fatalf("exit %d, stderr %q; want %d with %q", code, stderr, ExitInput, c.want)
			}
		})
	}
}

// TestBundleVerifiesWithSSHKeygen checks a bundle's signature the way a
// reviewer without lockdown does: ssh-keygen -Y verify over manifest.json,
// then sha256sum's view of each file against the manifest. With
// LOCKDOWN_SSH_KEYGEN=1 (make unit) a missing ssh-keygen fails the test.
func TestBundleVerifiesWithSSHKeygen(t *testing.T) {
	keygen, err := exec.LookPath("ssh-keygen")
	if err != nil {
		if os.Getenv("LOCKDOWN_SSH_KEYGEN") == "1" {
			t.Fatalf("ssh-keygen not found (LOCKDOWN_SSH_KEYGEN=1; make deps installs openssh-client): %v", err)
		}
		t.Skipf("ssh-keygen not found (install openssh-client, or run make deps; LOCKDOWN_SSH_KEYGEN=1 makes this a failure): %v", err)
	}
	dir := t.TempDir()
	key, line := signingKey(t, dir, "auditor", "auditor@example.com")
	allowed := filepath.Join(dir, "allowed_signers")
	if err := os.WriteFile(allowed, []byte(line), 0o600); err != nil {
		t.Fatal(err)
	}
	bundle := filepath.Join(dir, "bundle")
	if _, stderr, code := run(t, "evidence", "--snapshot", snapshotPath("guide-as-written.json"), "--sign-key", key, bundle); code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	keygenVerify := func(namespace string) (string, error) {
		manifest, err := os.Open(filepath.Join(bundle, evidence.ManifestName))
		if err != nil {
			t.Fatal(err)
		}
		defer manifest.Close()
		cmd := exec.Command(keygen, "-Y", "verify", "-f", allowed, "-I", "auditor@example.com", "-n", namespace, "-s", filepath.Join(bundle, evidence.SignatureName))
		cmd.Stdin = manifest
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	if out, err := keygenVerify(evidence.Namespace); err != nil || !strings.Contains(out, `Good "lockdown-evidence" signature for auditor@example.com`) {
		t.Fatalf("ssh-keygen -Y verify: %v\n%s", err, out)
	}
	if out, err := keygenVerify("git"); err == nil {
		t.Fatalf("ssh-keygen accepts the bundle's signature for namespace git:\n%s", out)
	}
	m := readManifest(t, bundle)
	for _, f := range m.Files {
		data, err := os.ReadFile(filepath.Join(bundle, filepath.FromSlash(f.Path)))
		if err != nil {
			t.Fatal(err)
		}
		if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != f.SHA256 || int64(len(data)) != f.Size {
			t.Errorf("%s: the manifest's hash or size is not the file's", f.Path)
		}
	}
}

// What a bundle says is hostile input: a manifest with terminal escapes and
// bidi overrides reaches stdout and stderr inert.
func TestVerifyPrintsBundleTextInert(t *testing.T) {
	dir := t.TempDir()
	key, _ := signingKey(t, dir, "auditor", "auditor@example.com")
	files := goodBundle(t, dir, key)
	relist(t, files, func(m *evidence.Manifest) {
		m.Account.ID = "\x1b]0;pwned\x07\u202e210987654321"
		m.Tool.Version = "v1\x1b[2J"
		m.Reports = append(m.Reports, evidence.ReportFile{Format: "x\x1b[31m", Path: "report.md"})
	}, "")
	dest := filepath.Join(dir, "b")
	writeBundle(t, dest, files)
	stdout, stderr, code := run(t, "verify", dest)
	if code != ExitFindings {
		t.Fatalf("exit %d:\n%s%s", code, stdout, stderr)
	}
	for _, out := range []string{stdout, stderr} {
		if strings.ContainsAny(out, "\x1b\x07\u202e") {
			t.Fatalf("a control character reached the terminal: %q", out)
		}
	}
	if !strings.Contains(stdout, "records account") {
		t.Fatalf("the account mismatch is not reported:\n%s", stdout)
	}
}
