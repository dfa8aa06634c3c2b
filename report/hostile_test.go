package report

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/lockdown-dev/lockdown/internal/findings"
)

// hostile is account text built to attack every medium a report reaches:
// terminal escapes (clear screen, set title, BEL), carriage return, CI
// runner commands after a line break and at the start, bidi overrides and
// isolates, NUL and other XML-forbidden characters, C1 controls, invalid
// UTF-8, HTML, mentions, autolinks, table pipes and code fences.
var hostileParts = []string{
	// First, so that names clipped to 300 bytes still carry them.
	"| a | b |", "`tick`", "@octocat", "https://evil.example/x", "<b>",
	"\x1b[2J\x1b[H", "\x1b]0;pwned\x07", "\a", "over\rwrite",
	"\n::error::x", "::add-mask::secret", "\n  ::stop-commands::tok",
	"\n##vso[task.setvariable variable=x]1", "\n##[group]g", "\n##teamcity[message text='x']",
	"\u202e", "\u2066", "\u200f", "\u061c", "\x00", "\xff\xfe", "\x01\x0b\x0c\ufffe\uffff",
	"\u0085", "\u009b31m", "\x7f", "\U000E0041",
	"<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "&lt;", "@octocat", "@org/team",
	"https://evil.example/x", "www.evil.example", "mail user@evil.example",
	"| a | b |", "`tick`", "``double``", "\n```\n</details>\n```", "\n~~~\n",
	"\n# heading", "\n- list", "[link](https://evil.example)", "![img](https://evil.example/i.png)",
}

func hostileText(prefix string) string {
	return prefix + strings.Join(hostileParts, " ") + " end"
}

// hostileReport is a report whose every account-derived field, and the
// metadata of a custom check, carries hostileText. long adds 300 KB
// strings (a message without spaces and a resource name).
func hostileReport(long bool) *findings.Report {
	h := hostileText
	arn := "arn:aws:iam::123456789012:user/" + h("u")
	check := findings.Check{
		ID: "custom-" + h("id"), Title: h("title"), Description: h("desc"), Severity: "high",
		Section: h("::error::section"), GuideStep: h("step"),
		Requires: []string{"users"}, Remediation: h("::error::fix\n") + "\naws iam x " + h("arg") + "\n::add-mask::line",
		DocsURL: "https://docs.example/a b)(<x>\u202e",
	}
	check.Controls = map[string][]string{h("fw"): {h("ctl"), "1.4"}, "cis-aws-5.0": {"1.4"}}
	builtin := findings.Check{ID: "LD-X-01", Title: "Built-in", Severity: "critical", Section: "IAM Users", Requires: []string{"users"},
		DocsURL: "https://docs.example/a b)(<x>", Controls: map[string][]string{"cis-aws-5.0": {"1.9"}, "aws-securityhub": {"IAM.5"}}}
	ev := &findings.Evidence{
		Actions: []string{h("a"), "*"}, Resources: []string{h("r")}, Statements: []string{h("s")},
		Contexts: []string{"access_key"}, Principals: []string{h("p")}, Items: []string{h("i"), "```", "````"},
	}
	rep := &findings.Report{
		Schema: findings.ReportSchemaV1, ToolVersion: h("v"), AccountID: h("acct"), Partition: h("part"),
		SnapshotDigest: "sha256:" + strings.Repeat("ab", 32), CollectedAt: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC),
		Checks: []findings.Check{check, builtin},
		Incomplete: []findings.Cause{{
			Source: h("src"), Action: h("iam:Get"), Item: h("item"), ErrorCode: h("Denied"), Message: h("::error::cause"),
			Checks: []string{check.ID},
		}},
	}
	res := findings.Resource{ARN: arn, Type: h("type"), Name: h("name")}
	add := func(c findings.Check, status findings.Status, msg, detail string, e *findings.Evidence) {
		rep.Results = append(rep.Results, findings.Result{
			CheckID: c.ID, Title: c.Title, Severity: c.Severity, Status: status, Resource: res,
			Message: msg, Detail: detail, Evidence: e, Controls: c.Controls,
			Fingerprint: findings.Fingerprint(c.ID, rep.AccountID, res.ARN, detail),
		})
	}
	// The compliance section: framework and control text is lockdown's own,
	// but it is hostile here too; reasons may quote the account, and failing
	// resources are the account's.
	other := findings.Resource{ARN: "arn:aws:iam::123456789012:role/" + h("role"), Type: "AWS::IAM::Role", Name: h("role")}
	control := func(id string, status findings.ControlStatus, failing ...findings.Resource) findings.ControlResult {
		return findings.ControlResult{
			ID: h(id), Title: h("ctitle"), Level: h("lvl"), Status: status, Checks: []string{check.ID, builtin.ID},
			Reason: h("::error::reason"), Results: findings.ResultCounts{Pass: 1, Fail: len(failing)}, Failing: failing,
		}
	}
	rep.Compliance = []findings.Compliance{
		{
			Framework: h("fw"), Title: h("::error::fwtitle"), Version: h("ver"), Source: "https://evil.example/x\u202e",
			Controls: []findings.ControlResult{
				control("c1", findings.ControlFail, res, other),
				control("c2", findings.ControlNotAssessed),
				control("c3", findings.ControlManual),
				control("c4", findings.ControlNotApplies),
				control("c5", findings.ControlPass),
				control("c6", "\x1b[31mODD\u202e"),
			},
		},
		{
			Framework: "cis-aws-5.0", Title: "CIS", Version: "5.0.0", Source: h("src"),
			Controls: []findings.ControlResult{control("1.9", findings.ControlFail, other), control("1.1", findings.ControlManual)},
		},
	}
	add(check, findings.Fail, h("::error::msg"), h("d1"), ev)
	add(check, findings.NotAssessed, h("::add-mask::na"), "", nil)
	add(check, findings.NotApplicable, h("##vso[na]"), "d2", nil)
	add(check, findings.Pass, h("pass"), "d3", nil)
	add(builtin, findings.Fail, h("\n::error::builtin"), "", ev)
	add(builtin, "\x1b[31mWEIRD\u202e", h("weird"), "d4", nil)
	if long {
		big := strings.Repeat("A\u202e<@x>", 300_000/8)
		rep.Results = append(rep.Results, findings.Result{
			CheckID: builtin.ID, Severity: builtin.Severity, Status: findings.Fail,
			Resource: findings.Resource{ARN: "arn:aws:iam::123456789012:user/" + big, Name: big},
			Message:  strings.Repeat("x", 300_000) + h(" ") + big, Detail: "long",
			Evidence: &findings.Evidence{Items: []string{big}},
		})
		ctl := &rep.Compliance[0].Controls[0]
		ctl.Failing = append(ctl.Failing, findings.Resource{ARN: "arn:aws:iam::123456789012:user/" + big, Name: big})
		ctl.Reason += big
	}
	return rep
}

