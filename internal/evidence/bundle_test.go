package evidence

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/crypto/ssh"
)

var collected = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

// sampleBundle is a small bundle: its files, manifest and, with signer,
// signature.
func sampleBundle(t *testing.T, signer ssh.Signer) (files []Content, manifest, sig []byte) {
	t.Helper()
	files = []Content{
		{Path: SnapshotName, Data: []byte(`{"schema":"lockdown.snapshot/v1"}` + "\n")},
		{Path: "report.json", Data: []byte(`{"schema":"lockdown.report/v1"}` + "\n")},
		{Path: "report.md", Data: []byte("# lockdown\n")},
		{Path: "compliance/cis-aws-5.0.json", Data: []byte("{}\n")},
		{Path: "inputs/waivers.yaml", Data: []byte("schema: lockdown.waivers/v1\n")},
	}
	m := &Manifest{
		Tool:           Tool{Name: "lockdown", Version: "v1.2.3"},
		CatalogVersion: "sha256:0123456789abcdef",
		Account:        Account{ID: "123456789012", Partition: "aws"},
		Caller:         &Caller{ARN: "arn:aws:iam::123456789012:user/auditor", UserID: "AIDAEXAMPLE", Account: "123456789012"},
		CollectedAt:    collected,
		SnapshotDigest: "sha256:" + strings.Repeat("ab", 32),
		Command:        []string{"lockdown", "evidence", "--snapshot=s.json", "--", "out"},
		Parameters:     Parameters{FailOn: "low", SelectedChecks: []string{"LD-MFA-01"}, WaiverMaxDays: 90},
		Snapshot:       SnapshotName,
		Reports:        []ReportFile{{Format: "json", Path: "report.json"}, {Format: "markdown", Path: "report.md"}},
		Compliance:     []ComplianceFile{{Framework: "cis-aws-5.0", Path: "compliance/cis-aws-5.0.json"}},
		Inputs:         Inputs{Waivers: "inputs/waivers.yaml", WaiversSource: "waivers.yaml"},
	}
	m.SetFiles(files)
	manifest, err := Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	if signer != nil {
		if sig, err = Sign(signer, manifest, Namespace); err != nil {
			t.Fatal(err)
		}
	}
	return files, manifest, sig
}

func TestManifestDeterministicAndValid(t *testing.T) {
	_, a, _ := sampleBundle(t, nil)
	_, b, _ := sampleBundle(t, nil)
	if !bytes.Equal(a, b) {
		t.Fatal("the same inputs give two manifests")
	}
	sch, err := compiledSchema()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(a))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(doc); err != nil {
		t.Fatalf("the manifest does not follow its schema: %v", err)
	}
	m, err := ParseManifest(a)
	if err != nil {
		t.Fatal(err)
	}
	again, err := Marshal(m)
	if err != nil || !bytes.Equal(again, a) {
		t.Fatalf("parse and marshal changes the manifest (%v)", err)
	}
	var paths []string
	for _, f := range m.Files {
		paths = append(paths, f.Path)
	}
	want := []string{"compliance/cis-aws-5.0.json", "inputs/waivers.yaml", "report.json", "report.md", SnapshotName}
	if !reflect.DeepEqual(paths, want) {
		t.Fatalf("files %v, want sorted %v", paths, want)
	}
	if strings.Contains(string(a), "null") && !strings.Contains(string(a), `"caller": null`) {
		t.Fatalf("a list is null:\n%s", a)
	}
}

