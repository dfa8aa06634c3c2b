package report

import (
	"fmt"
	"strings"

	"github.com/lockdown-dev/lockdown/internal/findings"
)

// complianceBudget is the size past which no more failing resources of
// controls are listed, so that the failing checks after the compliance
// section keep room under markdownBudget.
const complianceBudget = 32000

// writeCompliance writes the compliance section: per framework a heading,
// its denominator line, its source, a table of every control in the
// framework's order (status, title, checks, note; quiet: failing and not
// assessed controls only) and, per failing control, every failing resource
// as far as the size limits allow (the cut note counts what was left out).
func writeCompliance(d *mdDoc, rep *findings.Report, opts Options) {
	if len(rep.Compliance) == 0 {
		return
	}
	d.WriteString("## Compliance\n\n")
	for fi, c := range rep.Compliance {
		var head strings.Builder
		fmt.Fprintf(&head, "### %s", mdName(frameworkLabel(c)))
		if c.Framework != "" {
			fmt.Fprintf(&head, " (%s)", mdCode(c.Framework))
		}
		fmt.Fprintf(&head, "\n\n**%s: %s**\n\n", mdName(frameworkLabel(c)), mdText(denominatorCounts(c)))
		if src := strings.TrimSpace(c.Source); src != "" {
			if docsLink(src) && len(src) <= maxNameBytes {
				fmt.Fprintf(&head, "[Framework source](%s)\n\n", markdownURL(src))
			} else {
				fmt.Fprintf(&head, "Source: %s\n\n", mdName(src))
			}
		}
		head.WriteString("| Control | Status | Title | Checks | Notes |\n|---|---|---|---|---|\n")
		if !d.room(head.Len() + 200) {
			n := 0
			for _, c := range rep.Compliance[fi:] {
				n += len(c.Controls)
			}
			d.drop("frameworks", len(rep.Compliance)-fi)
			d.drop("compliance controls", n)
			return
		}
		d.WriteString(head.String())
		var failing []findings.ControlResult
		for i, ctl := range c.Controls {
			if opts.Quiet && (ctl.Status == findings.ControlPass || ctl.Status == findings.ControlManual || ctl.Status == findings.ControlNotApplies) {
				continue
			}
			row := complianceMarkdownRow(ctl)
			if !d.room(len(row) + 200) {
				d.drop("compliance controls", len(c.Controls)-i)
				break
			}
			d.WriteString(row)
			if len(ctl.Failing) > 0 {
				failing = append(failing, ctl)
			}
		}
		d.WriteString("\n")
		for _, ctl := range failing {
			writeFailingResources(d, ctl)
		}
	}
}

func complianceMarkdownRow(ctl findings.ControlResult) string {
	status := escapeMarkdown(controlStatusLabel(ctl.Status))
	if ctl.Status == findings.ControlFail {
		status = "**" + status + "**"
	}
	checks := "-"
	if len(ctl.Checks) > 0 {
		parts := make([]string, len(ctl.Checks))
		for i, id := range ctl.Checks {
			parts[i] = mdCode(id)
		}
		checks = strings.Join(parts, ", ")
	}
	var notes []string
	if n := len(ctl.Failing); n > 0 {
		notes = append(notes, fmt.Sprintf("%s failing (listed below)", plural(n, "resource")))
	}
	if note := controlNote(ctl); note != "" {
		notes = append(notes, mdText(note))
	}
	if len(notes) == 0 {
		notes = append(notes, "-")
	}
	return fmt.Sprintf("| %s | %s | %s | %s | %s |\n", cell(mdCode(orDash(ctl.ID))), status,
		cell(mdName(orDash(ctl.Title))), cell(checks), cell(strings.Join(notes, "; ")))
}

// writeFailingResources lists every failing resource of a control, one
// code span per line in a collapsed block, while the compliance budget and
// the hard limit allow.
func writeFailingResources(d *mdDoc, ctl findings.ControlResult) {
	open := fmt.Sprintf("<details><summary>Failing resources of %s (%d)</summary>\n\n", escapeMarkdown(clip(orDash(ctl.ID), maxNameBytes)), len(ctl.Failing))
	const tail = 200
	if d.Len()+len(open)+tail > complianceBudget || !d.room(len(open)+tail) {
		d.drop("compliance resource rows", len(ctl.Failing))
		return
	}
	d.WriteString(open)
	for i, res := range ctl.Failing {
		line := "- " + mdCode(resourceLabel(res)) + "\n"
		if d.Len()+len(line)+tail > complianceBudget || !d.room(len(line)+tail) {
			fmt.Fprintf(d, "- … %d more in the JSON report\n", len(ctl.Failing)-i)
			d.drop("compliance resource rows", len(ctl.Failing)-i)
			break
		}
		d.WriteString(line)
	}
	d.WriteString("\n</details>\n\n")
}
