package report

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/lockdown-dev/lockdown/internal/engine"
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

// JSON policy snippets become json blocks, commands sh blocks; inline
// snippets and commands in prose become code spans.
func TestRemediationMarkdownJSONAndCommands(t *testing.T) {
	in := "Write the trust policy:\n" +
		"  {\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\",\n" +
		"    \"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:root\"},\n" +
		"    \"Condition\": {\"Bool\": {\"aws:MultiFactorAuthPresent\": \"true\"}}}]}\n" +
		"  aws iam update-assume-role-policy --role-name R \\\n" +
		"    --policy-document file://trust.json\n" +
		"Keep \"Version\": \"2012-10-17\" and the condition {\"Null\": {\"aws:MultiFactorAuthAge\": \"true\"}};\n" +
		"then check it: aws iam get-role --role-name R.\n" +
		"  \"Resource\": [\"arn:aws:iam::*:user/${aws:username}\"]\n" +
		"  chmod 600 ~/.aws/credentials\n" +
		"Console: IAM > Roles (or aws iam list-roles / aws iam get-role)."
	want := "Write the trust policy:\n\n" +
		"```json\n" +
		"{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\",\n" +
		"  \"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:root\"},\n" +
		"  \"Condition\": {\"Bool\": {\"aws:MultiFactorAuthPresent\": \"true\"}}}]}\n" +
		"```\n\n" +
		"```sh\n" +
		"aws iam update-assume-role-policy --role-name R \\\n" +
		"  --policy-document file://trust.json\n" +
		"```\n\n" +
		"Keep `\"Version\": \"2012-10-17\"` and the condition `{\"Null\": {\"aws:MultiFactorAuthAge\": \"true\"}}`; then check it: `aws iam get-role --role-name R`.\n\n" +
		"```json\n" +
		"\"Resource\": [\"arn:aws:iam::*:user/${aws:username}\"]\n" +
		"```\n\n" +
		"```sh\n" +
		"chmod 600 ~/.aws/credentials\n" +
		"```\n\n" +
		"Console: IAM &gt; Roles (or `aws iam list-roles` / `aws iam get-role`).\n"
	if got := remediationMarkdown(in); got != want {
		t.Errorf("remediationMarkdown:\n%s\nwant:\n%s", got, want)
	}
	if got := remediationStep(in); got != "aws iam update-assume-role-policy --role-name R --policy-document file://trust.json" {
		t.Errorf("remediationStep = %q", got)
	}
}

// No content can close the block it sits in: the fence is longer than any
// backtick run inside, and what is inside stays verbatim (controls escaped).
func TestRemediationFenceCannotBeClosed(t *testing.T) {
	for _, c := range []struct{ in, lang, fence string }{
		{"aws iam x ```", "sh", "````"},
		{"aws iam x \\\n  ````` \\\n  </details><script>alert(1)</script>", "sh", "``````"},
		{"{\"Sid\": \"a````b\",\n\"Effect\": \"```\n</details>\"}", "json", "`````"},
	} {
		got := remediationMarkdown(c.in)
		open := c.fence + c.lang + "\n"
		if !strings.HasPrefix(got, open) {
			t.Errorf("%q: want a %s block opened by %q:\n%s", c.in, c.lang, c.fence, got)
			continue
		}
		body, rest, ok := strings.Cut(got[len(open):], "\n"+c.fence+"\n")
		if !ok || strings.TrimSpace(rest) != "" {
			t.Errorf("%q: the block does not close once at the end:\n%s", c.in, got)
			continue
		}
		for _, line := range strings.Split(body, "\n") {
			if t2 := strings.TrimLeft(line, " "); strings.HasPrefix(t2, c.fence) {
				t.Errorf("%q: line %q inside could close the fence", c.in, line)
			}
		}
		if strings.Contains(c.in, "</details>") && !strings.Contains(body, "</details>") {
			t.Errorf("%q: block content changed: %q", c.in, body)
		}
	}
	if got := remediationMarkdown("aws iam x \x1b[2J\u202e"); !strings.Contains(got, `aws iam x \x1b[2J\u202e`) {
		t.Errorf("controls not escaped in a block: %q", got)
	}
}

