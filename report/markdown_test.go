package report

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/lockdown-dev/lockdown/internal/findings"
)

func TestEscapeMarkdown(t *testing.T) {
	for in, want := range map[string]string{
		"plain text":                      "plain text",
		"*bold* _it_ `c`":                 `\*bold\* \_it\_ \` + "`c\\`",
		"<script>&amp;":                   "&lt;script&gt;&amp;amp;",
		"[x](http://y) | z":               "\\[x\\](http:\u200d//y) \\| z",
		"line\nbreak":                     `line\\nbreak`,
		"#1 @team ~~s~~ !img":             "\\#1 @\u200dteam \\~\\~s\\~\\~ \\!img",
		"a@b.example www.x.example WWW.y": "a@\u200db.example www\u200d.x.example WWW\u200d.y",
		"esc\x1b[2J bidi\u202e":           `esc\\x1b\[2J bidi\\u202e`,
		`back\slash`:                      `back\\slash`,
	} {
		if got := escapeMarkdown(in); got != want {
			t.Errorf("escapeMarkdown(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"- item": `\- item`,
		"1. one": `1\. one`,
		"+ plus": `\+ plus`,
		"ok - x": "ok - x",
	} {
		if got := escapeParagraph(in); got != want {
			t.Errorf("escapeParagraph(%q) = %q, want %q", in, got, want)
		}
	}
	if got := codeSpan("a`b"); got != "`` a`b ``" {
		t.Errorf("codeSpan = %q", got)
	}
	if got := cell("`a|b` \\| c"); got != "`a\\|b` \\| c" {
		t.Errorf("cell = %q", got)
	}
}

func TestRemediationMarkdown(t *testing.T) {
	in := "Do this first:\naws iam update-account-password-policy \\\n  --minimum-password-length 14\n\n$ aws iam get-user\nThen *check*."
	want := "Do this first:\n\n```sh\naws iam update-account-password-policy \\\n  --minimum-password-length 14\n```\n\n```sh\naws iam get-user\n```\n\nThen \\*check\\*.\n"
	if got := remediationMarkdown(in); got != want {
		t.Errorf("remediationMarkdown:\n%s\nwant:\n%s", got, want)
	}
	// A fence inside a command cannot close the block early.
	if got := remediationMarkdown("aws x ```"); !strings.HasPrefix(got, "````sh\n") {
		t.Errorf("fence not lengthened: %q", got)
	}
}

func TestMarkdownContent(t *testing.T) {
	rep := loadFixture(t, "mixed")
	var buf bytes.Buffer
	if err := Render(&buf, "markdown", rep, Options{}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"`123456789012` (aws)",
		rep.SnapshotDigest,
		"| Critical | 1 |",
		"| **Total** | **9** |",
		"## Not assessed",
		"AccessDenied",
		"<details><summary>Remediation</summary>",
		"```sh\naws iam get-account-summary",
		"<details><summary>Passing checks (1)</summary>",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown lacks %q", want)
		}
	}
	if strings.Contains(out, "<b>") || !strings.Contains(out, `\*nobody-left\* \| not in`) {
		t.Error("message data is not escaped")
	}
	// The most severe failing check comes first.
	if strings.Index(out, "### Critical") > strings.Index(out, "### High") {
		t.Error("failing checks are not ordered by severity")
	}
	buf.Reset()
	if err := Render(&buf, "markdown", rep, Options{Quiet: true}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "Passing checks") {
		t.Error("quiet markdown lists passing checks")
	}
}

func TestMarkdownUnknownStatusIsNotAPass(t *testing.T) {
	rep := loadFixture(t, "clean")
	rep.Results[0].Status = "MAYBE"
	var buf bytes.Buffer
	if err := Render(&buf, "markdown", rep, Options{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `unknown status "MAYBE"`) || strings.Contains(buf.String(), "Passing checks (2)") {
		t.Errorf("unknown status not reported:\n%s", buf.String())
	}
}

// A large account still fits in a GitHub PR comment (65,536 characters).
func TestMarkdownFitsPRComment(t *testing.T) {
	rep, _ := largeCase(3000) // 9,000 failures over 3 checks
	// Spread them over 40 checks with long remediation texts.
	const checks = 40
	for i := range rep.Results {
		rep.Results[i].CheckID = fmt.Sprintf("check-%02d", i%checks)
	}
	for i := 3; i < checks; i++ {
		rep.Checks = append(rep.Checks, rep.Checks[i%3])
	}
	for i := range rep.Checks {
		rep.Checks[i].ID = fmt.Sprintf("check-%02d", i)
		rep.Checks[i].Remediation = strings.Repeat("Explain the fix in some detail. ", 40) + "\naws iam do-something --with arguments"
	}
	var buf bytes.Buffer
	if err := Render(&buf, "markdown", rep, Options{}); err != nil {
		t.Fatal(err)
	}
	if n := utf8.RuneCount(buf.Bytes()); n > 65536 {
		t.Errorf("markdown is %d characters, over GitHub's comment limit", n)
	}
	if got := strings.Count(buf.String(), "\n### "); got != checks {
		t.Errorf("%d failing checks shown, want %d", got, checks)
	}
	if !strings.Contains(buf.String(), "more in the JSON report") {
		t.Error("left-out rows are not counted")
	}
}

// A check is listed under "Passing checks" only when every one of its
// results passed: passing on one resource and failing (or not being
// assessed) on another is not passing.
func TestMarkdownPassingChecksPassedEverywhere(t *testing.T) {
	user := func(name string) findings.Resource {
		return findings.Resource{ARN: "arn:aws:iam::123456789012:user/" + name, Type: "AWS::IAM::User", Name: name}
	}
	rep := &findings.Report{
		AccountID: "123456789012", Complete: true,
		Checks: []findings.Check{
			{ID: "mixed-fail", Title: "Fails on bob", Severity: findings.High, Section: "IAM Users"},
			{ID: "mixed-na", Title: "Not assessed on bob", Severity: findings.Medium, Section: "IAM Users"},
			{ID: "all-pass", Title: "Passes everywhere", Severity: findings.Low, Section: "IAM Users"},
			{ID: "fail-first", Title: "Fails first", Severity: findings.Low, Section: "IAM Users"},
		},
	}
	add := func(check string, status findings.Status, who string) {
		rep.Results = append(rep.Results, findings.Result{CheckID: check, Status: status, Severity: findings.Low, Resource: user(who), Message: check + " " + who})
	}
	add("mixed-fail", findings.Pass, "alice")
	add("mixed-fail", findings.Fail, "bob")
	add("mixed-na", findings.Pass, "alice")
	add("mixed-na", findings.NotAssessed, "bob")
	add("all-pass", findings.Pass, "alice")
	add("all-pass", findings.Pass, "bob")
	add("fail-first", findings.Fail, "alice")
	add("fail-first", findings.Pass, "bob")
	rep.Incomplete = nil
	var buf bytes.Buffer
	if err := Render(&buf, "markdown", rep, Options{}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	i := strings.Index(out, "<summary>Passing checks")
	if i < 0 {
		t.Fatalf("no passing checks section:\n%s", out)
	}
	passing := out[i:]
	if !strings.Contains(passing, "Passing checks (1)") || !strings.Contains(passing, "`all-pass`") {
		t.Errorf("passing section should list all-pass alone:\n%s", passing)
	}
	for _, id := range []string{"mixed-fail", "mixed-na", "fail-first"} {
		if strings.Contains(passing, "`"+id+"`") {
			t.Errorf("%s is listed as passing:\n%s", id, passing)
		}
	}
}
