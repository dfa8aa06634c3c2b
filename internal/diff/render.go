package diff

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/lockdown-dev/lockdown/internal/findings"
	"github.com/lockdown-dev/lockdown/report"
)

// Formats lists the formats Render accepts.
func Formats() []string { return []string{"table", "json", "markdown"} }

// Render writes d to w as a terminal table, JSON (lockdown.diff/v1) or
// GitHub Markdown. All account text goes through the report package's
// escaping for the medium; no line starts with account text.
func Render(w io.Writer, format string, d *Diff) error {
	switch format {
	case "json":
		return report.WriteJSON(w, d)
	case "table":
		bw := bufio.NewWriter(w)
		renderTable(bw, d)
		return bw.Flush()
	case "markdown":
		bw := bufio.NewWriter(w)
		renderMarkdown(bw, d)
		return bw.Flush()
	}
	return fmt.Errorf("unknown diff format %q (want one of %s)", format, strings.Join(Formats(), ", "))
}

var changeSign = map[string]string{Added: "+", Removed: "-", Changed: "~"}

func sideText(s Side) string {
	t := s.Kind
	if s.CollectedAt != "" {
		t += ", collected " + s.CollectedAt
	}
	return t
}

// Counts is the one-line tally: "2 new failures, 1 fixed, 0 changed, 5 IAM changes".
func Counts(d *Diff) string {
	s := fmt.Sprintf("%d new failure(s), %d fixed, %d changed", len(d.NewFindings), len(d.Fixed), len(d.Changed))
	if d.Drift != nil {
		s += fmt.Sprintf(", %d IAM change(s)", len(d.Drift))
	}
	return s
}

func renderTable(w *bufio.Writer, d *Diff) {
	t := report.TerminalText
	fmt.Fprintf(w, "lockdown diff: account %s\n", t(d.AccountID))
	fmt.Fprintf(w, "OLD: %s (%s)\n", t(d.Inputs.Old.Path), sideText(d.Inputs.Old))
	fmt.Fprintf(w, "NEW: %s (%s)\n", t(d.Inputs.New.Path), sideText(d.Inputs.New))
	result := func(sign string, r findings.Result, status string) {
		fmt.Fprintf(w, "  %s %-8s %-12s %s  %s\n", sign, r.Severity, t(r.CheckID), status, t(r.Resource.ARN))
		fmt.Fprintf(w, "      %s  (fingerprint %s)\n", t(r.Message), t(r.Fingerprint))
	}
	fmt.Fprintf(w, "\nNew failures (%d):\n", len(d.NewFindings))
	for _, r := range d.NewFindings {
		result("+", r, "FAIL")
	}
	fmt.Fprintf(w, "\nFixed (%d):\n", len(d.Fixed))
	for _, r := range d.Fixed {
		result("-", r.Result, "FAIL -> "+r.NowStatus)
	}
	fmt.Fprintf(w, "\nChanged (%d):\n", len(d.Changed))
	for _, r := range d.Changed {
		result("~", r.Result, fmt.Sprintf("%s %s -> %s %s", r.OldStatus, r.OldSeverity, r.Status, r.Severity))
	}
	if d.Drift != nil {
		fmt.Fprintf(w, "\nIAM drift (%d):\n", len(d.Drift))
		for _, x := range d.Drift {
			fmt.Fprintf(w, "  %s %-16s %s\n", changeSign[x.Change], x.Type, t(x.ARN))
			fmt.Fprintf(w, "      %s\n", t(x.Detail))
			for _, s := range x.Statements {
				fmt.Fprintf(w, "      %s statement %s\n", changeSign[s.Change], t(s.Statement))
				if s.Old != "" {
					fmt.Fprintf(w, "          was: %s\n", t(s.Old))
				}
				if s.New != "" {
					fmt.Fprintf(w, "          now: %s\n", t(s.New))
				}
			}
		}
	}
	for _, n := range d.NotCompared {
		fmt.Fprintf(w, "  not compared: %s\n", t(n))
	}
	fmt.Fprintf(w, "\n%s\n", Counts(d))
}

func renderMarkdown(w *bufio.Writer, d *Diff) {
	m := report.MarkdownText
	fmt.Fprintf(w, "## lockdown diff: account %s\n\n", m(d.AccountID))
	fmt.Fprintf(w, "OLD: %s (%s)<br>NEW: %s (%s)\n\n", m(d.Inputs.Old.Path), m(sideText(d.Inputs.Old)), m(d.Inputs.New.Path), m(sideText(d.Inputs.New)))
	fmt.Fprintf(w, "**%s**\n", m(Counts(d)))
	head := "| Severity | Check | Status | Resource | Message | Fingerprint |\n|---|---|---|---|---|---|\n"
	row := func(r findings.Result, status string) {
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s |\n", m(string(r.Severity)), m(r.CheckID), m(status), m(r.Resource.ARN), m(r.Message), m(r.Fingerprint))
	}
	if len(d.NewFindings) > 0 {
		fmt.Fprintf(w, "\n### New failures (%d)\n\n%s", len(d.NewFindings), head)
		for _, r := range d.NewFindings {
			row(r, "FAIL")
		}
	}
	if len(d.Fixed) > 0 {
		fmt.Fprintf(w, "\n### Fixed (%d)\n\n%s", len(d.Fixed), head)
		for _, r := range d.Fixed {
			row(r.Result, "FAIL -> "+r.NowStatus)
		}
	}
	if len(d.Changed) > 0 {
		fmt.Fprintf(w, "\n### Changed (%d)\n\n%s", len(d.Changed), head)
		for _, r := range d.Changed {
			row(r.Result, fmt.Sprintf("%s %s -> %s %s", r.OldStatus, r.OldSeverity, r.Status, r.Severity))
		}
	}
	if len(d.Drift) > 0 {
		fmt.Fprintf(w, "\n### IAM drift (%d)\n\n| Change | Type | ARN | Detail |\n|---|---|---|---|\n", len(d.Drift))
		for _, x := range d.Drift {
			detail := m(x.Detail)
			for _, s := range x.Statements {
				line := changeSign[s.Change] + " statement " + s.Statement
				if s.Old != "" {
					line += " was: " + s.Old
				}
				if s.New != "" {
					line += " now: " + s.New
				}
				detail += "<br>" + m(line)
			}
			fmt.Fprintf(w, "| %s | %s | %s | %s |\n", m(x.Change), m(x.Type), m(x.ARN), detail)
		}
	}
	if len(d.NotCompared) > 0 {
		fmt.Fprintf(w, "\nNot compared:\n\n")
		for _, n := range d.NotCompared {
			fmt.Fprintf(w, "- %s\n", m(n))
		}
	}
}
