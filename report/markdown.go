package report

import (
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/lockdown-dev/lockdown/internal/findings"
)

// maxMarkdownResources caps the resources listed per failing check, and
// markdownBudget the size after which no more resource rows are listed, so
// a PR comment stays under GitHub's 65,536-character limit on large
// accounts. Every failing check still gets its heading and remediation; the
// rows left out are counted, and the JSON report has them all.
const (
	maxMarkdownResources = 50
	markdownBudget       = 48000
)

// renderMarkdown writes a GitHub-flavoured Markdown summary for PR comments
// and job summaries. Data from the account is escaped; remediation commands
// go into fenced code blocks verbatim.
func renderMarkdown(w io.Writer, rep *findings.Report, opts Options) error {
	var b strings.Builder
	s := findings.Summarize(rep.Results)
	b.WriteString("# lockdown report\n\n")
	fmt.Fprintf(&b, "| | |\n|---|---|\n")
	fmt.Fprintf(&b, "| Account | %s |\n", cell(codeSpan(orDash(rep.AccountID))+partitionSuffix(rep.Partition)))
	fmt.Fprintf(&b, "| Snapshot | %s |\n", cell(codeSpan(orDash(rep.SnapshotDigest))))
	if !rep.CollectedAt.IsZero() {
		fmt.Fprintf(&b, "| Collected | %s |\n", rep.CollectedAt.UTC().Format("2006-01-02 15:04:05 UTC"))
	}
	if rep.ToolVersion != "" {
		fmt.Fprintf(&b, "| lockdown | %s |\n", cell(escapeMarkdown(rep.ToolVersion)))
	}
	fmt.Fprintf(&b, "\n**%s**\n\n", escapeMarkdown(summaryLine(rep)))

	b.WriteString("| Severity | Failing |\n|---|---:|\n")
	for _, sev := range severities {
		fmt.Fprintf(&b, "| %s | %d |\n", severityTitle(sev), s.FailBySev[string(sev)])
	}
	fmt.Fprintf(&b, "| **Total** | **%d** |\n\n", s.Fail)

	// Failing checks, grouped by check in section order, most severe first.
	groups := groupByCheck(rep, findings.Fail)
	b.WriteString("## Failing checks\n\n")
	if len(groups) == 0 {
		b.WriteString("No check failed.\n\n")
	}
	for _, g := range groups {
		c := g.check
		fmt.Fprintf(&b, "### %s %s: %s\n\n", severityTitle(c.Severity), codeSpan(c.ID), escapeMarkdown(orDash(c.Title)))
		if c.Section != "" {
			fmt.Fprintf(&b, "Guide section: %s", escapeMarkdown(c.Section))
			if ids := controlIDs(c); ids != "" {
				fmt.Fprintf(&b, " · %s", escapeMarkdown(ids))
			}
			b.WriteString("\n\n")
		}
		b.WriteString("| Resource | Finding |\n|---|---|\n")
		for i, r := range g.results {
			if i == maxMarkdownResources || (i > 0 && b.Len() > markdownBudget) {
				fmt.Fprintf(&b, "| … | %d more in the JSON report |\n", len(g.results)-i)
				break
			}
			fmt.Fprintf(&b, "| %s | %s |\n", cell(codeSpan(resourceLabel(r.Resource))), cell(escapeMarkdown(r.Message)))
		}
		b.WriteString("\n<details><summary>Remediation</summary>\n\n")
		switch {
		case b.Len() > markdownBudget:
			b.WriteString("Left out to keep this summary within GitHub's size limits; see the documentation link, the SARIF rule help or `lockdown checks`.\n")
		case strings.TrimSpace(c.Remediation) != "":
			b.WriteString(remediationMarkdown(c.Remediation))
		default:
			b.WriteString("None documented for this check.\n")
		}
		if isAbsoluteURL(c.DocsURL) {
			fmt.Fprintf(&b, "\n[Documentation](%s)\n", markdownURL(c.DocsURL))
		}
		b.WriteString("\n</details>\n\n")
	}

	// Results with an unknown status are listed with these: they are not
	// passes either.
	na := groupByCheck(rep, findings.NotAssessed)
	for _, r := range rep.Results {
		if statusRank(r.Status) == 3 {
			r.Message = fmt.Sprintf("unknown status %q: %s", r.Status, r.Message)
			na = append(na, checkGroup{check: findings.Check{ID: r.CheckID}, results: []findings.Result{r}})
		}
	}
	if len(na) > 0 {
		b.WriteString("## Not assessed\n\n")
		b.WriteString("These checks could not be evaluated; they are not passes.\n\n")
		b.WriteString("| Check | Resource | Reason |\n|---|---|---|\n")
		for _, g := range na {
			for _, r := range g.results {
				fmt.Fprintf(&b, "| %s | %s | %s |\n", cell(codeSpan(g.check.ID)), cell(codeSpan(resourceLabel(r.Resource))), cell(escapeMarkdown(orDash(r.Message))))
			}
		}
		b.WriteString("\n")
	}

	if !opts.Quiet {
		passed := groupByCheck(rep, findings.Pass)
		if len(passed) > 0 {
			fmt.Fprintf(&b, "<details><summary>Passing checks (%d)</summary>\n\n", len(passed))
			b.WriteString("| Check | Title | Resources |\n|---|---|---:|\n")
			for _, g := range passed {
				fmt.Fprintf(&b, "| %s | %s | %d |\n", cell(codeSpan(g.check.ID)), cell(escapeMarkdown(orDash(g.check.Title))), len(g.results))
			}
			b.WriteString("\n</details>\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

type checkGroup struct {
	check   findings.Check
	results []findings.Result
}

// groupByCheck collects the results with the given status per check, in
// section order; failing checks are ordered most severe first.
func groupByCheck(rep *findings.Report, status findings.Status) []checkGroup {
	checks := rep.CheckByID()
	var out []checkGroup
	pos := map[string]int{}
	for _, sec := range groupBySection(rep) {
		for _, r := range sec.Results {
			if r.Status != status {
				continue
			}
			i, ok := pos[r.CheckID]
			if !ok {
				c, known := checks[r.CheckID]
				if !known {
					c = findings.Check{ID: r.CheckID, Title: r.Title, Severity: r.Severity}
				}
				i = len(out)
				pos[r.CheckID] = i
				out = append(out, checkGroup{check: c})
			}
			out[i].results = append(out[i].results, r)
		}
	}
	if status == findings.Fail {
		// Stable: section order is kept among checks of equal severity.
		for i := 1; i < len(out); i++ {
			for j := i; j > 0 && out[j].check.Severity.Rank() > out[j-1].check.Severity.Rank(); j-- {
				out[j], out[j-1] = out[j-1], out[j]
			}
		}
	}
	return out
}

func severityTitle(s findings.Severity) string {
	if s == "" {
		return "Unrated"
	}
	return strings.ToUpper(string(s[:1])) + string(s[1:])
}

func controlIDs(c findings.Check) string {
	var ids []string
	for _, id := range c.CIS {
		ids = append(ids, "CIS "+id)
	}
	for _, id := range c.SecurityHub {
		ids = append(ids, "Security Hub "+id)
	}
	return strings.Join(ids, ", ")
}

func resourceLabel(r findings.Resource) string {
	if r.ARN != "" {
		return r.ARN
	}
	if r.Name != "" {
		return r.Name
	}
	return "-"
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "-"
	}
	return s
}

func partitionSuffix(p string) string {
	if p == "" {
		return ""
	}
	return " (" + escapeMarkdown(p) + ")"
}

// markdownEscaper backslash-escapes the characters that GFM gives meaning
// to anywhere in a line, and neutralises raw HTML and entities.
var markdownEscaper = strings.NewReplacer(
	"\\", "\\\\", "`", "\\`", "*", "\\*", "_", "\\_", "[", "\\[", "]", "\\]",
	"|", "\\|", "~", "\\~", "!", "\\!", "#", "\\#", "@", "\\@",
	"<", "&lt;", ">", "&gt;", "&", "&amp;",
)

// lineStartRE matches what would start a block (list item, heading, quote,
// thematic break, ordered list) at the beginning of a line.
var lineStartRE = regexp.MustCompile(`^([-+=]|\d+[.)])`)

// escapeMarkdown makes text render literally inside a line of GitHub
// Markdown (a table cell, a heading, after other text). Line breaks become
// spaces so the text cannot start a new block.
func escapeMarkdown(s string) string {
	return markdownEscaper.Replace(oneLine(s))
}

// escapeParagraph is escapeMarkdown for text that starts a line, where "-",
// "+", "=" or "1." would otherwise begin a list or a heading.
func escapeParagraph(s string) string {
	s = escapeMarkdown(s)
	if m := lineStartRE.FindStringIndex(s); m != nil {
		s = s[:m[1]-1] + "\\" + s[m[1]-1:]
	}
	return s
}

// codeSpan wraps s in a code span, using a backtick fence longer than any
// backtick run inside it.
func codeSpan(s string) string {
	s = oneLine(s)
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") || len(fence) > 1 {
		return fence + " " + s + " " + fence
	}
	return fence + s + fence
}

// cell makes Markdown safe inside a GFM table cell: pipes are escaped even
// inside code spans, as GFM requires.
func cell(s string) string {
	var b strings.Builder
	prev := rune(0)
	for _, r := range s {
		if r == '|' && prev != '\\' {
			b.WriteString("\\|")
		} else {
			b.WriteRune(r)
		}
		prev = r
	}
	return b.String()
}

// markdownURL escapes the characters that would end a link destination.
func markdownURL(u string) string {
	return strings.NewReplacer(" ", "%20", "(", "%28", ")", "%29", "<", "%3C", ">", "%3E").Replace(u)
}

// remediationMarkdown renders remediation text: runs of command lines (an
// "aws ..." or "$ ..." line and its backslash continuations) become fenced
// shell blocks kept verbatim; other lines become escaped paragraphs.
func remediationMarkdown(text string) string {
	var b strings.Builder
	var cmd, para []string
	flushPara := func() {
		if len(para) > 0 {
			b.WriteString(escapeParagraph(strings.Join(para, " ")) + "\n\n")
			para = nil
		}
	}
	flushCmd := func() {
		if len(cmd) > 0 {
			body := strings.Join(cmd, "\n")
			fence := "```"
			for strings.Contains(body, fence) {
				fence += "`"
			}
			b.WriteString(fence + "sh\n" + body + "\n" + fence + "\n\n")
			cmd = nil
		}
	}
	continued := false
	for _, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		trimmed := strings.TrimSpace(line)
		switch {
		case continued || isCommandLine(trimmed):
			flushPara()
			cmd = append(cmd, strings.TrimPrefix(strings.TrimRight(line, " \t"), "$ "))
			continued = strings.HasSuffix(trimmed, "\\")
		case trimmed == "":
			flushPara()
			flushCmd()
		default:
			flushCmd()
			para = append(para, trimmed)
		}
	}
	flushPara()
	flushCmd()
	return strings.TrimRight(b.String(), "\n") + "\n"
}

func isCommandLine(s string) bool {
	return strings.HasPrefix(s, "aws ") || strings.HasPrefix(s, "$ ")
}
