package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lockdown-dev/lockdown/internal/privesc"
	"github.com/lockdown-dev/lockdown/internal/snapshot"
	"github.com/lockdown-dev/lockdown/internal/snapshot/snapshottest"
)

func TestPathsJSON(t *testing.T) {
	snap := snapshotPath("variants/privesc-attach-own-user-policy.json")
	out, stderr, code := run(t, "paths", "--snapshot", snap, "--principal", "alice")
	if code != ExitOK || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	var rep pathsReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Principals) != 1 {
		t.Fatalf("%d principals", len(rep.Principals))
	}
	v := rep.Principals[0]
	if v.Name != "alice" || len(v.Paths) == 0 || strings.Join(v.Paths[0].MethodIDs, ",") != "iam-008" || v.Paths[0].Context != "access_key" {
		t.Fatalf("%+v", v)
	}
	// All principals, sorted by ARN; the compliant account has none with a path.
	out, _, code = run(t, "paths", "--snapshot", snapshotPath("guide-compliant.json"))
	if code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	rep = pathsReport{}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Principals) < 3 {
		t.Fatalf("%d principals", len(rep.Principals))
	}
	for i, v := range rep.Principals {
		if len(v.Paths) > 0 {
			t.Errorf("%s has a path in the compliant account", v.ARN)
		}
		if i > 0 && rep.Principals[i-1].ARN >= v.ARN {
			t.Errorf("not sorted at %s", v.ARN)
		}
	}
}

func TestPathsBadInput(t *testing.T) {
	snap := snapshotPath("guide-compliant.json")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"paths", "--snapshot", snap, "--principal", "nobody"}, `no user, group or role of that name or ARN`},
		{[]string{"paths", "--snapshot", snap, "--format", "svg"}, `--format "svg"`},
		{[]string{"paths"}, "paths needs --snapshot FILE"},
	} {
		_, stderr, code := run(t, tc.args...)
		if code != ExitInput || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q", tc.args, code, stderr)
		}
	}
}

// A name shared by a user and a role must be given as an ARN.
func TestPathsAmbiguousName(t *testing.T) {
	s := snapshottest.GuideCompliant()
	r := *snapshottest.Role(s, "AdminRole")
	r.Name, r.ARN, r.ID = "alice", strings.Replace(r.ARN, "AdminRole", "alice", 1), "AROAALICEROLE0000000"
	s.Roles = append(s.Roles, r)
	path := filepath.Join(t.TempDir(), "s.json")
	if err := snapshot.Save(path, s); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := run(t, "paths", "--snapshot", path, "--principal", "alice")
	if code != ExitInput || !strings.Contains(stderr, "names several principals") {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
}

func TestPathsDotQuotesHostileNames(t *testing.T) {
	hostile := "evil\"];\n  x -> y [label=\"\\\u202e<b>"
	v := &privesc.Verdict{ARN: "arn:aws:iam::1:user/" + hostile, Name: hostile, Type: "user", Paths: []privesc.Path{{
		MethodIDs: []string{"iam-002"}, Context: "access_key", Target: "arn:aws:iam::1:user/boss",
		Steps: []privesc.Step{{From: "arn:aws:iam::1:user/" + hostile, To: "arn:aws:iam::1:user/boss", MethodID: "iam-002"}},
	}}}
	var b strings.Builder
	if err := writeDot(&b, []*privesc.Verdict{v}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	lines := strings.Split(strings.TrimSpace(out), "\n")
	// digraph, rankdir, node, two nodes, one edge, closing brace.
	if len(lines) != 7 {
		t.Fatalf("%d lines:\n%s", len(lines), out)
	}
	if strings.Contains(out, "\u202e") || strings.Contains(out, "x -> y") && !strings.Contains(out, `\"\\`) {
		t.Fatalf("hostile text not neutralised:\n%s", out)
	}
	for _, l := range lines[3:6] {
		// Every quoted string closes on its line: an even number of
		// unescaped quotes.
		n := 0
		for i := 0; i < len(l); i++ {
			if l[i] == '\\' {
				i++
				continue
			}
			if l[i] == '"' {
				n++
			}
		}
		if n%2 != 0 {
			t.Errorf("unbalanced quotes: %s", l)
		}
	}
	if got := dotString("a\"b\\c\nd\xff"); got != `"a\"b\\c\\u000ad\\xff"` {
		t.Errorf("dotString = %s", got)
	}
}
