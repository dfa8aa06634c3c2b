package report

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/lockdown-dev/lockdown/internal/findings"
)

var ansiRE = regexp.MustCompile("\x1b\\[[0-9;]*m")

func renderTableString(t *testing.T, rep *findings.Report, opts Options) string {
	t.Helper()
	var buf bytes.Buffer
	if err := Render(&buf, "table", rep, opts); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestTableFitsWidth(t *testing.T) {
	rep := loadFixture(t, "mixed")
	for _, width := range []int{0, 60, 72, 80, 100, 132, 200} {
		out := renderTableString(t, rep, Options{Width: width, Color: true})
		limit := width
		if limit == 0 {
			limit = 80
		}
		for i, line := range strings.Split(out, "\n") {
			if w := textWidth(ansiRE.ReplaceAllString(line, "")); w > limit {
				t.Errorf("width %d, line %d is %d wide: %q", width, i+1, w, line)
			}
		}
	}
}

func TestTableNoColourUnlessAsked(t *testing.T) {
	rep := loadFixture(t, "mixed")
	if out := renderTableString(t, rep, Options{}); strings.Contains(out, "\x1b") {
		t.Error("escape sequences without Color")
	}
	out := renderTableString(t, rep, Options{Color: true})
	if !strings.Contains(out, ansiBoldRed+"critical"+ansiReset) || !strings.Contains(out, ansiYellow+"medium"+ansiReset) {
		t.Error("severities are not coloured with Color")
	}
}

func TestTableQuietAndSummary(t *testing.T) {
	rep := loadFixture(t, "mixed")
	out := renderTableString(t, rep, Options{Quiet: true, Width: 200})
	if strings.Contains(out, "PASS") || strings.Contains(out, "NOT ASSESSED") {
		t.Errorf("quiet output shows non-failures:\n%s", out)
	}
	if strings.Contains(out, "AWS CLI") {
		t.Error("quiet output shows a section without failures")
	}
	want := "10 checks, 18 results: 4 pass, 9 fail (1 critical, 2 high, 2 medium, 2 low, 1 info, 1 unrated), 4 not assessed, 1 not applicable"
	if !strings.Contains(out, want) {
		t.Errorf("summary missing; want %q in:\n%s", want, out)
	}
	clean := renderTableString(t, loadFixture(t, "clean"), Options{Quiet: true})
	if !strings.Contains(clean, "No failing checks.") || !strings.Contains(clean, "2 checks, 2 results: 2 pass, 0 fail, 0 not assessed") {
		t.Errorf("clean quiet output:\n%s", clean)
	}
}

// Inside each section failures come first, most severe first, then
// NOT_ASSESSED, then PASS; sections follow the catalogue order.
func TestTableOrder(t *testing.T) {
	out := renderTableString(t, loadFixture(t, "mixed"), Options{Width: 200})
	order := []string{"AWS root user", "root-mfa-enabled", "NOT ASSESSED", "root-no-access-keys",
		"IAM Policies", "IAM Roles", "admin-role-requires-mfa", "role-max-session", "IAM Users", "AWS CLI", "Other"}
	pos := 0
	for _, s := range order {
		i := strings.Index(out[pos:], s)
		if i < 0 {
			t.Fatalf("%q not found after offset %d in:\n%s", s, pos, out)
		}
		pos += i
	}
}

func TestShortResource(t *testing.T) {
	for arn, want := range map[string]string{
		"arn:aws:iam::123456789012:user/alice":          "user/alice",
		"arn:aws:iam::123456789012:root":                "root",
		"arn:aws:iam::123456789012":                     "123456789012",
		"arn:aws:iam::aws:policy/ReadOnlyAccess":        "aws:policy/ReadOnlyAccess",
		"arn:aws-cn:iam::123456789012:role/x/AdminRole": "role/x/AdminRole",
		"~/.aws/credentials":                            "~/.aws/credentials",
	} {
		if got := shortResource(findings.Resource{ARN: arn}); got != want {
			t.Errorf("shortResource(%q) = %q, want %q", arn, got, want)
		}
	}
	if got := shortResource(findings.Resource{Name: "local"}); got != "local" {
		t.Errorf("no ARN: %q", got)
	}
	for _, c := range []struct {
		in    string
		width int
		want  string
	}{
		{"user/engineering/platform/alice", 40, "user/engineering/platform/alice"},
		{"user/engineering/platform/alice", 14, "user/…/alice"},
		{"user/engineering/platform/alice", 6, "alice"},
		{"group/Administrators", 16, "Administrators"},
		{"role/service-role/some-very-long-role-name", 14, "…ong-role-name"},
	} {
		if got := fitResource(c.in, c.width); got != c.want {
			t.Errorf("fitResource(%q, %d) = %q, want %q", c.in, c.width, got, c.want)
		}
	}
}

func TestWrapText(t *testing.T) {
	got := wrapText("alpha beta gamma arn:aws:iam::123456789012:role/AdminRole", 16)
	for _, line := range strings.Split(got, "\n") {
		if textWidth(line) > 16 {
			t.Errorf("line %q longer than 16", line)
		}
	}
	if strings.Join(strings.Fields(strings.ReplaceAll(got, "\n", " ")), "") != "alphabetagammaarn:aws:iam::123456789012:role/AdminRole" {
		t.Errorf("wrapping lost text: %q", got)
	}
}

// tableReport is a report over two sections whose failures come in every
// severity, in an order unlike the severities'.
func tableReport() *findings.Report {
	rep := &findings.Report{AccountID: "123456789012", Complete: true}
	add := func(id, section string, sev findings.Severity, remediation string, status findings.Status, who string) {
		if _, ok := rep.CheckByID()[id]; !ok {
			rep.Checks = append(rep.Checks, findings.Check{ID: id, Title: id, Severity: sev, Section: section, Remediation: remediation})
		}
		rep.Results = append(rep.Results, findings.Result{CheckID: id, Severity: sev, Status: status,
			Resource: findings.Resource{ARN: "arn:aws:iam::123456789012:user/" + who, Name: who}, Message: id + " on " + who})
	}
	add("users-low", "IAM Users", findings.Low, "Tag it:\n  aws iam tag-user --user-name USER --tags Key=owner,Value=TEAM", findings.Fail, "alice")
	add("users-crit", "IAM Users", findings.Critical, "", findings.Fail, "bob")
	add("users-high", "IAM Users", findings.High, "Check first:\n  aws iam list-users\nThen remove the user's console password, which nobody should have kept for this long in any account at all, whatever it was for.", findings.Fail, "carol")
	add("users-pass", "IAM Users", findings.High, "aws iam never-shown", findings.Pass, "alice")
	add("root-crit", "AWS root user", findings.Critical, "Console only: sign in as root.\nVerify:\n  aws iam get-account-summary", findings.Fail, "root")
	add("root-med", "AWS root user", findings.Medium, "aws iam delete-access-key --access-key-id KEY \\\n  --user-name root", findings.Fail, "root")
	add("root-info", "AWS root user", findings.Info, "chmod 600 ~/.aws/credentials", findings.Fail, "root")
	rep.Results = append(rep.Results, rep.Results[0])
	rep.Results[len(rep.Results)-1].Resource.Name = "dave"
	return rep
}

// --quiet lists the failures most severe first, one table per severity;
// within a severity the guide's order is kept.
func TestTableQuietMostSevereFirst(t *testing.T) {
	out := renderTableString(t, tableReport(), Options{Quiet: true, Width: 160})
	order := []string{"Critical (2)", "root-crit", "users-crit", "High (1)", "users-high", "Medium (1)", "root-med",
		"Low (2)", "users-low", "Info (1)", "root-info", "Remediation"}
	pos := 0
	for _, s := range order {
		i := strings.Index(out[pos:], s)
		if i < 0 {
			t.Fatalf("%q not found after offset %d in:\n%s", s, pos, out)
		}
		pos += i + len(s)
	}
	if strings.Contains(out, "IAM Users") || strings.Contains(out, "PASS") {
		t.Errorf("quiet output shows sections or passes:\n%s", out)
	}
	// Without --quiet the guide's sections stay.
	full := renderTableString(t, tableReport(), Options{Width: 160})
	if i, j := strings.Index(full, "AWS root user"), strings.Index(full, "IAM Users"); i < 0 || j < i || strings.Contains(full, "Critical (2)") {
		t.Errorf("sections lost without --quiet:\n%s", full)
	}
}

// Each failing check gets one line of remediation: its first step that
// changes something when it fits, else the hint to `lockdown checks ID`.
func TestTableRemediationLines(t *testing.T) {
	rep := tableReport()
	rep.Results[0].Waiver = &findings.Waiver{Check: "users-low", Reason: "accepted"} // one of two users-low failures
	out := renderTableString(t, rep, Options{Width: 120})
	_, block, ok := strings.Cut(out, "\nRemediation (first step; `lockdown checks ID` explains each check in full)\n")
	if !ok {
		t.Fatalf("no remediation block:\n%s", out)
	}
	block, _, _ = strings.Cut(block, "\n\n")
	want := []string{
		"  root-crit   Console only: sign in as root.",
		"  root-med    aws iam delete-access-key --access-key-id KEY --user-name root",
		"  root-info   chmod 600 ~/.aws/credentials",
		"  users-crit  lockdown checks users-crit",
		"  users-high  lockdown checks users-high",
		"  users-low   aws iam tag-user --user-name USER --tags Key=owner,Value=TEAM",
	}
	if got := strings.Split(block, "\n"); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("remediation lines:\n%s\nwant:\n%s", block, strings.Join(want, "\n"))
	}
	// Every failure of a check waived: no line for it; a pass: none either.
	rep.Results[len(rep.Results)-1].Waiver = &findings.Waiver{Check: "users-low", Reason: "accepted"}
	if out := renderTableString(t, rep, Options{Width: 120}); strings.Contains(out, "users-low   aws") || strings.Contains(out, "never-shown") {
		t.Errorf("a waived or passing check has a remediation line:\n%s", out)
	}
	// Narrow: a step that does not fit after the ID goes below it, one that
	// does not fit there either becomes the hint; nothing is cut.
	for _, c := range []struct {
		width int
		want  []string
	}{
		{70, []string{"  users-low\n    aws iam tag-user --user-name USER --tags Key=owner,Value=TEAM\n",
			"  root-info   chmod 600 ~/.aws/credentials\n", "  users-high  lockdown checks users-high\n"}},
		{60, []string{"  users-low   lockdown checks users-low\n", "  root-med    lockdown checks root-med\n",
			"  root-info   chmod 600 ~/.aws/credentials\n"}},
	} {
		narrow := renderTableString(t, tableReport(), Options{Width: c.width})
		for _, want := range c.want {
			if !strings.Contains(narrow, want) {
				t.Errorf("width %d lacks %q:\n%s", c.width, want, narrow)
			}
		}
		for i, line := range strings.Split(narrow, "\n") {
			if w := textWidth(line); w > c.width {
				t.Errorf("width %d, line %d is %d wide: %q", c.width, i+1, w, line)
			}
		}
	}
}

