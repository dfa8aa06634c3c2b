package report

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/lockdown-dev/lockdown/internal/org"
)

// OrgFormats are the formats of the organisation summary.
func OrgFormats() []string { return []string{"table", "markdown", "json", "html"} }

// RenderOrg writes the organisation summary (lockdown audit --org,
// lockdown merge) in format: table, markdown, html (one page, no script),
// or json (the report itself).
// Account names are account data: escaped for the medium like any other.
func RenderOrg(w io.Writer, format string, rep *org.Report) error {
	var err error
	lw := &lineWriter{w: w, markdown: format == "markdown"}
	switch format {
	case "table":
		err = renderOrgTable(lw, rep)
	case "markdown":
		err = renderOrgMarkdown(lw, rep)
	case "html":
		err = renderOrgHTML(lw, rep)
	case "json":
		var data []byte
		if data, err = rep.Marshal(); err == nil {
			// As every JSON lockdown prints: controls, bidi and
			// zero-width characters in account data as \u escapes.
			_, err = lw.Write(jsonUnicodeEscape(data))
		}
	default:
		return fmt.Errorf("unknown organisation summary format %q (want one of %s)", format, strings.Join(OrgFormats(), ", "))
	}
	if err != nil {
		return err
	}
	return lw.flush()
}

// orgHeadline is the one-line summary of the organisation report.
func orgHeadline(rep *org.Report) string {
	s := rep.Summary
	shards := ""
	if len(rep.Shards) > 0 && rep.Shards[0].N > 1 {
		var ks []string
		for _, sh := range rep.Shards {
			ks = append(ks, fmt.Sprintf("%d/%d", sh.K, sh.N))
		}
		shards = ", shards " + strings.Join(ks, " ")
	}
	return fmt.Sprintf("Organization %s (management account %s%s): %d accounts audited: %d complete, %d incomplete, %d failed; %d with failing results; %d missing",
		rep.OrganizationID, rep.ManagementAccountID, shards, s.Accounts, s.Complete, s.Incomplete, s.Failed, s.Failing, s.Missing)
}

func renderOrgTable(w io.Writer, rep *org.Report) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	p := func(cells ...string) {
		for i := range cells {
			cells[i] = oneLine(termText(cells[i]))
			if cells[i] == "" {
				cells[i] = "-"
			}
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	fmt.Fprintln(tw, termText(orgHeadline(rep)))
	fmt.Fprintln(tw)
	fmt.Fprintln(tw, "ACCOUNTS (worst first; failing results by severity)")
	p("ACCOUNT", "NAME", "STATUS", "CRIT", "HIGH", "MED", "LOW", "INFO", "NOT ASSESSED", "CAUSE")
	for _, a := range rep.Accounts {
		cells := []string{a.ID, clip(a.Name, 40), a.Status}
		for _, s := range severities {
			cells = append(cells, fmt.Sprint(a.FailingBySeverity[string(s)]))
		}
		na := "-"
		if a.Summary != nil {
			na = fmt.Sprint(a.Summary.NotAssessed)
		}
		cells = append(cells, na, clip(a.Cause, 160))
		p(cells...)
	}
	if len(rep.Missing) > 0 {
		fmt.Fprintln(tw)
		fmt.Fprintf(tw, "MISSING (selected by a shard, audited by none): %s\n", termText(strings.Join(rep.Missing, ", ")))
	}
	fmt.Fprintln(tw)
	fmt.Fprintln(tw, "CHECKS (worst first; accounts by the check's verdict)")
	p("CHECK", "SEVERITY", "FAILING", "NOT ASSESSED", "PASSING", "FAILURES", "TITLE")
	for _, c := range rep.Checks {
		p(c.ID, c.Severity, fmt.Sprint(c.AccountsFailing), fmt.Sprint(c.AccountsNotAssessed), fmt.Sprint(c.AccountsPassing), fmt.Sprint(c.Failures), clip(c.Title, 70))
	}
	if len(rep.Controls) > 0 {
		fmt.Fprintln(tw)
		fmt.Fprintln(tw, "FRAMEWORK CONTROLS (worst first; accounts by the control's status)")
		p("FRAMEWORK", "CONTROL", "FAILING", "NOT ASSESSED", "PASSING", "OTHER", "TITLE")
		for _, c := range rep.Controls {
			p(c.Framework, c.ID, fmt.Sprint(c.AccountsFailing), fmt.Sprint(c.AccountsNotAssessed), fmt.Sprint(c.AccountsPassing), fmt.Sprint(c.AccountsOther), clip(c.Title, 70))
		}
	}
	return tw.Flush()
}