// Our own escape sequences: the table's colours.
var ownSGR = regexp.MustCompile(regexp.QuoteMeta(ansiReset) + "|" + regexp.QuoteMeta(ansiBoldRed) + "|" +
	regexp.QuoteMeta(ansiRed) + "|" + regexp.QuoteMeta(ansiYellow) + "|" + regexp.QuoteMeta(ansiCyan) + "|" +
	regexp.QuoteMeta(ansiGreen) + "|" + regexp.QuoteMeta(ansiDim) + "|" + regexp.QuoteMeta(ansiBold))

// ciCommandLine is what GitHub Actions, Azure Pipelines or TeamCity would
// execute when the line is printed in a job log.
var ciCommandLine = regexp.MustCompile(`(?im)^[ \t\r\f\v]*(::|##\[|##vso\[|##teamcity\[)`)

// rawForbidden lists the characters no output may carry raw (beyond line
// breaks and, in the table, our colour codes).
func rawForbidden(out string) []string {
	var bad []string
	if !utf8.ValidString(out) {
		bad = append(bad, "invalid UTF-8")
	}
	for _, r := range ownSGR.ReplaceAllString(out, "") {
		if r == '\n' {
			continue
		}
		if isControl(r) && r != 0x200d { // ZWJ: Markdown inserts it on purpose
			bad = append(bad, string(r))
			if len(bad) > 5 {
				break
			}
		}
	}
	return bad
}

func renderAll(t *testing.T, rep *findings.Report, opts Options) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, f := range Formats() {
		var buf bytes.Buffer
		if err := Render(&buf, f, rep, opts); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out[f] = buf.String()
	}
	return out
}

