package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/lockdown-dev/lockdown/internal/diff"
)

// The NEW side of the bundled drift pair (guide-compliant.json is OLD):
// a renamed policy, a trust policy without MFA, a new access key, a new
// failing user. internal/diff generates it.
var driftNew = filepath.Join(repoRoot, "internal", "diff", "testdata", "drift-new.json")

func decodeDiff(t *testing.T, out string) *diff.Diff {
	t.Helper()
	var d diff.Diff
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if d.Schema != diff.SchemaV1 {
		t.Fatalf("schema %q", d.Schema)
	}
	return &d
}

func findingKeys(d *diff.Diff) (added, fixed, changed []string) {
	for _, r := range d.NewFindings {
		added = append(added, r.Fingerprint)
	}
	for _, r := range d.Fixed {
		fixed = append(fixed, r.Fingerprint)
	}
	for _, r := range d.Changed {
		changed = append(changed, r.Fingerprint+" "+string(r.Status))
	}
	sort.Strings(added)
	sort.Strings(fixed)
	sort.Strings(changed)
	return
}

func validateDiffSchema(t *testing.T, data []byte) {
	t.Helper()
	f, err := os.Open(filepath.Join(repoRoot, "internal", "diff", "diff.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sdoc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("diff.schema.json", sdoc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("diff.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Validate(doc); err != nil {
		t.Error(err)
	}
}

func TestDiffSnapshots(t *testing.T) {
	out, stderr, code := run(t, "diff", snapshotPath("guide-compliant.json"), driftNew, "--format", "json")
	if code != ExitFindings {
		t.Fatalf("exit %d, want 1 (new failures): %s", code, stderr)
	}
	if !strings.Contains(stderr, "new failing result") {
		t.Errorf("stderr %q", stderr)
	}
	validateDiffSchema(t, []byte(out))
	d := decodeDiff(t, out)
	var got []string
	for _, r := range d.NewFindings {
		got = append(got, r.CheckID+" "+r.Resource.Name)
		if r.Status != "FAIL" || r.Fingerprint == "" {
			t.Errorf("new result %+v", r)
		}
	}
	sort.Strings(got)
	want := []string{"LD-ADM-01 mallory", "LD-ADM-02 mallory", "LD-ADM-03 AdminRole", "LD-GRP-01 mallory", "LD-GRP-02 mallory",
		"LD-KEY-03 alice", "LD-MFA-01 mallory", "LD-MFA-02 mallory"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("new = %q\nwant %q", got, want)
	}
	if len(d.Fixed) != 0 || len(d.Changed) != 0 {
		t.Errorf("fixed %d, changed %d", len(d.Fixed), len(d.Changed))
	}
	types := map[string]bool{}
	for _, x := range d.Drift {
		types[x.Change+" "+x.Type] = true
	}
	for _, w := range []string{"added user", "added policy", "removed policy", "changed trust-policy", "added access-key", "added attachment", "removed attachment"} {
		if !types[w] {
			t.Errorf("no %q drift in %v", w, types)
		}
	}
	if d.Inputs.Old.Kind != "snapshot" || d.Inputs.New.SnapshotDigest == "" {
		t.Errorf("inputs %+v", d.Inputs)
	}

	// Backwards: what was new is fixed, and nothing new fails (exit 0).
	out, stderr, code = run(t, "diff", driftNew, snapshotPath("guide-compliant.json"), "--format", "json")
	if code != ExitOK {
		t.Fatalf("reverse: exit %d: %s", code, stderr)
	}
	back := decodeDiff(t, out)
	if len(back.Fixed) != len(want) || len(back.NewFindings) != 0 {
		t.Errorf("reverse: %d fixed, %d new", len(back.Fixed), len(back.NewFindings))
	}
}

// Two JSON reports of the same snapshots give the same findings as the
// snapshots themselves, and no drift.
func TestDiffReports(t *testing.T) {
	dir := t.TempDir()
	oldRep, newRep := filepath.Join(dir, "old.json"), filepath.Join(dir, "new.json")
	for _, a := range [][2]string{{snapshotPath("guide-compliant.json"), oldRep}, {driftNew, newRep}} {
		if _, stderr, code := run(t, "audit", "--snapshot", a[0], "-o", "json="+a[1], "--fail-on", "none", "--format", "json"); code != ExitOK {
			t.Fatalf("audit %s: exit %d: %s", a[0], code, stderr)
		}
	}
	snapOut, _, _ := run(t, "diff", snapshotPath("guide-compliant.json"), driftNew, "--format", "json")
	out, stderr, code := run(t, "diff", oldRep, newRep, "--format", "json")
	if code != ExitFindings {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	validateDiffSchema(t, []byte(out))
	fromReports, fromSnaps := decodeDiff(t, out), decodeDiff(t, snapOut)
	a1, f1, c1 := findingKeys(fromReports)
	a2, f2, c2 := findingKeys(fromSnaps)
	if strings.Join(a1, ",") != strings.Join(a2, ",") || strings.Join(f1, ",") != strings.Join(f2, ",") || strings.Join(c1, ",") != strings.Join(c2, ",") {
		t.Errorf("reports and snapshots disagree:\n%v %v %v\n%v %v %v", a1, f1, c1, a2, f2, c2)
	}
	if len(a1) == 0 {
		t.Error("no new findings")
	}
	if fromReports.Drift != nil || !strings.Contains(out, `"drift": null`) {
		t.Errorf("drift between reports: %v", fromReports.Drift)
	}
	// The same report twice: nothing new, exit 0, and every format renders.
	for _, format := range diff.Formats() {
		out, stderr, code := run(t, "diff", oldRep, oldRep, "--format", format)
		if code != ExitOK || out == "" {
			t.Errorf("%s: exit %d: %s", format, code, stderr)
		}
	}
	// Another account is bad input.
	data, err := os.ReadFile(newRep)
	if err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(dir, "other.json")
	if err := os.WriteFile(other, bytes.Replace(data, []byte(`"account_id": "123456789012"`), []byte(`"account_id": "210987654321"`), 1), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := run(t, "diff", oldRep, other); code != ExitInput || !strings.Contains(stderr, "210987654321") {
		t.Errorf("another account: exit %d: %s", code, stderr)
	}
	// Mixed inputs name both files.
	_, stderr, code = run(t, "diff", oldRep, driftNew)
	if code != ExitInput || !strings.Contains(stderr, "old.json is a lockdown.report/v1") || !strings.Contains(stderr, "drift-new.json a lockdown.snapshot/v1") {
		t.Errorf("mixed: exit %d: %s", code, stderr)
	}
}

func TestDiffBadInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := snapshotPath("guide-compliant.json")
	cases := []struct {
		name, path, inStderr string
	}{
		{"syntax", write("syntax.json", "{\n  \"schema\": \"lockdown.report/v1\",\n  \"results\": [,]\n}\n"), "syntax.json:3:"},
		{"type", write("type.json", "{\n  \"schema\": \"lockdown.report/v1\",\n  \"results\": 7\n}\n"), "type.json:3:"},
		{"no schema", write("none.json", `{"results": []}`), `none.json: no "schema" field`},
		{"other schema", write("other.json", `{"schema": "lockdown.waivers/v1"}`), `other.json: schema "lockdown.waivers/v1"`},
		{"empty", write("empty.json", ""), "empty.json: empty file"},
		{"missing", filepath.Join(dir, "nope.json"), "nope.json"},
		{"bad snapshot", write("snap.json", `{"schema": "lockdown.snapshot/v1"}`), "snap.json"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, stderr, code := run(t, "diff", good, c.path)
			if code != ExitInput || !strings.Contains(stderr, c.inStderr) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, stderr, c.inStderr)
			}
		})
	}
	if _, stderr, code := run(t, "diff", good); code != ExitInput {
		t.Errorf("one argument: exit %d: %s", code, stderr)
	}
	if _, stderr, code := run(t, "diff", good, good, "--format", "sarif"); code != ExitInput || !strings.Contains(stderr, "unknown format") {
		t.Errorf("sarif: exit %d: %s", code, stderr)
	}
}

// The hostile snapshot through the whole command, in every format.
func TestDiffHostileIsInertInEveryFormat(t *testing.T) {
	for _, format := range diff.Formats() {
		out, stderr, code := run(t, "diff", snapshotPath("guide-compliant.json"), snapshotPath("hostile.json"), "--format", format)
		if code != ExitFindings {
			t.Fatalf("%s: exit %d: %s", format, code, stderr)
		}
		for _, r := range out + stderr {
			if (r < 0x20 && r != '\n') || (r >= 0x7f && r < 0xa0) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) {
				t.Errorf("%s: raw %U", format, r)
				break
			}
		}
		for _, line := range strings.Split(out, "\n") {
			l := strings.TrimLeft(line, " \t")
			if strings.HasPrefix(l, "::") || strings.HasPrefix(l, "##[") || strings.HasPrefix(l, "##vso[") || strings.HasPrefix(l, "##teamcity[") {
				t.Errorf("%s: command line %q", format, line)
			}
		}
		if format == "json" {
			validateDiffSchema(t, []byte(out))
		}
	}
}
