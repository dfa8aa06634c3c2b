package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/lockdown-dev/lockdown/internal/findings"
)

func renderString(t *testing.T, format string, rep *findings.Report, opts Options) string {
	t.Helper()
	var buf bytes.Buffer
	if err := Render(&buf, format, rep, opts); err != nil {
		t.Fatalf("%s: %v", format, err)
	}
	return buf.String()
}

// controlsOf builds n controls with the given status.
func controlsOf(n int, status findings.ControlStatus, prefix string) []findings.ControlResult {
	var out []findings.ControlResult
	for i := 0; i < n; i++ {
		c := findings.ControlResult{ID: fmt.Sprintf("%s%d", prefix, i+1), Title: "t", Status: status, Checks: []string{"LD-X-01"}}
		if status == findings.ControlManual {
			c.Checks, c.Reason = nil, "not from a member account"
		}
		out = append(out, c)
	}
	return out
}

func TestDenominatorLine(t *testing.T) {
	c := findings.Compliance{Framework: "cis-aws-5.0", Title: "CIS AWS Foundations", Version: "5.0.0"}
	c.Controls = append(c.Controls, controlsOf(14, findings.ControlPass, "p")...)
	c.Controls = append(c.Controls, controlsOf(2, findings.ControlFail, "f")...)
	c.Controls = append(c.Controls, controlsOf(1, findings.ControlNotAssessed, "n")...)
	c.Controls = append(c.Controls, controlsOf(4, findings.ControlManual, "m")...)
	// A stale summary does not change what is shown: it is recounted.
	c.Summary = findings.ComplianceSummary{Total: 99, Pass: 99}
	want := "CIS AWS Foundations v5.0.0: 14 of 17 automated controls pass, 2 fail, 1 not assessed; 4 manual"
	if got := denominatorLine(c); got != want {
		t.Errorf("denominatorLine = %q\nwant %q", got, want)
	}
	c.Controls = append(c.Controls, controlsOf(1, findings.ControlNotApplies, "a")...)
	c.Controls = append(c.Controls, controlsOf(1, "WEIRD", "w")...)
	want = "CIS AWS Foundations v5.0.0: 14 of 19 automated controls pass, 2 fail, 1 not assessed, 1 not applicable, 1 with an unknown status; 4 manual"
	if got := denominatorLine(c); got != want {
		t.Errorf("denominatorLine = %q\nwant %q", got, want)
	}
	for _, tc := range []struct {
		c    findings.Compliance
		want string
	}{
		{findings.Compliance{Framework: "aws-securityhub", Title: "AWS Security Hub", Version: "2026-11"}, "AWS Security Hub 2026-11"},
		{findings.Compliance{Framework: "x", Title: "CIS v5.0.0", Version: "5.0.0"}, "CIS v5.0.0"},
		{findings.Compliance{Framework: "x"}, "x"},
		{findings.Compliance{}, "-"},
	} {
		if got := frameworkLabel(tc.c); got != tc.want {
			t.Errorf("frameworkLabel(%+v) = %q, want %q", tc.c, got, tc.want)
		}
	}
}

// Every control, in the framework's order, with its status, in the table,
// Markdown and JUnit; the denominator of each framework in each.
func TestComplianceEveryControlInOrder(t *testing.T) {
	rep := loadFixture(t, "compliance")
	for _, format := range []string{"table", "markdown", "junit"} {
		out := renderString(t, format, rep, Options{Width: 200})
		at := 0
		for _, c := range rep.Compliance {
			head := strings.Index(out[at:], frameworkLabel(c))
			if head < 0 {
				t.Errorf("%s: no heading for %s after byte %d", format, c.Framework, at)
				continue
			}
			at += head
			for _, ctl := range c.Controls {
				var mark string
				switch format {
				case "table":
					mark = "│ " + ctl.ID + " "
				case "markdown":
					mark = "| `" + ctl.ID + "` | "
				case "junit":
					mark = `<testcase name="` + ctl.ID + ": "
				}
				i := strings.Index(out[at:], mark)
				if i < 0 {
					t.Errorf("%s: control %s %s missing or out of order", format, c.Framework, ctl.ID)
					continue
				}
				at += i
				// Its status follows on its line.
				line := out[at:]
				if j := strings.IndexByte(line, '\n'); j >= 0 {
					line = line[:j]
				}
				label := controlStatusLabel(ctl.Status)
				if format == "table" {
					label = strings.Fields(label)[0] // "NOT ASSESSED" wraps
				}
				if format != "junit" && !strings.Contains(line, label) {
					t.Errorf("%s: control %s %s: status %s not on its line %q", format, c.Framework, ctl.ID, label, line)
				}
			}
			count := denominatorCounts(c)
			if format == "junit" {
				count = strings.ReplaceAll(count, "'", "&#39;")
			}
			if !strings.Contains(out, count) && !strings.Contains(oneLine(out), count) {
				t.Errorf("%s: no denominator %q", format, count)
			}
		}
	}
}