// One hostile corpus through every format.
func TestHostileInputIsInertInEveryFormat(t *testing.T) {
	rep := hostileReport(true)
	for _, color := range []bool{false, true} {
		outs := renderAll(t, rep, Options{Color: color, Width: 100})
		if len(outs) != len(Formats()) {
			t.Fatalf("rendered %d formats", len(outs))
		}
		for format, out := range outs {
			if bad := rawForbidden(out); len(bad) > 0 {
				t.Errorf("%s (colour %v): raw %q", format, color, bad)
			}
			if m := ciCommandLine.FindAllString(out, 3); len(m) > 0 {
				t.Errorf("%s (colour %v): lines a CI runner executes: %q", format, color, m)
			}
			check := hostileChecks[format]
			if check == nil {
				t.Fatalf("no hostile-input assertions for format %s", format)
			}
			check(t, rep, out)
		}
	}
}

var hostileChecks = map[string]func(t *testing.T, rep *findings.Report, out string){
	"table":    checkHostileTable,
	"json":     checkHostileJSON,
	"sarif":    checkHostileSARIF,
	"markdown": checkHostileMarkdown,
	"junit":    checkHostileJUnit,
}

// Escapes are visible, not dropped: the text still says what was there.
func wantVisibleEscapes(t *testing.T, format, out string) {
	t.Helper()
	for _, want := range []string{`\x1b[2J`, `\u202e`, `\u2066`, `\x00`, `\xff`, `\u0085`, `\x07`} {
		if !strings.Contains(out, want) {
			t.Errorf("%s: the escape %s is not shown", format, want)
		}
	}
}

func checkHostileTable(t *testing.T, rep *findings.Report, out string) {
	wantVisibleEscapes(t, "table", out)
	if !strings.Contains(out, "NOT") || !strings.Contains(out, "APPLICABLE") {
		t.Error("table: no NOT APPLICABLE row")
	}
	for _, want := range []string{"Compliance: ", "MANUAL", "automated controls pass", `\x1b[31mODD\u202e`} {
		if !strings.Contains(out, want) {
			t.Errorf("table: the compliance section lacks %q", want)
		}
	}
}

func checkHostileJSON(t *testing.T, rep *findings.Report, out string) {
	var back findings.Report
	if err := json.Unmarshal([]byte(out), &back); err != nil {
		t.Fatalf("json: %v", err)
	}
	for i, r := range back.Results {
		// Messages are for people: no raw control even once decoded.
		for _, rn := range r.Message {
			if isControl(rn) {
				t.Errorf("json: decoded message %d holds %U", i, rn)
				break
			}
		}
		// Identities keep their exact (valid UTF-8) value.
		if orig := rep.Results[i].Resource.ARN; utf8.ValidString(orig) && r.Resource.ARN != orig {
			t.Errorf("json: result %d ARN changed", i)
		}
		if r.Status != rep.Results[i].Status && utf8.ValidString(string(rep.Results[i].Status)) {
			t.Errorf("json: result %d status %q, want %q", i, r.Status, rep.Results[i].Status)
		}
	}
	if !strings.Contains(back.Results[0].Message, `\x1b[2J`) {
		t.Error("json: the message's ESC is not escaped visibly")
	}
	if back.Results[0].Evidence == nil || len(back.Results[0].Evidence.Actions) != 2 {
		t.Error("json: evidence lost")
	}
	if len(back.Compliance) != len(rep.Compliance) {
		t.Fatalf("json: %d frameworks, want %d", len(back.Compliance), len(rep.Compliance))
	}
	for i, c := range back.Compliance {
		for j, ctl := range c.Controls {
			orig := rep.Compliance[i].Controls[j]
			for _, text := range []string{ctl.Reason, ctl.Title} {
				for _, rn := range text {
					if isControl(rn) {
						t.Errorf("json: decoded control %d/%d text holds %U", i, j, rn)
						break
					}
				}
			}
			if len(ctl.Failing) != len(orig.Failing) {
				t.Errorf("json: control %d/%d has %d failing resources, want %d", i, j, len(ctl.Failing), len(orig.Failing))
				continue
			}
			for k, res := range ctl.Failing {
				if utf8.ValidString(orig.Failing[k].ARN) && res.ARN != orig.Failing[k].ARN {
					t.Errorf("json: control %d/%d failing resource %d ARN changed", i, j, k)
				}
			}
		}
	}
	if want := `\x1b[2J`; !strings.Contains(back.Compliance[0].Controls[0].Reason, want) {
		t.Error("json: a control reason's ESC is not escaped visibly")
	}
}

