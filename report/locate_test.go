package report

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func readSnapshot(t *testing.T) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/snapshot.json")
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestLocatorKnownEntities(t *testing.T) {
	l, err := newLocator(readSnapshot(t))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		arn, typ  string
		want      lineRange
		wantFound bool
		requires  []string
	}{
		{"arn:aws:iam::123456789012:user/engineering/platform/alice", "AWS::IAM::User", lineRange{99, 108}, true, nil},
		{"arn:aws:iam::123456789012:user/auditor", "AWS::IAM::User", lineRange{109, 130}, true, nil},
		// The root user maps to its credential report row.
		{"arn:aws:iam::123456789012:root", "AWS::IAM::User", lineRange{63, 69}, true, nil},
		// The account itself maps to the "account" block.
		{"arn:aws:iam::123456789012", "AWS::Account", lineRange{8, 14}, true, nil},
		// A user known only from the credential report.
		{"arn:aws:iam::123456789012:user/carol", "AWS::IAM::User", lineRange{77, 83}, true, nil},
		{"arn:aws:iam::123456789012:mfa/alice", "AWS::IAM::MFADevice", lineRange{91, 96}, true, nil},
		// Unknown ARNs fall back to the account block and say so.
		{"arn:aws:iam::123456789012:user/nobody", "AWS::IAM::User", lineRange{8, 14}, false, nil},
		{"", "", lineRange{8, 14}, false, nil},
		// Account-level results point at the data of the source the check
		// needs, or at its status entry when the data is absent.
		{"arn:aws:iam::123456789012", "AWS::Account", lineRange{53, 85}, true, []string{"credential_report"}},
		{"arn:aws:iam::123456789012", "AWS::Account", lineRange{45, 51}, true, []string{"password_policy"}},
		{"arn:aws:iam::123456789012", "AWS::Account", lineRange{86, 89}, true, []string{"account_summary"}},
		// A missing user does not point at a source block.
		{"arn:aws:iam::123456789012:user/nobody", "AWS::IAM::User", lineRange{8, 14}, false, []string{"authorization_details"}},
		// A local file points at the aws_config data or its status.
		{"", "AWSCLI::File", lineRange{236, 254}, true, []string{"aws_config"}},
		{"awscli:profile/admin", "AWSCLI::Profile", lineRange{242, 247}, true, []string{"aws_config"}},
		{"awscli:profile/default", "AWSCLI::Profile", lineRange{248, 252}, true, nil},
		{"awscli:profile/gone", "AWSCLI::Profile", lineRange{236, 254}, true, []string{"aws_config"}},
		{"", "AWS::Local::File", lineRange{53, 85}, true, []string{"organizations", "credential_report"}},
		{"", "", lineRange{29, 32}, true, []string{"authorization_details"}},
		// Users: their own object wins over the source block.
		{"arn:aws:iam::123456789012:user/auditor", "AWS::IAM::User", lineRange{109, 130}, true, []string{"credential_report"}},
	}
	for _, c := range cases {
		got, found := l.lookup(c.arn, c.typ, c.requires)
		if got != c.want || found != c.wantFound {
			t.Errorf("lookup(%q) = %v, %v; want %v, %v", c.arn, got, found, c.want, c.wantFound)
		}
	}
}

