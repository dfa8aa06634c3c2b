package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/lockdown-dev/lockdown/internal/findings"
)

// maxMarkdownResources caps the resources listed per failing check, and
// markdownBudget the size after which no more resource rows, evidence or
// remediation blocks are listed. markdownLimit is GitHub's limit of 65,536
// characters per comment; the whole document, header included, stays
// within it for any input (sizes are counted in bytes, which are never
// fewer than characters), and a closing note says what was cut. Every
// piece of account text is clipped before it is escaped, so one huge name
// cannot take the whole budget.
const (
	maxMarkdownResources = 50
	markdownBudget       = 48000
	markdownLimit        = 65536
	// markdownReserve is kept free for closing tags and the cut note.
	markdownReserve = 2048
	// maxNameBytes and maxTextBytes clip names (IDs, ARNs, titles) and
	// free text (messages, causes, evidence lines) before escaping.
	maxNameBytes = 300
	maxTextBytes = 1000
	// maxListedResources are named per NOT_ASSESSED / NOT_APPLICABLE row.
	maxListedResources = 3
)

// mdDoc is the Markdown being built and what had to be left out of it.
type mdDoc struct {
	strings.Builder
	cut map[string]int
}

// room reports whether n more bytes fit under the hard limit.
func (d *mdDoc) room(n int) bool { return d.Len()+n <= markdownLimit-markdownReserve }

// soft reports whether n more bytes fit under the soft budget (and so the
// hard limit).
func (d *mdDoc) soft(n int) bool { return d.Len()+n <= markdownBudget && d.room(n) }

func (d *mdDoc) drop(what string, n int) {
	if n > 0 {
		d.cut[what] += n
	}
}

// mdName and mdText escape account data for inline Markdown after clipping
// it; mdCode makes a clipped code span.
func mdName(s string) string { return escapeMarkdown(clip(s, maxNameBytes)) }
func mdText(s string) string { return escapeMarkdown(clip(s, maxTextBytes)) }
func mdCode(s string) string { return codeSpan(clip(s, maxNameBytes)) }

// renderMarkdown writes a GitHub-flavoured Markdown summary for PR comments
// and job summaries. Data from the account is escaped; remediation commands
// go into fenced code blocks verbatim (controls escaped).
func renderMarkdown(w io.Writer, rep *findings.Report, opts Options) error {
	d := &mdDoc{cut: map[string]int{}}
	s := findings.Summarize(rep.Results)
	d.WriteString("# lockdown report\n\n")
	d.WriteString("| | |\n|---|---|\n")
	partition := ""
	if rep.Partition != "" {
		partition = " (" + mdName(rep.Partition) + ")"
	}
	fmt.Fprintf(d, "| Account | %s |\n", cell(mdCode(orDash(rep.AccountID))+partition))
	fmt.Fprintf(d, "| Snapshot | %s |\n", cell(mdCode(orDash(rep.SnapshotDigest))))
	if !rep.CollectedAt.IsZero() {
		fmt.Fprintf(d, "| Collected | %s |\n", rep.CollectedAt.UTC().Format("2006-01-02 15:04:05 UTC"))
	}
	if rep.ToolVersion != "" {
		fmt.Fprintf(d, "| lockdown | %s |\n", cell(mdName(rep.ToolVersion)))
	}
	if head, causes := incompleteSummary(rep); head != "" {
		fmt.Fprintf(d, "\n**%s**\n\n", escapeMarkdown(head))
		for i, c := range causes {
			line := "- " + mdText(c) + "\n"
			if !d.room(len(line)) || d.Len() > markdownBudget/4 {
				d.drop("incompleteness causes", len(causes)-i)
				break
			}
			d.WriteString(line)
		}
	}
	fmt.Fprintf(d, "\n**%s**\n\n", mdText(summaryLine(rep)))

	d.WriteString("| Severity | Failing |\n|---|---:|\n")
	for _, sev := range severities {
		fmt.Fprintf(d, "| %s | %d |\n", severityTitle(sev), s.FailBySev[string(sev)])
	}
	fmt.Fprintf(d, "| **Total** | **%d** |\n\n", s.Fail)

	// The frameworks asked for with --framework, before the failing checks.
	writeCompliance(d, rep, opts)

	// Failing checks, grouped by check in section order, most severe first.
	groups := groupByCheck(rep, findings.Fail)
	d.WriteString("## Failing checks\n\n")
	switch {
	case len(groups) == 0 && incomplete(rep):
		d.WriteString("No check failed, but the audit is incomplete (see above): this is not a clean result.\n\n")
	case len(groups) == 0:
		d.WriteString("No check failed.\n\n")
	}
	for gi, g := range groups {
		if !writeFailingCheck(d, g) {
			n := 0
			for _, g := range groups[gi:] {
				n += len(g.results)
			}
			d.drop("failing checks", len(groups)-gi)
			d.drop("failing results", n)
			break
		}
	}

	// Results with an unknown status are listed with these: they are not
	// passes either.
	na := groupByCheck(rep, findings.NotAssessed)
	for _, r := range rep.Results {
		if !knownStatus(r.Status) {
			r.Message = fmt.Sprintf("unknown status %q: %s", r.Status, r.Message)
			na = append(na, checkGroup{check: findings.Check{ID: r.CheckID}, results: []findings.Result{r}})
		}
	}
	if len(na) > 0 {
		writeReasonSection(d, "Not assessed", "These checks could not be evaluated; they are not passes.", "not-assessed rows", na)
	}
	if len(rep.Fixed) > 0 {
		fmt.Fprintf(d, "## Fixed since the baseline (%d)\n\n", len(rep.Fixed))
		for i, l := range fixedLines(rep) {
			line := "- " + mdText(l) + "\n"
			if !d.room(len(line)) {
				d.drop("fixed findings", len(rep.Fixed)-i)
				break
			}
			d.WriteString(line)
		}
		d.WriteString("\n")
	}
	if !opts.Quiet {
		if nap := groupByCheck(rep, findings.NotApplicable); len(nap) > 0 {
			writeReasonSection(d, "Not applicable", "These checks had nothing to judge here; they are neither passes nor failures.", "not-applicable rows", nap)
		}
		passed := passingChecks(rep)
		if len(passed) > 0 {
			fmt.Fprintf(d, "<details><summary>Passing checks (%d)</summary>\n\n", len(passed))
			d.WriteString("| Check | Title | Resources |\n|---|---|---:|\n")
			for i, g := range passed {
				row := fmt.Sprintf("| %s | %s | %d |\n", cell(mdCode(g.check.ID)), cell(mdName(orDash(g.check.Title))), len(g.results))
				if !d.room(len(row)) {
					d.drop("passing checks", len(passed)-i)
					break
				}
				d.WriteString(row)
			}
			d.WriteString("\n</details>\n")
		}
	}
	writeCutNote(d)
	_, err := io.WriteString(w, d.String())
	return err
}

