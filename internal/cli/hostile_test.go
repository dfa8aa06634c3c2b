package cli

import (
	"github.com/lockdown-dev/lockdown/internal/snapshot"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/lockdown-dev/lockdown/report"
)

// The hostile snapshot (names, tags, Sids, profile names and policy text
// carrying terminal escapes, CI workflow commands, bidi overrides and
// markup) goes through the whole pipeline in every format; nothing of it
// may reach a viewer raw.
func TestHostileSnapshotIsInertInEveryFormat(t *testing.T) {
	ciCommand := regexp.MustCompile(`(?m)^\s*(::|##vso\[|##teamcity\[)`)
	for _, format := range report.Formats() {
		t.Run(format, func(t *testing.T) {
			out, stderr, code := run(t, "audit", "--snapshot", snapshotPath("hostile.json"), "--format", format, "--fail-on", "none", "--allow-incomplete")
			if code != ExitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			for _, text := range []struct{ name, s string }{{"stdout", out}, {"stderr", stderr}} {
				if !utf8.ValidString(text.s) {
					t.Errorf("%s: invalid UTF-8", text.name)
				}
				for _, r := range text.s {
					bad := (r < 0x20 && r != '\n' && r != '\t') || (r >= 0x7f && r < 0xa0) ||
						(r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
					if bad {
						t.Errorf("%s: raw control %U", text.name, r)
						break
					}
				}
				if m := ciCommand.FindString(text.s); m != "" {
					t.Errorf("%s: a line a CI runner would take as a command: %q", text.name, m)
				}
			}
			if format == "markdown" {
				// Code blocks and code spans show their text literally;
				// everywhere else markup must be escaped and mentions broken.
				prose := regexp.MustCompile("(?s)```text\n.*?\n```").ReplaceAllString(out, "")
				prose = regexp.MustCompile("`` .*? ``").ReplaceAllString(prose, "")
				if strings.Contains(prose, "<script") || regexp.MustCompile(`(^|[^\w\x{200d}])@octocat`).MatchString(prose) {
					t.Errorf("markdown: raw HTML or a live mention outside code:\n%s", prose)
				}
				if !strings.Contains(out, "&lt;script&gt;") {
					t.Error("markdown: the hostile names did not reach the report at all")
				}
			}
		})
	}
}

// simulate prints names, policy names and Sids from the snapshot: on the
// hostile snapshot none of them reaches the terminal raw.
func TestSimulateOnHostileSnapshotIsInert(t *testing.T) {
	snap, _, err := snapshot.Load(snapshotPath("hostile.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Users) == 0 {
		t.Fatal("the hostile snapshot has no users")
	}
	for _, format := range []string{"text", "json"} {
		for _, u := range snap.Users {
			out, stderr, code := run(t, "simulate", "--snapshot", snapshotPath("hostile.json"), "--principal", u.ARN,
				"--action", "iam:AttachUserPolicy", "--resource", u.ARN, "--context", "access_key", "--format", format)
			if code != ExitOK {
				t.Fatalf("%q: exit %d: %s", u.ARN, code, stderr)
			}
			if strings.ContainsAny(out+stderr, "\x1b\x07\u202e\u2066\u0085") {
				t.Errorf("simulate --format %s printed a raw control character for %q:\n%s", format, u.ARN, out)
			}
		}
	}
}