// Markdown and JUnit name every failing resource of every control; the
// table names the first ten and says how many more the JSON report has.
func TestComplianceFailingResources(t *testing.T) {
	rep := loadFixture(t, "compliance")
	var many *findings.ControlResult
	for i, ctl := range rep.Compliance[0].Controls {
		if len(ctl.Failing) > maxTableFailing {
			many = &rep.Compliance[0].Controls[i]
		}
	}
	if many == nil {
		t.Fatal("the compliance fixture has no control with many failing resources")
	}
	md := renderString(t, "markdown", rep, Options{})
	junit := renderString(t, "junit", rep, Options{})
	for _, c := range rep.Compliance {
		for _, ctl := range c.Controls {
			for _, res := range ctl.Failing {
				if !strings.Contains(md, "- `"+res.ARN+"`") {
					t.Errorf("markdown: %s %s: %s not listed", c.Framework, ctl.ID, res.ARN)
				}
				if !strings.Contains(junit, "Failing resource: "+res.ARN) {
					t.Errorf("junit: %s %s: %s not listed", c.Framework, ctl.ID, res.ARN)
				}
			}
		}
	}
	table := renderString(t, "table", rep, Options{Width: 200})
	table = oneLine(strings.NewReplacer("│", " ").Replace(table[strings.Index(table, "Compliance: "):]))
	want := fmt.Sprintf("Failing (%d): ", len(many.Failing))
	for _, res := range many.Failing[:maxTableFailing] {
		want += shortResource(res) + ", "
	}
	want += fmt.Sprintf("(%d more in the JSON report)", len(many.Failing)-maxTableFailing)
	if !strings.Contains(table, want) {
		t.Errorf("table lacks %q", want)
	}
	if strings.Contains(table, shortResource(many.Failing[maxTableFailing])) {
		t.Errorf("table lists the %dth failing resource", maxTableFailing+1)
	}
}

func TestComplianceTableFitsWidthAndQuiet(t *testing.T) {
	rep := loadFixture(t, "compliance")
	// The hostile report's compliance section alone: long IDs, statuses,
	// check lists and titles.
	hostile := hostileReport(false)
	hostile.Results, hostile.Incomplete, hostile.Complete = nil, nil, true
	hostile.AccountID, hostile.Partition = "123456789012", ""
	for _, width := range []int{0, 60, 80, 100, 200} {
		out := renderTableString(t, rep, Options{Width: width, Color: true}) + renderTableString(t, hostile, Options{Width: width, Color: true})
		limit := max(width, 60)
		if width == 0 {
			limit = 80
		}
		for i, line := range strings.Split(out, "\n") {
			line = ansiRE.ReplaceAllString(line, "")
			// A line that began like a CI command had its first character
			// written as an escape after wrapping (neutraliseCommandLines).
			body := strings.TrimLeft(line, " ")
			lead := line[:len(line)-len(body)]
			if rest, ok := strings.CutPrefix(body, `\x3a`); ok {
				line = lead + ":" + rest
			} else if rest, ok := strings.CutPrefix(body, `\x23`); ok {
				line = lead + "#" + rest
			}
			if w := textWidth(line); w > limit {
				t.Errorf("width %d, line %d is %d wide: %q", width, i+1, w, line)
			}
		}
	}
	out := renderTableString(t, rep, Options{Quiet: true, Width: 200})
	for _, hidden := range []string{"MANUAL", "PASS", "NOT ASSESSED", "NOT APPLICABLE"} {
		if strings.Contains(out, hidden) {
			t.Errorf("quiet table shows %s", hidden)
		}
	}
	for _, c := range rep.Compliance {
		if !strings.Contains(out, denominatorLine(c)) {
			t.Errorf("quiet table lacks the denominator %q", denominatorLine(c))
		}
	}
}