// TestLocatorMatchesLayout checks every indexed entity independently: in the
// 2-space layout the object starts at the nearest line above its "arn" that
// is exactly "{" at the object's indent and ends at the matching "}".
func TestLocatorMatchesLayout(t *testing.T) {
	data := readSnapshot(t)
	l, err := newLocator(data)
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
		if want := (lineRange{start + 1, end + 1}); got != want {
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
func TestLocatorOtherLayouts(t *testing.T) {
	data := readSnapshot(t)
	var compact bytes.Buffer
	if err := json.Compact(&compact, data); err != nil {
		t.Fatal(err)
	}
	l, err := newLocator(compact.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if r, ok := l.lookup("arn:aws:iam::123456789012:role/AdminRole", "", nil); !ok || r != (lineRange{1, 1}) {
		t.Errorf("compact: got %v, %v", r, ok)
	}
	var tabbed bytes.Buffer
	if err := json.Indent(&tabbed, compact.Bytes(), "", "\t"); err != nil {
		t.Fatal(err)
	}
	l, err = newLocator(tabbed.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if r, ok := l.lookup("arn:aws:iam::123456789012:user/engineering/platform/alice", "", nil); !ok || r != (lineRange{99, 108}) {
		t.Errorf("tabbed: got %v, %v", r, ok)
	}
}

func TestLocatorFallbacks(t *testing.T) {
	// No account block: line 1.
	l, err := newLocator([]byte("{\n  \"schema\": \"lockdown.snapshot/v1\",\n  \"users\": null\n}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if r, ok := l.lookup("arn:aws:iam::1:root", "AWS::Account", nil); ok || r != (lineRange{1, 1}) {
		t.Errorf("got %v, %v; want line 1, not found", r, ok)
	}
	var nilLocator *locator
	if r := nilLocator.fallback(); r != (lineRange{1, 1}) {
		t.Errorf("nil locator fallback = %v", r)
	}
	// Root without a credential report falls back to the account block.
	l, err = newLocator([]byte("{\"account\": {\n\"id\": \"1\"\n},\n\"users\": []}"))
	if err != nil {
		t.Fatal(err)
	}
	if r, ok := l.lookup("arn:aws:iam::1:root", "AWS::IAM::User", nil); !ok || r != (lineRange{1, 3}) {
		t.Errorf("root without report: got %v, %v", r, ok)
	}
}

func TestLocatorErrors(t *testing.T) {
	for name, in := range map[string]string{
		"truncated":  "{\n  \"users\": [\n    {\"arn\": \"x\"",
		"not object": "[1, 2]",
		"bad token":  "{\n\n  \"users\": [}\n",
		"empty":      "",
	} {
		if _, err := newLocator([]byte(in)); err == nil {
			t.Errorf("%s: no error", name)
		} else if !strings.Contains(err.Error(), "line ") {
			t.Errorf("%s: error %q does not name a line", name, err)
		}
	}
}

// Brackets and quotes inside strings, escaped ARNs and nested arrays do not
// confuse the scanner.
func TestLocatorTrickyStrings(t *testing.T) {
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
	l, err := newLocator(data)
	if err != nil {
		t.Fatal(err)
	}
	if r, ok := l.lookup("arn:aws:iam::1:user/escaped", "", nil); !ok || r != (lineRange{4, 8}) {
		t.Errorf("escaped ARN: %v %v", r, ok)
	}
	if r, ok := l.lookup("arn:aws:iam::1:user/second", "", nil); !ok || r != (lineRange{9, 11}) {
		t.Errorf("second user: %v %v", r, ok)
	}
}

// FuzzLocator: never panics, and accepts every valid JSON object.
func FuzzLocator(f *testing.F) {
	f.Add(readSnapshotF(f))
	f.Add([]byte(`{"users":[{"arn":"a"}],"credential_report":{"rows":[{"user":"<root_account>","arn":"r"}]}}`))
	f.Add([]byte(`{"sources":{"a":{"status":"ok"}},"account":null}`))
	f.Add([]byte(`{"users":[1,"x",null,{"arn":2}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := newLocator(data)
		var obj map[string]json.RawMessage
		if json.Unmarshal(data, &obj) == nil && err != nil && obj != nil {
			t.Fatalf("valid JSON object rejected: %v", err)
		}
		if err == nil {
			if r, _ := l.lookup("a", "", []string{"aws_config"}); r.Start < 1 || r.End < r.Start {
				t.Fatalf("invalid range %v", r)
			}
		}
	})
}

func readSnapshotF(f *testing.F) []byte {
	data, err := os.ReadFile("testdata/snapshot.json")
	if err != nil {
		f.Fatal(err)
	}
	return data
}

// TestLocatorOnRepositorySnapshots checks the locator on every snapshot the
// project ships (written by the canonical writer), against expectations
// computed independently from the 2-space layout.
func TestLocatorOnRepositorySnapshots(t *testing.T) {
	var files []string
	for _, pattern := range []string{"../testdata/snapshots/*.json", "../testdata/snapshots/*/*.json"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) == 0 {
		t.Skip("no snapshots under ../testdata/snapshots")
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
		l, err := newLocator(data)
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
			if got, found := l.lookup(arn, "", nil); !found || got != want {
				t.Errorf("%s: %s at %v (found %v), want %v", f, arn, got, found, want)
			}
			checked++
		}
	}
	t.Logf("%d entities in %d files", checked, len(files))
}

// canonicalEntityLines finds an entity object in the 2-space layout: the
// "arn" line at indent 6, the "{" at indent 4 above it and the matching "}".
func canonicalEntityLines(lines []string, arn string) (lineRange, bool) {
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
		return lineRange{start + 1, end + 1}, true
	}
	return lineRange{}, false
}