// writeFailingCheck writes one failing check: heading, resource rows, the
// evidence and the remediation, each as far as the budget allows. It
// returns false, writing nothing, when not even the heading fits.
func writeFailingCheck(d *mdDoc, g checkGroup) bool {
	c := g.check
	var head strings.Builder
	fmt.Fprintf(&head, "### %s %s: %s\n\n", escapeMarkdown(clip(severityTitle(c.Severity), 40)), mdCode(c.ID), mdName(orDash(c.Title)))
	if c.Section != "" {
		fmt.Fprintf(&head, "Guide section: %s", mdName(c.Section))
		if ids := controlIDs(c); ids != "" {
			fmt.Fprintf(&head, " · %s", mdText(ids))
		}
		head.WriteString("\n\n")
	}
	head.WriteString("| Resource | Finding |\n|---|---|\n")
	// The heading, one "more" row and the closed remediation pointer.
	const tail = 600
	if !d.room(head.Len() + tail) {
		return false
	}
	d.WriteString(head.String())
	for i, r := range g.results {
		finding := mdText(r.Message)
		if annotated(r) {
			finding = "**" + mdText(statusText(r)) + "** " + finding
		}
		row := fmt.Sprintf("| %s | %s |\n", cell(mdCode(resourceLabel(r.Resource))), cell(finding))
		if i == maxMarkdownResources || !d.soft(len(row)) || !d.room(len(row)+tail) {
			fmt.Fprintf(d, "| … | %d more in the JSON report |\n", len(g.results)-i)
			d.drop("resource rows", len(g.results)-i)
			break
		}
		d.WriteString(row)
	}
	d.WriteString("\n")

	var withEvidence []findings.Result
	for _, r := range g.results {
		if r.Evidence != nil {
			withEvidence = append(withEvidence, r)
		}
	}
	if len(withEvidence) > 0 {
		open := fmt.Sprintf("<details><summary>Evidence (%s)</summary>\n\n", plural(len(withEvidence), "result"))
		if !d.soft(len(open) + tail) {
			d.drop("evidence blocks", len(withEvidence))
		} else {
			d.WriteString(open)
			for i, r := range withEvidence {
				block := evidenceMarkdown(r)
				if !d.soft(len(block) + tail) {
					fmt.Fprintf(d, "Evidence of %s left out; the JSON report has it.\n\n", plural(len(withEvidence)-i, "more result"))
					d.drop("evidence blocks", len(withEvidence)-i)
					break
				}
				d.WriteString(block)
			}
			d.WriteString("</details>\n\n")
		}
	}

	d.WriteString("<details><summary>Remediation</summary>\n\n")
	rem := "None documented for this check.\n"
	if strings.TrimSpace(c.Remediation) != "" {
		rem = remediationMarkdown(c.Remediation)
	}
	link := ""
	if docsLink(c.DocsURL) && len(c.DocsURL) <= maxNameBytes {
		link = fmt.Sprintf("\n[Documentation](%s)\n", markdownURL(c.DocsURL))
	}
	if !d.soft(len(rem) + len(link) + tail) {
		d.WriteString("Left out for size; see `lockdown checks` or the SARIF rule help.\n")
		d.drop("remediation blocks", 1)
	} else {
		d.WriteString(rem)
	}
	if d.room(len(link) + tail) {
		d.WriteString(link)
	}
	d.WriteString("\n</details>\n\n")
	return true
}

