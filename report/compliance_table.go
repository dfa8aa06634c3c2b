package report

import (
	"fmt"
	"strings"

	"github.com/lockdown-dev/lockdown/internal/findings"
)

// maxTableFailing caps the failing resources the table names per control;
// the JSON and Markdown reports list all of them.
const maxTableFailing = 10

// complianceOverhead is what a 4-column box table adds around its content.
const complianceOverhead = 5 + 4*2

var complianceHeader = [4]string{"CONTROL", "STATUS", "CHECKS", "TITLE"}

var controlColor = map[findings.ControlStatus]string{
	findings.ControlFail:        ansiRed,
	findings.ControlPass:        ansiGreen,
	findings.ControlNotAssessed: ansiYellow,
	findings.ControlManual:      ansiCyan,
	findings.ControlNotApplies:  ansiDim,
}

// complianceRow is one control: three escaped cells and the paragraphs of
// its last cell (title, failing resources, note), each escaped and unwrapped.
type complianceRow struct {
	status findings.ControlStatus
	cells  [3]string
	detail []string
}

func complianceRowOf(ctl findings.ControlResult) complianceRow {
	checks := "-"
	if len(ctl.Checks) > 0 {
		checks = strings.Join(ctl.Checks, ", ")
	}
	row := complianceRow{
		status: ctl.Status,
		cells:  [3]string{termText(orDash(ctl.ID)), termText(controlStatusLabel(ctl.Status)), oneLine(termText(checks))},
		detail: []string{oneLine(termText(orDash(ctl.Title)))},
	}
	if n := len(ctl.Failing); n > 0 {
		var names []string
		for i, res := range ctl.Failing {
			if i == maxTableFailing {
				names = append(names, fmt.Sprintf("(%d more in the JSON report)", n-i))
				break
			}
			names = append(names, termText(shortResource(res)))
		}
		row.detail = append(row.detail, oneLine(fmt.Sprintf("Failing (%d): %s", n, strings.Join(names, ", "))))
	}
	if note := controlNote(ctl); note != "" {
		row.detail = append(row.detail, oneLine(termText(note)))
	}
	return row
}

// writeComplianceTables writes, for each framework of Report.Compliance, a
// heading, one table row per control in the framework's order (quiet:
// failing controls and unknown statuses only) and the framework's
// denominator line, which is printed with Quiet too. Nothing is written
// without a compliance section.
func writeComplianceTables(b *strings.Builder, rep *findings.Report, width int, opts Options) error {
	if len(rep.Compliance) == 0 {
		return nil
	}
	rows := make([][]complianceRow, len(rep.Compliance))
	var all []complianceRow
	for i, c := range rep.Compliance {
		for _, ctl := range c.Controls {
			if opts.Quiet && knownControlStatus(ctl.Status) && ctl.Status != findings.ControlFail {
				continue
			}
			row := complianceRowOf(ctl)
			rows[i] = append(rows[i], row)
			all = append(all, row)
		}
	}
	// One set of widths for every framework, so the tables line up.
	widths := complianceWidths(all, width-complianceOverhead)
	for i, c := range rep.Compliance {
		head := "Compliance: " + frameworkLabel(c)
		if c.Framework != "" {
			head += " (" + c.Framework + ")"
		}
		b.WriteString("\n" + paint(opts.Color, ansiBold, wrapText(termText(head), width)) + "\n")
		if len(rows[i]) > 0 {
			if err := writeComplianceTable(b, rows[i], widths, opts.Color); err != nil {
				return err
			}
		}
		b.WriteString(wrapText(termText(denominatorLine(c)), width) + "\n")
	}
	return nil
}

func writeComplianceTable(b *strings.Builder, rows []complianceRow, widths [4]int, color bool) error {
	table := newBoxTable(b, complianceHeader[:], widths[:])
	for _, r := range rows {
		var detail []string
		for _, p := range r.detail {
			detail = append(detail, wrapText(p, widths[3]))
		}
		row := []string{
			breakText(r.cells[0], widths[0]),
			paint(color, controlColor[r.status], wrapText(r.cells[1], widths[1])),
			wrapText(r.cells[2], widths[2]),
			strings.Join(detail, "\n"),
		}
		if err := table.Append(row); err != nil {
			return fmt.Errorf("table: %w", err)
		}
	}
	if err := table.Render(); err != nil {
		return fmt.Errorf("table: %w", err)
	}
	return nil
}

// complianceWidths fits the four columns into avail characters: the control
// ID up to a sixth, the status its natural width ("NOT ASSESSED" wraps on
// narrow terminals), the checks up to a quarter of the rest, and the title
// column everything else it needs.
func complianceWidths(rows []complianceRow, avail int) [4]int {
	var natural [4]int
	for i, h := range complianceHeader {
		natural[i] = textWidth(h)
	}
	longestStatusWord := 8
	for _, r := range rows {
		for i, c := range r.cells {
			natural[i] = max(natural[i], textWidth(c))
		}
		for _, p := range r.detail {
			natural[3] = max(natural[3], textWidth(p))
		}
		for _, word := range strings.Fields(r.cells[1]) {
			longestStatusWord = max(longestStatusWord, min(textWidth(word), 14))
		}
	}
	var w [4]int
	// A status of an unknown kind may be long; it wraps.
	w[1] = min(natural[1], 14)
	if w[1] > 8 && avail < 100 {
		w[1] = min(w[1], longestStatusWord)
	}
	w[0] = min(natural[0], max(7, avail/6))
	rest := avail - w[0] - w[1]
	w[2] = min(natural[2], max(10, rest/4))
	w[3] = max(10, rest-w[2])
	if spare := w[3] - natural[3]; spare > 0 {
		// The title column needs less: the checks column may have it.
		w[3] = natural[3]
		w[2] = min(natural[2], w[2]+spare)
	}
	return w
}