// Remediation text is check metadata: escaped for the terminal, and a
// hostile check ID still fits the width without a split escape.
func TestTableRemediationLinesHostile(t *testing.T) {
	rep := tableReport()
	rep.Checks[0].Remediation = "aws iam x \x1b]0;title\x07 \u202e"
	id := "custom-" + strings.Repeat("\u202e", 30)
	rep.Checks[1].ID = id
	rep.Results[1].CheckID = id
	out := renderTableString(t, rep, Options{Width: 60, Color: true})
	if bad := rawForbidden(out); len(bad) > 0 {
		t.Errorf("raw %q in:\n%s", bad, out)
	}
	if !strings.Contains(out, `aws iam x \x1b]0;title\x07 \u202e`) {
		t.Errorf("remediation not escaped visibly:\n%s", out)
	}
	for i, line := range strings.Split(out, "\n") {
		plain := ansiRE.ReplaceAllString(line, "")
		if w := textWidth(plain); w > 60 {
			t.Errorf("line %d is %d wide: %q", i+1, w, plain)
		}
		if strings.Contains(plain, `\u202`) && regexp.MustCompile(`\\u202($|[^e])|(^|[^\\u0-9a-f])202e`).MatchString(plain) {
			t.Errorf("line %d splits an escape: %q", i+1, plain)
		}
	}
}