// evidenceMarkdown is one result's evidence: its resource, then one line
// per evidence kind in a fenced block (every line starts with its label).
// An item that is a JSON document (a policy, say) is named on its line and
// shown indented in a json block of its own after them.
func evidenceMarkdown(r findings.Result) string {
	var body strings.Builder
	var docs []string
	for _, f := range evidenceFields(r.Evidence) {
		parts := make([]string, len(f.items))
		for i, it := range f.items {
			if doc, ok := policyJSON(it); ok {
				docs = append(docs, doc)
				parts[i] = fmt.Sprintf("(JSON document %d, below)", len(docs))
				continue
			}
			parts[i] = oneLine(escapeControls(it))
		}
		fmt.Fprintf(&body, "%s: %s\n", f.label, strings.Join(parts, ", "))
	}
	text := body.String()
	if text == "" {
		text = "(no evidence recorded)\n"
	}
	fence := codeFence(text)
	out := mdCode(resourceWithDetail(r)) + "\n\n" + fence + "text\n" + text + fence + "\n\n"
	for _, doc := range docs {
		fence := codeFence(doc)
		out += fence + "json\n" + doc + "\n" + fence + "\n\n"
	}
	return out
}

// writeReasonSection lists NOT_ASSESSED (or NOT_APPLICABLE) results once
// per check and reason, with the number of resources and the first few.
func writeReasonSection(d *mdDoc, title, intro, what string, groups []checkGroup) {
	fmt.Fprintf(d, "## %s\n\n%s\n\n", title, intro)
	d.WriteString("| Check | Reason | Resources |\n|---|---|---|\n")
	type row struct {
		check, reason string
		resources     []findings.Resource
	}
	var rows []row
	for _, g := range groups {
		pos := map[string]int{}
		for _, r := range g.results {
			i, ok := pos[r.Message]
			if !ok {
				i = len(rows)
				pos[r.Message] = i
				rows = append(rows, row{check: g.check.ID, reason: r.Message})
			}
			rows[i].resources = append(rows[i].resources, r.Resource)
		}
	}
	for i, r := range rows {
		var names []string
		for j, res := range r.resources {
			if j == maxListedResources {
				names = append(names, fmt.Sprintf("and %d more", len(r.resources)-j))
				break
			}
			names = append(names, mdCode(resourceLabel(res)))
		}
		line := fmt.Sprintf("| %s | %s | %s: %s |\n", cell(mdCode(r.check)), cell(mdText(orDash(r.reason))),
			plural(len(r.resources), "resource"), cell(strings.Join(names, ", ")))
		if !d.room(len(line)) {
			d.drop(what, len(rows)-i)
			break
		}
		d.WriteString(line)
	}
	d.WriteString("\n")
}

// writeCutNote says what the size budget left out, if anything.
func writeCutNote(d *mdDoc) {
	if len(d.cut) == 0 {
		return
	}
	var parts []string
	for _, what := range []string{"incompleteness causes", "frameworks", "compliance controls", "compliance resource rows", "failing checks", "failing results", "resource rows", "evidence blocks",
		"remediation blocks", "fixed findings", "not-assessed rows", "not-applicable rows", "passing checks"} {
		if n := d.cut[what]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, what))
		}
	}
	fmt.Fprintf(d, "\n---\n\n**Cut to stay within GitHub's limit of %d characters per comment:** %s left out. The JSON report has everything.\n",
		markdownLimit, strings.Join(parts, ", "))
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

// passingChecks are the checks every one of whose results passed: a check
// that failed, could not be assessed, did not apply or has a result of an
// unknown status on any resource is not a passing check, however many
// resources it passed on.
func passingChecks(rep *findings.Report) []checkGroup {
	other := map[string]bool{}
	for _, r := range rep.Results {
		if r.Status != findings.Pass {
			other[r.CheckID] = true
		}
	}
	var out []checkGroup
	for _, g := range groupByCheck(rep, findings.Pass) {
		if !other[g.check.ID] {
			out = append(out, g)
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