func checkHostileSARIF(t *testing.T, rep *findings.Report, out string) {
	if err := validateBytes(sarifSchema(t), []byte(out)); err != nil {
		t.Errorf("sarif: not valid SARIF: %v", err)
	}
	var doc any
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("sarif: %v", err)
	}
	// Every message text, decoded, is free of controls (multi-line help
	// text keeps its line breaks).
	var walk func(v any, key string)
	texts := 0
	walk = func(v any, key string) {
		switch x := v.(type) {
		case map[string]any:
			for k, c := range x {
				walk(c, k)
			}
		case []any:
			for _, c := range x {
				walk(c, key)
			}
		case string:
			if key != "text" {
				return
			}
			texts++
			for _, r := range x {
				if r != '\n' && isControl(r) {
					t.Errorf("sarif: text holds %U: %.80q", r, x)
					return
				}
			}
		}
	}
	walk(doc, "")
	if texts < 10 {
		t.Errorf("sarif: only %d texts checked", texts)
	}
	wantVisibleEscapes(t, "sarif", strings.ReplaceAll(out, `\\`, `\`))
	log, _ := renderSARIFLog(t, rep, Options{})
	var tags []string
	for _, rule := range log.Runs[0].Tool.Driver.Rules {
		list, _ := rule.Properties["tags"].([]any)
		for _, tag := range list {
			if s, ok := tag.(string); ok {
				tags = append(tags, s)
			}
		}
	}
	for _, want := range []string{"cis-aws-5.0/1.4", "cis-aws-5.0/1.9", "aws-securityhub/IAM.5"} {
		if !slices.Contains(tags, want) {
			t.Errorf("sarif: no rule tag %q in %q", want, tags)
		}
	}
	inv := log.Runs[0].Invocations[0]
	if inv.ExecutionSuccessful {
		t.Error("sarif: an incomplete audit is a successful execution")
	}
	kinds := map[string]int{}
	for _, r := range log.Runs[0].Results {
		kinds[r.Kind]++
	}
	if kinds["fail"] < 2 || len(kinds) != 1 {
		t.Errorf("sarif: result kinds %v, want only fail (NOT_APPLICABLE is a notification)", kinds)
	}
}

func checkHostileMarkdown(t *testing.T, rep *findings.Report, out string) {
	wantVisibleEscapes(t, "markdown", strings.ReplaceAll(out, `\\`, `\`))
	if n := len(out); n > markdownLimit {
		t.Errorf("markdown: %d bytes, over GitHub's limit", n)
	}
	inFence, prev := "", ""
	cols, rows := 0, 0
	for i, line := range strings.Split(out, "\n") {
		// Fenced blocks: the fence we open closes only where we close it.
		if inFence != "" {
			if strings.HasPrefix(strings.TrimLeft(line, " "), inFence[:3]) && strings.Trim(line, " `~") == "" {
				if strings.TrimSpace(line) != inFence {
					t.Errorf("markdown line %d: a fence %q inside a %q block", i+1, line, inFence)
				}
				inFence = ""
			}
			continue
		}
		if m := regexp.MustCompile("^(```+|~~~+)").FindString(line); m != "" {
			inFence = m
			continue
		}
		text := stripCodeSpans(line)
		// No raw HTML but our own collapsible blocks.
		for _, tag := range regexp.MustCompile(`<[A-Za-z!?/][^>]*>?`).FindAllString(text, -1) {
			switch tag {
			case "<details>", "</details>", "<summary>", "</summary>":
			default:
				t.Errorf("markdown line %d: raw HTML %q", i+1, tag)
			}
		}
		// No mention, no email or URL autolink outside code.
		for j := 0; j < len(text); j++ {
			switch {
			case text[j] == '@' && !strings.HasPrefix(text[j+1:], zwj):
				t.Errorf("markdown line %d: a mention or email: %.60q", i+1, text[j:])
			case strings.HasPrefix(text[j:], "://") && !strings.HasPrefix(text[j+1:], zwj) && !strings.HasSuffix(text[:j], "[Documentation](https") && !strings.HasSuffix(text[:j], "[Framework source](https"):
				t.Errorf("markdown line %d: an autolink: %.60q", i+1, text[max(0, j-10):])
			case strings.HasPrefix(strings.ToLower(text[j:]), "www.") && (j == 0 || text[j-1] != '\\'):
				t.Errorf("markdown line %d: a www autolink: %.60q", i+1, text[j:])
			}
		}
		// Table rows keep their columns: every unescaped pipe is ours, so
		// each row has as many as its table's delimiter row.
		switch {
		case delimiterRow.MatchString(line):
			cols = countUnescapedPipes(line)
			if n := countUnescapedPipes(prev); n != cols {
				t.Errorf("markdown line %d: header has %d cell separators, want %d: %.120q", i, n, cols, prev)
			}
		case strings.HasPrefix(line, "|") && cols > 0:
			// GFM splits cells before inline parsing: a pipe inside a code
			// span splits too unless it is backslash-escaped.
			if n := countUnescapedPipes(line); n != cols {
				t.Errorf("markdown line %d: %d cell separators, want %d: %.120q", i+1, n, cols, line)
			}
			rows++
		default:
			cols = 0
		}
		prev = line
	}
	if rows < 8 {
		t.Errorf("markdown: only %d table rows checked", rows)
	}
	if inFence != "" {
		t.Errorf("markdown: fence %q never closed", inFence)
	}
	for _, want := range []string{"## Not assessed", "## Not applicable", "INCOMPLETE AUDIT", "<details><summary>Evidence",
		"## Compliance", "<details><summary>Failing resources of", "| MANUAL |", "automated controls pass"} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown: lacks %q", want)
		}
	}
}

