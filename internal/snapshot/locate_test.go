package snapshot

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func readLocateSnapshot(t *testing.T) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/locate.json")
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestIndexKnownEntities(t *testing.T) {
	l, err := Index(readLocateSnapshot(t))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		arn, typ  string
		want      Location
		wantFound bool
		requires  []string
	}{
		{"arn:aws:iam::123456789012:user/engineering/platform/alice", "AWS::IAM::User", Location{99, 108}, true, nil},
		{"arn:aws:iam::123456789012:user/auditor", "AWS::IAM::User", Location{109, 130}, true, nil},
		// The root user maps to its credential report row.
		{"arn:aws:iam::123456789012:root", "AWS::IAM::User", Location{63, 69}, true, nil},
		// The account itself maps to the "account" block.
		{"arn:aws:iam::123456789012", "AWS::Account", Location{8, 14}, true, nil},
		// A user known only from the credential report.
		{"arn:aws:iam::123456789012:user/carol", "AWS::IAM::User", Location{77, 83}, true, nil},
		{"arn:aws:iam::123456789012:mfa/alice", "AWS::IAM::MFADevice", Location{91, 96}, true, nil},
		// Unknown ARNs fall back to the account block and say so.
		{"arn:aws:iam::123456789012:user/nobody", "AWS::IAM::User", Location{8, 14}, false, nil},
		{"", "", Location{8, 14}, false, nil},
		// Account-level results point at the data of the source the check
		// needs, or at its status entry when the data is absent.
		{"arn:aws:iam::123456789012", "AWS::Account", Location{53, 85}, true, []string{"credential_report"}},
		{"arn:aws:iam::123456789012", "AWS::Account", Location{45, 51}, true, []string{"password_policy"}},
		{"arn:aws:iam::123456789012", "AWS::Account", Location{86, 89}, true, []string{"account_summary"}},
		// A missing user does not point at a source block.
		{"arn:aws:iam::123456789012:user/nobody", "AWS::IAM::User", Location{8, 14}, false, []string{"authorization_details"}},
		// A local file points at the aws_config data or its status.
		{"", "AWSCLI::File", Location{236, 254}, true, []string{"aws_config"}},
		{"awscli:profile/admin", "AWSCLI::Profile", Location{242, 247}, true, []string{"aws_config"}},
		{"awscli:profile/default", "AWSCLI::Profile", Location{248, 252}, true, nil},
		{"awscli:profile/gone", "AWSCLI::Profile", Location{236, 254}, true, []string{"aws_config"}},
		{"", "AWS::Local::File", Location{53, 85}, true, []string{"organizations", "credential_report"}},
		{"", "", Location{29, 32}, true, []string{"authorization_details"}},
		// Users: their own object wins over the source block.
		{"arn:aws:iam::123456789012:user/auditor", "AWS::IAM::User", Location{109, 130}, true, []string{"credential_report"}},
	}
	for _, c := range cases {
		got, found := l.Locate(c.arn, c.typ, c.requires)
		if got != c.want || found != c.wantFound {
			t.Errorf("Locate(%q) = %v, %v; want %v, %v", c.arn, got, found, c.want, c.wantFound)
		}
	}
}

// TestIndexMatchesLayout checks every indexed entity independently: in the
// 2-space layout the object starts at the nearest line above its "arn" that
// is exactly "{" at the object's indent and ends at the matching "}".
func TestIndexMatchesLayout(t *testing.T) {
	data := readLocateSnapshot(t)
	l, err := Index(data)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	checked := 0
	for arn, got := range l.entities {
		idx := -1
		for i, ln := range lines {
			if strings.TrimSpace(ln) == `"arn": "`+arn+`",` && strings.HasPrefix(ln, "      \"") {
				idx = i
				break
			}
		}
		if idx < 0 {
			t.Fatalf("%s: not found at entity indent", arn)
		}
		start := idx
		for lines[start] != "    {" {
			start--
		}
		end := idx
		for lines[end] != "    }" && lines[end] != "    }," {
			end++
		}
		if want := (Location{start + 1, end + 1}); got != want {
			t.Errorf("%s: got %v, want %v", arn, got, want)
		}
		checked++
	}
	if checked != 7 {
		t.Errorf("indexed %d entities, want 7 (2 users, 1 group, 2 roles, 2 policies)", checked)
	}
}