// JUnit: one suite per framework, one case per control; FAIL is a failure,
// NOT_ASSESSED, MANUAL and NOT_APPLICABLE are skipped with their reason.
func TestComplianceJUnit(t *testing.T) {
	rep := loadFixture(t, "compliance")
	root, err := parseXML([]byte(renderString(t, "junit", rep, Options{})))
	if err != nil {
		t.Fatal(err)
	}
	if errs := checkJUnit(root); len(errs) > 0 {
		t.Fatal(errs)
	}
	var suites []*xmlNode
	for _, s := range root.Children {
		if s.Attrs["package"] != "lockdown."+rep.AccountID {
			suites = append(suites, s)
		}
	}
	if len(suites) != len(rep.Compliance) {
		t.Fatalf("%d framework suites, want %d", len(suites), len(rep.Compliance))
	}
	for i, c := range rep.Compliance {
		s := suites[i]
		var cases []*xmlNode
		for _, n := range s.Children {
			if n.Name == "testcase" {
				cases = append(cases, n)
			}
		}
		if len(cases) != len(c.Controls) {
			t.Fatalf("%s: %d cases, want %d", c.Framework, len(cases), len(c.Controls))
		}
		for j, ctl := range c.Controls {
			tc := cases[j]
			if tc.Attrs["classname"] != c.Framework || !strings.HasPrefix(tc.Attrs["name"], ctl.ID+": ") {
				t.Errorf("%s case %d: classname %q name %q", c.Framework, j, tc.Attrs["classname"], tc.Attrs["name"])
			}
			var kinds []string
			msg := ""
			for _, k := range tc.Children {
				kinds = append(kinds, k.Name)
				msg = k.Attrs["message"]
			}
			want, prefix := map[findings.ControlStatus]string{
				findings.ControlFail: "failure", findings.ControlNotAssessed: "skipped",
				findings.ControlManual: "skipped", findings.ControlNotApplies: "skipped",
			}[ctl.Status], map[findings.ControlStatus]string{
				findings.ControlNotAssessed: "not assessed: ", findings.ControlManual: "manual: ", findings.ControlNotApplies: "not applicable: ",
			}[ctl.Status]
			switch {
			case ctl.Status == findings.ControlPass && len(kinds) != 0:
				t.Errorf("%s %s: a passing control has %v", c.Framework, ctl.ID, kinds)
			case want != "" && !slices.Equal(kinds, []string{want}):
				t.Errorf("%s %s (%s): %v, want %s", c.Framework, ctl.ID, ctl.Status, kinds, want)
			case prefix != "" && msg != prefix+ctl.Reason:
				t.Errorf("%s %s: skipped message %q, want %q", c.Framework, ctl.ID, msg, prefix+ctl.Reason)
			}
		}
	}
}

func TestComplianceSARIFTags(t *testing.T) {
	both := findings.Check{ID: "LD-ROOT-01", Severity: "critical", Section: "AWS root user",
		Controls: map[string][]string{"cis-aws-6.0": {"2.4"}, "cis-aws-5.0": {"1.4"}, "aws-securityhub": {"IAM.9"}, "cis-aws-7.0": {"2.5"}}}
	none := findings.Check{ID: "LD-ROOT-02", Severity: "high", Section: "AWS root user"}
	want := []string{"security", "AWS root user", "aws-securityhub/IAM.9", "cis-aws-5.0/1.4", "cis-aws-6.0/2.4", "cis-aws-7.0/2.5"}
	for i := 0; i < 5; i++ { // map order must not show
		if got := ruleTags(both); !slices.Equal(got, want) {
			t.Fatalf("tags with Check.Controls = %q, want %q", got, want)
		}
	}
	if got, want := ruleTags(none), []string{"security", "AWS root user"}; !slices.Equal(got, want) {
		t.Errorf("tags without Check.Controls = %q, want %q", got, want)
	}
	text, md := ruleHelp(both)
	if !strings.Contains(text, "Controls: aws-securityhub/IAM.9, cis-aws-5.0/1.4") || !strings.Contains(md, "aws-securityhub/IAM.9") {
		t.Errorf("rule help does not name the controls:\n%s", text)
	}
	// A check seen only in the results takes its controls from them.
	rep := &findings.Report{Results: []findings.Result{{CheckID: "LD-Y-01", Status: findings.Fail,
		Controls: map[string][]string{"cis-aws-5.0": {"1.21"}}}}}
	rules, _ := sarifRules(rep, nil)
	if len(rules) != 1 || !slices.Contains(rules[0].Properties.Tags, "cis-aws-5.0/1.21") {
		t.Errorf("result-only rule tags: %v", rules[0].Properties.Tags)
	}
}