// stripCodeSpans replaces the code spans of a Markdown line with "CODE",
// honouring backslash escapes outside spans, as GFM does.
func stripCodeSpans(line string) string {
	var b strings.Builder
	for i := 0; i < len(line); {
		switch line[i] {
		case '\\':
			end := min(i+2, len(line))
			b.WriteString(line[i:end])
			i = end
			continue
		case '`':
			j := i
			for j < len(line) && line[j] == '`' {
				j++
			}
			n := j - i
			closeAt := -1
			for k := j; k < len(line); {
				if line[k] != '`' {
					k++
					continue
				}
				m := k
				for m < len(line) && line[m] == '`' {
					m++
				}
				if m-k == n {
					closeAt = m
					break
				}
				k = m
			}
			if closeAt < 0 {
				b.WriteString(line[i:j])
				i = j
				continue
			}
			b.WriteString("CODE")
			i = closeAt
			continue
		}
		b.WriteByte(line[i])
		i++
	}
	return b.String()
}

var delimiterRow = regexp.MustCompile(`^\|(:?-+:?\|)+$`)

func countUnescapedPipes(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '|':
			n++
		}
	}
	return n
}

func checkHostileJUnit(t *testing.T, rep *findings.Report, out string) {
	root, err := parseXML([]byte(out))
	if err != nil {
		t.Fatalf("junit: not well-formed XML: %v", err)
	}
	if errs := checkJUnit(root); len(errs) > 0 {
		t.Errorf("junit: %v", errs)
	}
	// Every line is markup: text never starts a line.
	for i, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if !strings.HasPrefix(strings.TrimLeft(line, " "), "<") {
			t.Errorf("junit line %d starts with text: %.80q", i+1, line)
		}
	}
	wantVisibleEscapes(t, "junit", out)
	if !strings.Contains(out, `message="not applicable: `) {
		t.Error("junit: NOT_APPLICABLE is not a skipped case with its reason")
	}
	if !strings.Contains(out, `name="incomplete_cause"`) {
		t.Error("junit: incompleteness causes missing")
	}
	suites := 0
	for _, s := range root.Children {
		if strings.HasPrefix(s.Attrs["name"], "Compliance: ") {
			suites++
		}
	}
	if suites != len(rep.Compliance) {
		t.Errorf("junit: %d compliance suites, want %d", suites, len(rep.Compliance))
	}
	for _, want := range []string{`<skipped message="manual: `, `<skipped message="not assessed: `, `Failing resource: `, `unknown control status`} {
		if !strings.Contains(out, want) {
			t.Errorf("junit: the compliance suites lack %q", want)
		}
	}
	if xmllint, err := exec.LookPath("xmllint"); err == nil {
		f := filepath.Join(t.TempDir(), "hostile.xml")
		if err := os.WriteFile(f, []byte(out), 0o600); err != nil {
			t.Fatal(err)
		}
		if msg, err := exec.Command(xmllint, "--noout", "--schema", filepath.Join("schema", "junit.xsd"), f).CombinedOutput(); err != nil {
			t.Errorf("junit: xmllint: %v\n%.2000s", err, msg)
		}
	} else if os.Getenv("LOCKDOWN_JUNIT_XSD") == "1" {
		t.Error("xmllint not found")
	}
}