// Every check of the catalogue: each command line of its remediation is in
// an sh block and each line of a JSON snippet in a json block; the prose
// left, outside code spans, quotes neither JSON nor commands; and it has a
// first step for the terminal.
func TestRemediationOfEveryCheck(t *testing.T) {
	eng, err := engine.New(engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	checks := eng.Checks()
	if len(checks) < 40 {
		t.Fatalf("only %d checks", len(checks))
	}
	jsonBlocks, shBlocks := 0, 0
	for _, c := range checks {
		out := remediationMarkdown(c.Remediation)
		code := map[string][]string{}
		lang, fence := "", ""
		for _, line := range strings.Split(out, "\n") {
			switch {
			case fence != "" && line == fence:
				fence = ""
			case fence != "":
				code[lang] = append(code[lang], strings.TrimSpace(line))
			case strings.HasPrefix(line, "```"):
				fence = strings.TrimRight(line, "abcdefghijklmnopqrstuvwxyz")
				lang = line[len(fence):]
				if lang != "sh" && lang != "json" {
					t.Errorf("%s: a %q block", c.ID, lang)
				}
				if lang == "json" {
					jsonBlocks++
				} else {
					shBlocks++
				}
			default:
				prose := stripCodeSpans(line)
				if m := regexp.MustCompile(`aws [a-z0-9-]+ [a-z0-9-]+|\{"|"\s*:`).FindString(prose); m != "" {
					t.Errorf("%s: prose quotes %q outside code: %s", c.ID, m, line)
				}
			}
		}
		// The test's own reading of the catalogue's shapes: a JSON line
		// starts with a bracket or a quoted key, and continues while its
		// brackets are open.
		depth := 0
		for _, line := range strings.Split(c.Remediation, "\n") {
			trimmed := strings.TrimSpace(line)
			switch {
			case depth > 0 || jsonLineRE.MatchString(trimmed):
				if !slices.Contains(code["json"], trimmed) {
					t.Errorf("%s: JSON line %q is not in a json block", c.ID, trimmed)
				}
				depth += strings.Count(trimmed, "{") + strings.Count(trimmed, "[") - strings.Count(trimmed, "}") - strings.Count(trimmed, "]")
			case strings.HasPrefix(trimmed, "aws "):
				if !slices.Contains(code["sh"], trimmed) {
					t.Errorf("%s: command %q is not in an sh block", c.ID, trimmed)
				}
			}
		}
		step := remediationStep(c.Remediation)
		if step == "" || strings.Contains(step, "\n") {
			t.Errorf("%s: first step %q", c.ID, step)
		}
	}
	if jsonBlocks < 3 || shBlocks < 40 {
		t.Errorf("%d json and %d sh blocks over the catalogue", jsonBlocks, shBlocks)
	}
}

var jsonLineRE = regexp.MustCompile(`^(\{|\[|"[^"]*"\s*:)`)

// Evidence that carries a JSON document shows it as an indented json block.
func TestMarkdownEvidenceJSONDocument(t *testing.T) {
	doc := `{"Version":"2012-10-17","Statement":[{"Sid":"a` + "````" + `b</details>","Effect":"Allow","Action":"*","Resource":"*"}]}`
	r := findings.Result{CheckID: "c", Resource: findings.Resource{ARN: "arn:aws:iam::123456789012:policy/P"},
		Evidence: &findings.Evidence{Statements: []string{"policy P statement 1", doc}}}
	got := evidenceMarkdown(r)
	if !strings.Contains(got, "statements: policy P statement 1, (JSON document 1, below)\n") {
		t.Errorf("the document is not named on its line:\n%s", got)
	}
	want := "`````json\n{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Sid\": \"a````b</details>\","
	if !strings.Contains(got, want) {
		t.Errorf("no indented json block:\n%s", got)
	}
}

// Prose full of braces that start no JSON costs linear time: a 300 KB
// remediation renders in well under the seconds a quadratic search took.
func TestRemediationMarkdownLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("300 KB remediation")
	}
	in := strings.Repeat("{ ", 150_000)
	start := time.Now()
	out := remediationMarkdown(in)
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("300 KB of braces took %v", d)
	}
	if !strings.HasPrefix(out, "{ { ") {
		t.Errorf("output starts %.20q", out)
	}
}

// The shapes remediation text comes in, each split into the right blocks.
func TestParseRemediationShapes(t *testing.T) {
	kinds := func(blocks []remBlock) string {
		var s []string
		for _, b := range blocks {
			s = append(s, [...]string{"prose", "sh", "json"}[b.kind]+":"+strings.Join(b.lines, "|"))
		}
		return strings.Join(s, " / ")
	}
	for _, c := range []struct{ in, want string }{
		// A document opened by a bare brace, over several lines, CRLF.
		{"Use this policy:\r\n  {\r\n    \"Effect\": \"Deny\",\r\n    \"Action\": \"*\"\r\n  }\r\nThen attach it.",
			`prose:Use this policy: / json:{|  "Effect": "Deny",|  "Action": "*"|} / prose:Then attach it.`},
		// An array of statements; a prompt on an indented line.
		{"Statements:\n  [{\"Sid\": \"A\"},\n   {\"Sid\": \"B\"}]\n  $ aws iam get-role --role-name R",
			`prose:Statements: / json:[{"Sid": "A"},| {"Sid": "B"}] / sh:aws iam get-role --role-name R`},
		// A snippet that never balances ends at the blank line.
		{"{\"Broken\": [1,\n\nNext paragraph.", `json:{"Broken": [1, / prose:Next paragraph.`},
		// Braces and quotes in prose are not JSON; "aws" alone is no command.
		{"Replace {placeholder} with \"your value\" and ask aws support.", `prose:Replace {placeholder} with "your value" and ask aws support.`},
		// Indented shell commands; an unindented "chmod" sentence is prose.
		{"Fix the file:\n  chmod 600 ~/.aws/credentials\nchmod is enough.",
			`prose:Fix the file: / sh:chmod 600 ~/.aws/credentials / prose:chmod is enough.`},
		// Consecutive snippets share a block.
		{"\"Effect\": \"Deny\",\n\"Action\": \"*\"", `json:"Effect": "Deny",|"Action": "*"`},
	} {
		if got := kinds(parseRemediation(c.in)); got != c.want {
			t.Errorf("parseRemediation(%q)\n got %s\nwant %s", c.in, got, c.want)
		}
	}
}