// Wrapping and shortening never leave half a visible escape on a line.
func TestWrapKeepsEscapesWhole(t *testing.T) {
	token := regexp.MustCompile(`^(\\u202e|\\x1b|\\U000e0041|\\n|x)*$`)
	for _, in := range []string{
		strings.Repeat("\u202e", 40), strings.Repeat("x\x1b", 40), strings.Repeat("\U000E0041x", 20), strings.Repeat("\n\u202e", 30),
	} {
		s := termText(in)
		for width := 10; width <= 23; width++ { // the longest escape is 10 wide
			for _, line := range strings.Split(wrapText(s, width), "\n") {
				if textWidth(line) > width || !token.MatchString(line) {
					t.Errorf("width %d: line %q", width, line)
				}
			}
			if tail := strings.TrimPrefix(fitTail(s, width), "…"); !token.MatchString(tail) || textWidth(tail) >= width {
				t.Errorf("fitTail(%d) = %q", width, tail)
			}
		}
	}
}

// The table takes the width it is given: the widest line is that wide and
// the message column grows with it.
func TestTableUsesTheWidth(t *testing.T) {
	rep := loadFixture(t, "mixed")
	prev := 0
	for _, width := range []int{80, 100, 120, 140} {
		out := renderTableString(t, rep, Options{Width: width})
		widest, msg := 0, 0
		for _, line := range strings.Split(out, "\n") {
			widest = max(widest, textWidth(line))
			if strings.HasPrefix(line, "│ STATUS") {
				cols := strings.Split(line, "│")
				msg = textWidth(cols[len(cols)-2])
			}
		}
		if widest != width {
			t.Errorf("width %d: widest line is %d", width, widest)
		}
		if msg <= prev {
			t.Errorf("width %d: message column %d, not wider than %d", width, msg, prev)
		}
		prev = msg
	}
}