// Without a compliance section nothing changes, and nothing mentions one.
func TestNoComplianceNoSection(t *testing.T) {
	for _, fixture := range []string{"mixed", "clean", "minimal"} {
		rep := loadFixture(t, fixture)
		if len(rep.Compliance) != 0 {
			t.Fatalf("%s has a compliance section", fixture)
		}
		for _, format := range Formats() {
			a := renderString(t, format, rep, Options{})
			rep.Compliance = []findings.Compliance{}
			b := renderString(t, format, rep, Options{})
			rep.Compliance = nil
			if a != b {
				t.Errorf("%s %s: an empty compliance list changes the output", fixture, format)
			}
			if strings.Contains(strings.ToLower(a), "compliance") || strings.Contains(a, "automated controls") {
				t.Errorf("%s %s: mentions compliance without a compliance section", fixture, format)
			}
		}
	}
}

// JSON: lists are [] rather than null, summaries are recounted from the
// controls, and every failing resource is kept.
func TestComplianceJSON(t *testing.T) {
	rep := loadFixture(t, "compliance")
	rep.Compliance[0].Summary = findings.ComplianceSummary{Total: 1}
	rep.Compliance[0].Controls[0].Checks = nil
	out := renderString(t, "json", rep, Options{})
	if err := validateBytes(compileSchema(t, "schema/report.schema.json", "https://github.com/lockdown-dev/lockdown/report/schema/report.schema.json"), []byte(out)); err != nil {
		t.Fatalf("schema: %v", err)
	}
	var back findings.Report
	if err := json.Unmarshal([]byte(out), &back); err != nil {
		t.Fatal(err)
	}
	for i, c := range back.Compliance {
		if want := complianceCounts(rep.Compliance[i]); c.Summary != want {
			t.Errorf("%s: summary %+v, want %+v", c.Framework, c.Summary, want)
		}
		if c.Summary.Total != c.Summary.Automated+c.Summary.Manual {
			t.Errorf("%s: total is not automated + manual", c.Framework)
		}
		for j, ctl := range c.Controls {
			if !slices.Equal(ctl.Failing, rep.Compliance[i].Controls[j].Failing) {
				t.Errorf("%s %s: failing resources differ", c.Framework, ctl.ID)
			}
		}
	}
	if !strings.Contains(out, `"checks": []`) {
		t.Error("a manual control's checks are not []")
	}
	if back.Results[0].Controls["cis-aws-5.0"] == nil || back.Checks[0].Controls["aws-securityhub"] == nil {
		t.Error("controls on results or checks lost")
	}
}

// The Markdown stays within GitHub's limit with thousands of failing
// resources per control, keeps every control row and its failing checks'
// headings, and says what it left out.
func TestComplianceMarkdownFitsPRComment(t *testing.T) {
	rep := loadFixture(t, "compliance")
	var failing []findings.Resource
	for i := 0; i < 3000; i++ {
		failing = append(failing, findings.Resource{ARN: fmt.Sprintf("arn:aws:iam::123456789012:user/engineering/team-%04d/dev-%04d", i/100, i), Type: "AWS::IAM::User"})
	}
	for f := range rep.Compliance {
		for i := range rep.Compliance[f].Controls {
			if rep.Compliance[f].Controls[i].Status == findings.ControlFail {
				rep.Compliance[f].Controls[i].Failing = failing
			}
		}
	}
	out := renderString(t, "markdown", rep, Options{})
	if len(out) > markdownLimit {
		t.Errorf("%d bytes, over GitHub's limit", len(out))
	}
	for _, c := range rep.Compliance {
		for _, ctl := range c.Controls {
			if !strings.Contains(out, "| `"+ctl.ID+"` | ") {
				t.Errorf("control row %s %s left out", c.Framework, ctl.ID)
			}
		}
	}
	for _, want := range []string{"compliance resource rows left out", "## Failing checks", "### High `LD-MFA-03`", "more in the JSON report"} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown lacks %q", want)
		}
	}
}