// Any valid layout works: compact JSON puts everything on line 1, and tab
// indentation moves the lines but not the objects.
func TestIndexOtherLayouts(t *testing.T) {
	data := readLocateSnapshot(t)
	var compact bytes.Buffer
	if err := json.Compact(&compact, data); err != nil {
		t.Fatal(err)
	}
	l, err := Index(compact.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if r, ok := l.Locate("arn:aws:iam::123456789012:role/AdminRole", "", nil); !ok || r != (Location{1, 1}) {
		t.Errorf("compact: got %v, %v", r, ok)
	}
	var tabbed bytes.Buffer
	if err := json.Indent(&tabbed, compact.Bytes(), "", "\t"); err != nil {
		t.Fatal(err)
	}
	l, err = Index(tabbed.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if r, ok := l.Locate("arn:aws:iam::123456789012:user/engineering/platform/alice", "", nil); !ok || r != (Location{99, 108}) {
		t.Errorf("tabbed: got %v, %v", r, ok)
	}
}

func TestIndexFallbacks(t *testing.T) {
	// No account block: line 1.
	l, err := Index([]byte("{\n  \"schema\": \"lockdown.snapshot/v1\",\n  \"users\": null\n}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if r, ok := l.Locate("arn:aws:iam::1:root", "AWS::Account", nil); ok || r != (Location{1, 1}) {
		t.Errorf("got %v, %v; want line 1, not found", r, ok)
	}
	var nilIndex *LineIndex
	if r, ok := nilIndex.Locate("arn:aws:iam::1:user/a", "", nil); ok || r != (Location{1, 1}) {
		t.Errorf("nil index: %v, %v", r, ok)
	}
	// Root without a credential report falls back to the account block.
	l, err = Index([]byte("{\"account\": {\n\"id\": \"1\"\n},\n\"users\": []}"))
	if err != nil {
		t.Fatal(err)
	}
	if r, ok := l.Locate("arn:aws:iam::1:root", "AWS::IAM::User", nil); !ok || r != (Location{1, 3}) {
		t.Errorf("root without report: got %v, %v", r, ok)
	}
}

func TestIndexErrors(t *testing.T) {
	for name, in := range map[string]string{
		"truncated":  "{\n  \"users\": [\n    {\"arn\": \"x\"",
		"not object": "[1, 2]",
		"bad token":  "{\n\n  \"users\": [}\n",
		"empty":      "",
	} {
		if _, err := Index([]byte(in)); err == nil {
			t.Errorf("%s: no error", name)
		} else if !strings.Contains(err.Error(), "line ") {
			t.Errorf("%s: error %q does not name a line", name, err)
		}
	}
}

// Brackets and quotes inside strings, escaped ARNs and nested arrays do not
// confuse the scanner.
func TestIndexTrickyStrings(t *testing.T) {
	data := []byte(`{
  "account": {"id": "1"},
  "users": [
    {
      "name": "x}]{[\"",
      "tags": [{"key": "a", "value": "]}"}, {"key": "b", "value": "\\"}],
      "arn": "arn:aws:iam::1:user\/esc\u0061ped"
    },
    {
      "arn": "arn:aws:iam::1:user/second"
    }
  ],
  "roles": null
}`)
	l, err := Index(data)
	if err != nil {
		t.Fatal(err)
	}
	if r, ok := l.Locate("arn:aws:iam::1:user/escaped", "", nil); !ok || r != (Location{4, 8}) {
		t.Errorf("escaped ARN: %v %v", r, ok)
	}
	if r, ok := l.Locate("arn:aws:iam::1:user/second", "", nil); !ok || r != (Location{9, 11}) {
		t.Errorf("second user: %v %v", r, ok)
	}
}

// FuzzIndex: never panics, and accepts every valid JSON object.
func FuzzIndex(f *testing.F) {
	f.Add(readSnapshotF(f))
	f.Add([]byte(`{"users":[{"arn":"a"}],"credential_report":{"rows":[{"user":"<root_account>","arn":"r"}]}}`))
	f.Add([]byte(`{"sources":{"a":{"status":"ok"}},"account":null}`))
	f.Add([]byte(`{"users":[1,"x",null,{"arn":2}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := Index(data)
		var obj map[string]json.RawMessage
		if json.Unmarshal(data, &obj) == nil && err != nil && obj != nil {
			t.Fatalf("valid JSON object rejected: %v", err)
		}
		if err == nil {
			if r, _ := l.Locate("a", "", []string{"aws_config"}); r.StartLine < 1 || r.EndLine < r.StartLine {
				t.Fatalf("invalid range %v", r)
			}
		}
	})
}

func readSnapshotF(f *testing.F) []byte {
	data, err := os.ReadFile("testdata/locate.json")
	if err != nil {
		f.Fatal(err)
	}
	return data
}

// TestIndexOnRepositorySnapshots checks the index on every snapshot the
// project ships (written by the canonical writer), against expectations
// computed independently from the 2-space layout.
func TestIndexOnRepositorySnapshots(t *testing.T) {
	var files []string
	for _, pattern := range []string{"../../testdata/snapshots/*.json", "../../testdata/snapshots/*/*.json"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) == 0 {
		t.Fatal("no snapshots under ../../testdata/snapshots: the repository's test data is missing")
	}
	checked := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var snap struct {
			Schema string `json:"schema"`
			Users  []struct {
				ARN string `json:"arn"`
			} `json:"users"`
			Groups   []struct{ ARN string } `json:"groups"`
			Roles    []struct{ ARN string } `json:"roles"`
			Policies []struct{ ARN string } `json:"policies"`
		}
		if json.Unmarshal(data, &snap) != nil || snap.Schema != "lockdown.snapshot/v1" {
			continue // not a snapshot (e.g. expected results)
		}
		l, err := Index(data)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		var arns []string
		for _, u := range snap.Users {
			arns = append(arns, u.ARN)
		}
		for _, list := range [][]struct{ ARN string }{snap.Groups, snap.Roles, snap.Policies} {
			for _, e := range list {
				arns = append(arns, e.ARN)
			}
		}
		lines := strings.Split(string(data), "\n")
		for _, arn := range arns {
			want, ok := canonicalEntityLines(lines, arn)
			if !ok {
				t.Errorf("%s: %s is not in the canonical layout", f, arn)
				continue
			}
			if got, found := l.Locate(arn, "", nil); !found || got != want {
				t.Errorf("%s: %s at %v (found %v), want %v", f, arn, got, found, want)
			}
			checked++
		}
	}
	t.Logf("%d entities in %d files", checked, len(files))
}

// canonicalEntityLines finds an entity object in the 2-space layout: the
// "arn" line at indent 6, the "{" at indent 4 above it and the matching "}".
func canonicalEntityLines(lines []string, arn string) (Location, bool) {
	// As snapshot.Marshal writes strings: no HTML escaping of <, > and &.
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(arn)
	quoted := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	for i, ln := range lines {
		if ln != `      "arn": `+string(quoted)+`,` && ln != `      "arn": `+string(quoted) {
			continue
		}
		start := i
		for start > 0 && lines[start] != "    {" {
			start--
		}
		end := i
		for end < len(lines)-1 && lines[end] != "    }" && lines[end] != "    }," {
			end++
		}
		return Location{start + 1, end + 1}, true
	}
	return Location{}, false
}

// Trailing data after the snapshot object is refused; trailing space is not.
func TestIndexTrailingData(t *testing.T) {
	if _, err := Index([]byte("{\"account\": {}}\n{}\n")); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("trailing object: error %v, want one naming line 2", err)
	}
	if _, err := Index([]byte("{\"account\": {}}\n\n")); err != nil {
		t.Errorf("trailing newlines: %v", err)
	}
}

// Line numbers do not depend on the order in which offsets are converted.
func TestScannerLineBackwards(t *testing.T) {
	s := &scanner{data: []byte("a\nb\nc\nd"), lineNo: 1}
	for _, c := range []struct{ off, want int }{{6, 4}, {0, 1}, {3, 2}, {4, 3}, {2, 2}, {100, 4}, {-1, 1}} {
		if got := s.line(c.off); got != c.want {
			t.Errorf("line(%d) = %d, want %d", c.off, got, c.want)
		}
	}
}

// largeSnapshot is a canonical-layout snapshot with n users, their
// credential report rows and n/2 roles.
func largeSnapshot(n int) ([]byte, []string) {
	type entity struct {
		Name string `json:"name"`
		ARN  string `json:"arn"`
		Path string `json:"path"`
		Tags []Tag  `json:"tags"`
	}
	type row struct {
		User string `json:"user"`
		ARN  string `json:"arn"`
	}
	var snap struct {
		Schema           string            `json:"schema"`
		Account          map[string]string `json:"account"`
		CredentialReport struct {
			Rows []row `json:"rows"`
		} `json:"credential_report"`
		Users []entity `json:"users"`
		Roles []entity `json:"roles"`
	}
	snap.Schema = SchemaV1
	snap.Account = map[string]string{"id": "123456789012", "partition": "aws"}
	var arns []string
	for i := 0; i < n; i++ {
		name := fmt.Sprintf("user-%05d", i)
		arn := "arn:aws:iam::123456789012:user/team/" + name
		snap.Users = append(snap.Users, entity{Name: name, ARN: arn, Path: "/team/", Tags: []Tag{{Key: "k", Value: "}{]["}}})
		snap.CredentialReport.Rows = append(snap.CredentialReport.Rows, row{User: name, ARN: arn})
		arns = append(arns, arn)
		if i%2 == 0 {
			rarn := "arn:aws:iam::123456789012:role/" + name
			snap.Roles = append(snap.Roles, entity{Name: name, ARN: rarn, Path: "/"})
			arns = append(arns, rarn)
		}
	}
	data, _ := json.MarshalIndent(snap, "", "  ")
	return append(data, '\n'), arns
}

// Every entity of a large snapshot is found at its own lines: the object
// starting at the "{" line above its "name" and ending 9 (user) or 5 (role)
// lines later.
func TestIndexLarge(t *testing.T) {
	data, arns := largeSnapshot(2000)
	ix, err := Index(data)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	prev := 0
	for _, arn := range arns {
		got, ok := ix.Locate(arn, "AWS::IAM::User", nil)
		if !ok || lines[got.StartLine-1] != "    {" || !strings.HasPrefix(lines[got.EndLine-1], "    }") {
			t.Fatalf("%s: %v %v", arn, got, ok)
		}
		if strings.TrimSpace(lines[got.StartLine+1]) != `"arn": "`+arn+`",` {
			t.Fatalf("%s: lines %v hold %q", arn, got, lines[got.StartLine+1])
		}
		if got.StartLine == prev {
			t.Fatalf("%s: same start line as the previous entity", arn)
		}
		prev = got.StartLine
	}
}

func BenchmarkIndex10kUsers(b *testing.B) {
	data, _ := largeSnapshot(10000)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Index(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLocate90k: 90,000 look-ups against an index of 15,000 entities.
func BenchmarkLocate90k(b *testing.B) {
	data, arns := largeSnapshot(10000)
	ix, err := Index(data)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for j := 0; j < 90000; j++ {
			if _, ok := ix.Locate(arns[j%len(arns)], "AWS::IAM::User", []string{SourceCredentialReport}); !ok {
				b.Fatal("not found")
			}
		}
	}
}
