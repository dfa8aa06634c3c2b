package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/lockdown-dev/lockdown/internal/org"
)

// maxOrgMarkdownRows caps each table of the Markdown organisation summary
// (worst first), so it fits a pull-request comment or a job summary; the
// JSON report lists everything.
const maxOrgMarkdownRows = 150

func renderOrgMarkdown(w io.Writer, rep *org.Report) error {
	var b strings.Builder
	b.WriteString("## lockdown organisation audit\n\n")
	b.WriteString(escapeParagraph(orgHeadline(rep)) + "\n\n")
	more := func(n int, what string) {
		if n > maxOrgMarkdownRows {
			fmt.Fprintf(&b, "\n%d more %s in organization.json.\n", n-maxOrgMarkdownRows, what)
		}
	}
	b.WriteString("### Accounts (worst first)\n\n")
	b.WriteString("| Account | Name | Status | Critical | High | Medium | Low | Info | Not assessed | Cause |\n")
	b.WriteString("|---|---|---|---:|---:|---:|---:|---:|---:|---|\n")
	for i, a := range rep.Accounts {
		if i == maxOrgMarkdownRows {
			break
		}
		cells := []string{mdCode(a.ID), mdName(oneLine(a.Name)), a.Status}
		for _, s := range severities {
			cells = append(cells, fmt.Sprint(a.FailingBySeverity[string(s)]))
		}
		na := "-"
		if a.Summary != nil {
			na = fmt.Sprint(a.Summary.NotAssessed)
		}
		cells = append(cells, na, mdText(oneLine(a.Cause)))
		for i := range cells {
			cells[i] = cell(cells[i])
		}
		b.WriteString("| " + strings.Join(cells, " | ") + " |\n")
	}
	more(len(rep.Accounts), "accounts")
	if len(rep.Missing) > 0 {
		b.WriteString("\n**Missing** (selected by a shard, audited by none): " + mdText(strings.Join(rep.Missing, ", ")) + "\n")
	}
	b.WriteString("\n### Checks (worst first)\n\n")
	b.WriteString("| Check | Severity | Accounts failing | Not assessed | Passing | Failures | Title |\n")
	b.WriteString("|---|---|---:|---:|---:|---:|---|\n")
	for i, c := range rep.Checks {
		if i == maxOrgMarkdownRows {
			break
		}
		fmt.Fprintf(&b, "| %s | %s | %d | %d | %d | %d | %s |\n", cell(mdCode(c.ID)), mdName(c.Severity), c.AccountsFailing, c.AccountsNotAssessed, c.AccountsPassing, c.Failures, cell(mdName(oneLine(c.Title))))
	}
	more(len(rep.Checks), "checks")
	if len(rep.Controls) > 0 {
		b.WriteString("\n### Framework controls (worst first)\n\n")
		b.WriteString("| Framework | Control | Accounts failing | Not assessed | Passing | Other | Title |\n")
		b.WriteString("|---|---|---:|---:|---:|---:|---|\n")
		for i, c := range rep.Controls {
			if i == maxOrgMarkdownRows {
				break
			}
			fmt.Fprintf(&b, "| %s | %s | %d | %d | %d | %d | %s |\n", cell(mdName(c.Framework)), cell(mdCode(c.ID)), c.AccountsFailing, c.AccountsNotAssessed, c.AccountsPassing, c.AccountsOther, cell(mdName(oneLine(c.Title))))
		}
		more(len(rep.Controls), "controls")
	}
	_, err := io.WriteString(w, b.String())
	return err
}