func TestParseManifestRefuses(t *testing.T) {
	_, good, _ := sampleBundle(t, nil)
	// inFiles changes the files list only.
	at := strings.Index(string(good), `"files"`)
	inFiles := func(old, new string) string {
		return string(good[:at]) + strings.Replace(string(good[at:]), old, new, 1)
	}
	cases := map[string]string{
		"unknown field":     strings.Replace(string(good), `"schema"`, `"extra": 1, "schema"`, 1),
		"other schema":      strings.Replace(string(good), Schema, "lockdown.manifest/v2", 1),
		"parent path":       inFiles(`"path": "report.md"`, `"path": "../report.md"`),
		"absolute path":     inFiles(`"path": "report.md"`, `"path": "/etc/passwd"`),
		"lists itself":      inFiles(`"path": "report.md"`, `"path": "manifest.json"`),
		"listed twice":      inFiles(`"path": "report.md"`, `"path": "report.json"`),
		"role not listed":   strings.Replace(string(good), `"snapshot": "snapshot.json"`, `"snapshot": "other.json"`, 1),
		"bad sha256":        strings.Replace(string(good), `"sha256": "`, `"sha256": "X`, 1),
		"not JSON":          string(good[:len(good)/2]),
		"no selected check": strings.Replace(string(good), `"selected_checks": [`+"\n      \"LD-MFA-01\"\n    ]", `"selected_checks": []`, 1),
	}
	for name, in := range cases {
		if in == string(good) {
			t.Fatalf("%s: the case changes nothing", name)
		}
		if _, err := ParseManifest([]byte(in)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestWriteReadDirAndArchive(t *testing.T) {
	dir := t.TempDir()
	_, signer := testKey(t, dir, "ed25519")
	files, manifest, sig := sampleBundle(t, signer)
	for _, dest := range []string{filepath.Join(dir, "bundle"), filepath.Join(dir, "bundle.tar.gz")} {
		if err := Write(dest, manifest, sig, files, collected); err != nil {
			t.Fatal(err)
		}
		b, err := Read(dest, DefaultLimits)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string][]byte{ManifestName: manifest, SignatureName: sig}
		for _, f := range files {
			want[f.Path] = f.Data
		}
		if !reflect.DeepEqual(b.Files, want) {
			t.Fatalf("%s: read back %d files, want %d", dest, len(b.Files), len(want))
		}
		integ, err := CheckIntegrity(b, IntegrityOptions{})
		if err != nil || len(integ.Problems) > 0 || !integ.Signature.Valid || integ.Signature.Authenticated {
			t.Fatalf("%s: %v %+v", dest, err, integ)
		}
		if err := Write(dest, manifest, sig, files, collected); err == nil && !IsArchive(dest) {
			t.Fatalf("%s: written over a bundle", dest)
		}
	}
	// An empty directory is filled; a link to a bundle directory is read.
	empty := filepath.Join(dir, "empty")
	if err := os.Mkdir(empty, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := Write(empty, manifest, sig, files, collected); err != nil {
		t.Fatalf("writing into an empty directory: %v", err)
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink(empty, link); err != nil {
		t.Fatal(err)
	}
	if b, err := Read(link, DefaultLimits); err != nil || len(b.Files) != len(files)+2 {
		t.Fatalf("a link to a bundle: %v", err)
	}
	if leftovers, _ := filepath.Glob(filepath.Join(dir, ".*tmp-*")); len(leftovers) > 0 {
		t.Fatalf("temporary directories left: %v", leftovers)
	}
	a, err := os.ReadFile(filepath.Join(dir, "bundle.tar.gz"))
	if err != nil {
		t.Fatal(err)
	}
	all, _ := members(manifest, sig, files)
	again, err := Archive(all, collected)
	if err != nil || !bytes.Equal(a, again) {
		t.Fatalf("the archive differs between two writes (%v)", err)
	}
}

func TestCheckTarget(t *testing.T) {
	dir := t.TempDir()
	full := filepath.Join(dir, "full")
	if err := os.MkdirAll(full, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(full, "x"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty")
	if err := os.MkdirAll(empty, 0o700); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, ok := range []string{empty, filepath.Join(dir, "new"), filepath.Join(dir, "b.tar.gz")} {
		if err := CheckTarget(ok); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	for _, bad := range []string{full, file, filepath.Join(dir, "missing", "b"), filepath.Join(dir, "missing", "b.tar.gz")} {
		if err := CheckTarget(bad); err == nil {
			t.Errorf("%s: accepted", bad)
		}
	}
}

type entry struct {
	hdr  tar.Header
	data string
}

func archiveOf(t *testing.T, entries ...entry) string {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for _, e := range entries {
		h := e.hdr
		if h.Typeflag == 0 {
			h.Typeflag = tar.TypeReg
		}
		if h.Typeflag == tar.TypeReg {
			h.Size = int64(len(e.data))
		}
		h.Mode = 0o644
		if err := tw.WriteHeader(&h); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(e.data)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "b.tar.gz")
	if err := os.WriteFile(p, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestReadArchiveRefusesUnsafeMembers(t *testing.T) {
	m := entry{tar.Header{Name: ManifestName}, "{}"}
	small := Limits{MaxFiles: 5, MaxFileBytes: 100, MaxBytes: 150}
	cases := []struct {
		name    string
		entries []entry
		lim     Limits
		want    string
	}{
		{"absolute", []entry{m, {tar.Header{Name: "/etc/passwd"}, "x"}}, DefaultLimits, "absolute"},
		{"parent", []entry{m, {tar.Header{Name: "../evil"}, "x"}}, DefaultLimits, `".." segment`},
		{"parent inside", []entry{m, {tar.Header{Name: "a/../../evil"}, "x"}}, DefaultLimits, `".." segment`},
		{"symlink", []entry{m, {tar.Header{Name: "report.json", Typeflag: tar.TypeSymlink, Linkname: "/etc/passwd"}, ""}}, DefaultLimits, "link"},
		{"hard link", []entry{m, {tar.Header{Name: "report.json", Typeflag: tar.TypeLink, Linkname: ManifestName}, ""}}, DefaultLimits, "link"},
		{"device", []entry{m, {tar.Header{Name: "dev", Typeflag: tar.TypeChar}, ""}}, DefaultLimits, "not a regular file"},
		{"duplicate", []entry{m, {tar.Header{Name: "report.json"}, "a"}, {tar.Header{Name: "./report.json"}, "b"}}, DefaultLimits, "twice"},
		{"backslash", []entry{m, {tar.Header{Name: `a\..\b`}, "x"}}, DefaultLimits, "backslash"},
		{"file too large", []entry{m, {tar.Header{Name: "big"}, strings.Repeat("x", 101)}}, small, "limit"},
		{"too much in all", []entry{m, {tar.Header{Name: "a"}, strings.Repeat("x", 80)}, {tar.Header{Name: "b"}, strings.Repeat("x", 80)}}, small, "in all"},
		{"too many files", []entry{m, {tar.Header{Name: "a"}, ""}, {tar.Header{Name: "b"}, ""}, {tar.Header{Name: "c"}, ""}, {tar.Header{Name: "d"}, ""}, {tar.Header{Name: "e"}, ""}}, small, "members"},
		{"too many directories", []entry{m, {tar.Header{Name: "a/", Typeflag: tar.TypeDir}, ""}, {tar.Header{Name: "b/", Typeflag: tar.TypeDir}, ""}, {tar.Header{Name: "c/", Typeflag: tar.TypeDir}, ""}, {tar.Header{Name: "d/", Typeflag: tar.TypeDir}, ""}, {tar.Header{Name: "e/", Typeflag: tar.TypeDir}, ""}}, small, "members"},
		{"file under a file", []entry{m, {tar.Header{Name: "a"}, "x"}, {tar.Header{Name: "a/b"}, "y"}}, DefaultLimits, "under the file"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Read(archiveOf(t, c.entries...), c.lim)
			var re *ReadError
			if !errors.As(err, &re) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("%v, want a ReadError with %q", err, c.want)
			}
		})
	}
	// A directory entry and a "./" prefix are what tar -C dir . writes:
	// accepted.
	b, err := Read(archiveOf(t, entry{tar.Header{Name: "./", Typeflag: tar.TypeDir}, ""}, entry{tar.Header{Name: "./" + ManifestName}, "{}"}, entry{tar.Header{Name: "./compliance/", Typeflag: tar.TypeDir}, ""}, entry{tar.Header{Name: "./compliance/x.json"}, "{}"}), DefaultLimits)
	if err != nil || len(b.Files) != 2 || b.Files["compliance/x.json"] == nil {
		t.Fatalf("a tar of a directory: %v %v", err, b)
	}
}

func TestReadRefusesGzipBomb(t *testing.T) {
	// 64 MiB of zeros compress to about 64 KiB; the limit on what is read
	// stops it long before it is in memory.
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	const size = 64 << 20
	if err := tw.WriteHeader(&tar.Header{Name: "zeros", Typeflag: tar.TypeReg, Size: size, Mode: 0o644}); err != nil {
		t.Fatal(err)
	}
	chunk := make([]byte, 1<<20)
	for i := 0; i < size/len(chunk); i++ {
		if _, err := tw.Write(chunk); err != nil {
			t.Fatal(err)
		}
	}
	tw.Close()
	zw.Close()
	p := filepath.Join(t.TempDir(), "bomb.tar.gz")
	if err := os.WriteFile(p, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Read(p, Limits{MaxFiles: 10, MaxFileBytes: 1 << 20, MaxBytes: 2 << 20})
	if err == nil || !strings.Contains(err.Error(), "limit") {
		t.Fatalf("a 64 MiB member under a 1 MiB limit: %v", err)
	}
}

func TestReadDirRefusesLinks(t *testing.T) {
	dir := t.TempDir()
	files, manifest, _ := sampleBundle(t, nil)
	dest := filepath.Join(dir, "b")
	if err := Write(dest, manifest, nil, files, collected); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/etc/passwd", filepath.Join(dest, "passwd")); err != nil {
		t.Fatal(err)
	}
	_, err := Read(dest, DefaultLimits)
	var re *ReadError
	if !errors.As(err, &re) || !strings.Contains(err.Error(), "symbolic link") {
		t.Fatalf("a symbolic link in a bundle directory: %v", err)
	}
	if _, err := Read(filepath.Join(dir, "nope"), DefaultLimits); !errors.As(err, &re) {
		t.Fatalf("a missing bundle: %v", err)
	}
	garbage := filepath.Join(dir, "garbage.tar.gz")
	if err := os.WriteFile(garbage, []byte("not gzip"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Read(garbage, DefaultLimits); !errors.As(err, &re) {
		t.Fatalf("not an archive: %v", err)
	}
}

func problemPaths(in *Integrity) []string {
	var out []string
	for _, p := range in.Problems {
		out = append(out, p.Path)
	}
	return out
}

func TestCheckIntegrity(t *testing.T) {
	dir := t.TempDir()
	_, signer := testKey(t, dir, "ed25519")
	_, stranger := testKey(t, t.TempDir(), "ed25519")
	files, manifest, sig := sampleBundle(t, signer)
	fresh := func() *Bundle {
		b := &Bundle{Files: map[string][]byte{ManifestName: manifest, SignatureName: sig}}
		for _, f := range files {
			b.Files[f.Path] = append([]byte(nil), f.Data...)
		}
		return b
	}
	trust := func(k ssh.PublicKey, opts string) IntegrityOptions {
		s, err := ParseAllowedSigners("allowed", []byte("reviewer@example.com "+opts+authorizedKey(k)))
		if err != nil {
			t.Fatal(err)
		}
		return IntegrityOptions{Signers: s, HaveSigners: true, Now: testNow}
	}
	otherNS, err := Sign(signer, manifest, "file")
	if err != nil {
		t.Fatal(err)
	}
	strangerSig, err := Sign(stranger, manifest, Namespace)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		change func(b *Bundle)
		opts   IntegrityOptions
		want   []string // files named, in order; nil = verifies
	}{
		{"good, trusted", func(*Bundle) {}, trust(signer.PublicKey(), ""), nil},
		{"good, trusted for the namespace", func(*Bundle) {}, trust(signer.PublicKey(), `namespaces="lockdown-evidence" `), nil},
		{"trusted for another namespace", func(*Bundle) {}, trust(signer.PublicKey(), `namespaces="git" `), []string{SignatureName}},
		{"tampered report", func(b *Bundle) { b.Files["report.json"][2] ^= 1 }, IntegrityOptions{}, []string{"report.json"}},
		{"tampered snapshot, same size", func(b *Bundle) { b.Files[SnapshotName][3] ^= 1 }, IntegrityOptions{}, []string{SnapshotName}},
		{"longer report", func(b *Bundle) { b.Files["report.md"] = append(b.Files["report.md"], ' ') }, IntegrityOptions{}, []string{"report.md"}},
		{"missing file", func(b *Bundle) { delete(b.Files, "inputs/waivers.yaml") }, IntegrityOptions{}, []string{"inputs/waivers.yaml"}},
		{"extra file", func(b *Bundle) { b.Files["notes.txt"] = []byte("x") }, IntegrityOptions{}, []string{"notes.txt"}},
		{"wrong key", func(*Bundle) {}, trust(stranger.PublicKey(), ""), []string{SignatureName}},
		{"re-signed by a stranger", func(b *Bundle) { b.Files[SignatureName] = strangerSig }, trust(signer.PublicKey(), ""), []string{SignatureName}},
		{"wrong namespace", func(b *Bundle) { b.Files[SignatureName] = otherNS }, IntegrityOptions{}, []string{SignatureName}},
		{"unsigned, signer wanted", func(b *Bundle) { delete(b.Files, SignatureName) }, trust(signer.PublicKey(), ""), []string{SignatureName}},
		{"manifest edited after signing", func(b *Bundle) {
			b.Files[ManifestName] = bytes.Replace(manifest, []byte("v1.2.3"), []byte("v1.2.4"), 1)
		}, IntegrityOptions{}, []string{SignatureName}},
		{"manifest not a manifest", func(b *Bundle) { b.Files[ManifestName] = []byte("{}") }, IntegrityOptions{}, []string{SignatureName, ManifestName}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := fresh()
			c.change(b)
			integ, err := CheckIntegrity(b, c.opts)
			if err != nil {
				t.Fatal(err)
			}
			if got := problemPaths(integ); !reflect.DeepEqual(got, c.want) {
				t.Fatalf("problems %v, want %v", integ.Problems, c.want)
			}
			if c.want == nil && c.opts.HaveSigners && !integ.Signature.Authenticated {
				t.Fatal("verified without authenticating the signer")
			}
		})
	}
	if _, err := CheckIntegrity(&Bundle{Files: map[string][]byte{"report.json": nil}}, IntegrityOptions{}); !errors.Is(err, ErrNoManifest) {
		t.Fatalf("no manifest: %v", err)
	}
}

// FuzzReadArchive: whatever the bytes, reading refuses or returns members
// with safe paths, within the limits, and never panics.
func FuzzReadArchive(f *testing.F) {
	all, _ := members([]byte("{}"), nil, []Content{{Path: "a/b.json", Data: []byte("x")}})
	seed, err := Archive(all, collected)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte{0x1f, 0x8b})
	lim := Limits{MaxFiles: 20, MaxFileBytes: 1 << 16, MaxBytes: 1 << 18}
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(t.TempDir(), "f.tar.gz")
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		b, err := Read(p, lim)
		if err != nil {
			return
		}
		var total int64
		for name, d := range b.Files {
			if err := checkPath(name); err != nil {
				t.Fatalf("unsafe member accepted: %v", err)
			}
			total += int64(len(d))
		}
		if len(b.Files) > lim.MaxFiles || total > lim.MaxBytes {
			t.Fatalf("limits exceeded: %d files, %d bytes", len(b.Files), total)
		}
	})
}
