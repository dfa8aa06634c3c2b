package report

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/pkg/twwidth"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"

	"github.com/lockdown-dev/lockdown/internal/findings"
)

const (
	defaultWidth = 80
	// minWidth keeps the table legible on absurdly narrow terminals; past
	// it lines are allowed to wrap in the terminal.
	minWidth = 60
	// tableOverhead is what a 5-column box table adds around its content:
	// 6 vertical borders and 1 space of padding each side of each column.
	tableOverhead = 6 + 5*2
)

// ANSI SGR colours, used only when Options.Color is set.
const (
	ansiReset   = "\x1b[0m"
	ansiBoldRed = "\x1b[1;31m"
	ansiRed     = "\x1b[31m"
	ansiYellow  = "\x1b[33m"
	ansiCyan    = "\x1b[36m"
	ansiGreen   = "\x1b[32m"
	ansiDim     = "\x1b[2m"
	ansiBold    = "\x1b[1m"
)

var severityColor = map[findings.Severity]string{
	findings.Critical: ansiBoldRed,
	findings.High:     ansiRed,
	findings.Medium:   ansiYellow,
	findings.Low:      ansiCyan,
	findings.Info:     ansiDim,
}

var statusColor = map[findings.Status]string{
	findings.Fail:          ansiRed,
	findings.Pass:          ansiGreen,
	findings.NotAssessed:   ansiYellow,
	findings.NotApplicable: ansiDim,
}

// renderTable writes one table per guide section (failing results first)
// and a summary line. Columns are sized to fit opts.Width: messages wrap on
// word boundaries, resources are shortened to their ARN resource part and, if
// still too long, keep their tail. NOT_ASSESSED and NOT_APPLICABLE results
// with the same check and message share one row that counts the resources.
// Every piece of account data is passed through termText, so the only
// escape sequences written are the colours.
func renderTable(w io.Writer, rep *findings.Report, opts Options) error {
	width := opts.Width
	if width <= 0 {
		width = defaultWidth
	}
	if width < minWidth {
		width = minWidth
	}
	var b strings.Builder
	header := "Account " + orDash(rep.AccountID)
	if rep.Partition != "" {
		header += " (" + rep.Partition + ")"
	}
	if !rep.CollectedAt.IsZero() {
		header += ", collected " + rep.CollectedAt.UTC().Format("2006-01-02 15:04 UTC")
	}
	b.WriteString(wrapText(termText(header), width) + "\n")
	if rep.SnapshotDigest != "" {
		b.WriteString(wrapText(termText("Snapshot "+rep.SnapshotDigest), width) + "\n")
	}
	if head, causes := incompleteSummary(rep); head != "" {
		b.WriteString(paint(opts.Color, ansiYellow, wrapText(head, width)) + "\n")
		for _, c := range causes {
			b.WriteString(indent(wrapText(termText(c), width-2), "  ") + "\n")
		}
	}

	// Columns are sized over all shown rows so the section tables line up.
	var sections []shownSection
	var cells [][5]string
	shown := 0
	for _, sec := range groupBySection(rep) {
		var rows []tableRow
		for _, row := range tableRows(sec.Results) {
			// Quiet hides passes, NOT ASSESSED and NOT APPLICABLE, never an
			// unknown status.
			if opts.Quiet && (row.status == findings.Pass || row.status == findings.NotAssessed || row.status == findings.NotApplicable) {
				continue
			}
			rows = append(rows, row)
			cells = append(cells, row.cells)
		}
		if len(rows) > 0 {
			sections = append(sections, shownSection{name: sec.Name, rows: rows})
			shown += len(rows)
		}
	}
	if opts.Quiet {
		sections = bySeverity(sections)
	}
	widths := columnWidths(cells, width-tableOverhead)
	for _, sec := range sections {
		b.WriteString("\n" + paint(opts.Color, ansiBold, wrapText(termText(sec.name), width)) + "\n")
		if err := writeSectionTable(&b, sec.rows, widths, opts.Color); err != nil {
			return err
		}
	}
	writeRemediationLines(&b, rep, sections, width, opts.Color)
	if shown == 0 {
		switch {
		case opts.Quiet && incomplete(rep):
			// Never a clean bill of health for an audit that is not whole.
			b.WriteString("\nNo failing checks, but the audit is incomplete (see above).\n")
		case opts.Quiet:
			b.WriteString("\nNo failing checks.\n")
		default:
			b.WriteString("\nNo results.\n")
		}
	}
	if err := writeComplianceTables(&b, rep, width, opts); err != nil {
		return err
	}
	if fixed := fixedLines(rep); len(fixed) > 0 {
		b.WriteString("\n" + paint(opts.Color, ansiBold, fmt.Sprintf("Fixed since the baseline (%d)", len(rep.Fixed))) + "\n")
		for _, l := range fixed {
			b.WriteString(indent(wrapText(termText(l), width-2), "  ") + "\n")
		}
	}
	b.WriteString("\n" + wrapText(termText(summaryLine(rep)), width) + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func indent(s, prefix string) string {
	return prefix + strings.ReplaceAll(s, "\n", "\n"+prefix)
}

var tableHeader = [5]string{"STATUS", "CHECK", "SEVERITY", "RESOURCE", "MESSAGE"}

// shownSection is one table of the output: a guide section, or under
// --quiet a severity.
type shownSection struct {
	name string
	rows []tableRow
}

// bySeverity regroups the rows --quiet shows by severity, most severe
// first (critical, high, medium, low, info, then other severities in the
// order they first appear); within a severity rows keep their order
// (guide section, then the section's order).
func bySeverity(sections []shownSection) []shownSection {
	var rows []tableRow
	for _, sec := range sections {
		rows = append(rows, sec.rows...)
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].severity.Rank() > rows[j].severity.Rank() })
	var out []shownSection
	for _, r := range rows {
		// Severities of equal rank (unknown ones) stay apart.
		merged := false
		for i := range out {
			if out[i].rows[0].severity == r.severity {
				out[i].rows = append(out[i].rows, r)
				merged = true
				break
			}
		}
		if !merged {
			out = append(out, shownSection{rows: []tableRow{r}})
		}
	}
	for i := range out {
		out[i].name = fmt.Sprintf("%s (%d)", severityTitle(out[i].rows[0].severity), len(out[i].rows))
	}
	return out
}

// maxHintIDWidth caps the column of check IDs in the remediation lines.
const maxHintIDWidth = 28

// writeRemediationLines writes, after the tables, one line of remediation
// per failing check shown (in the order the tables show them; checks whose
// every failure is waived are left out): the first step of its
// remediation (remediationStep) after the check ID when it fits the width
// there, else on a line of its own below the ID when it fits there, else
// the command that explains the check in full. Remediation text is check
// metadata: it is escaped like account text and never cut.
func writeRemediationLines(b *strings.Builder, rep *findings.Report, sections []shownSection, width int, color bool) {
	checks := rep.CheckByID()
	var ids []string
	sev := map[string]findings.Severity{}
	for _, sec := range sections {
		for _, r := range sec.rows {
			if r.status != findings.Fail || r.waived {
				continue
			}
			if _, ok := sev[r.check]; !ok {
				ids = append(ids, r.check)
				sev[r.check] = r.severity
			}
		}
	}
	if len(ids) == 0 {
		return
	}
	idWidth := 0
	for _, id := range ids {
		idWidth = max(idWidth, min(textWidth(termText(id)), maxHintIDWidth))
	}
	b.WriteString("\n" + paint(color, ansiBold, wrapText("Remediation (first step; `lockdown checks ID` explains each check in full)", width)) + "\n")
	for _, id := range ids {
		label := termText(id)
		pad := strings.Repeat(" ", max(0, idWidth-textWidth(label)))
		prefix := 2 + textWidth(label) + len(pad) + 2
		step := termText(remediationStep(checks[id].Remediation))
		hint := "lockdown checks " + label
		painted := paint(color, severityColor[sev[id]], label)
		switch {
		case step != "" && prefix+textWidth(step) <= width:
			b.WriteString("  " + painted + pad + "  " + step + "\n")
		case step != "" && 4+textWidth(step) <= width && 2+textWidth(label) <= width:
			b.WriteString("  " + painted + "\n    " + step + "\n")
		case prefix+textWidth(hint) <= width:
			b.WriteString("  " + painted + pad + "  " + hint + "\n")
		default:
			// An ID too long for the line: the ID broken to the width, and
			// the hint below it pointing at it.
			b.WriteString(indent(paint(color, severityColor[sev[id]], breakText(label, width-2)), "  ") + "\n")
			b.WriteString("    " + wrapText("lockdown checks with the ID above", width-4) + "\n")
		}
	}
}

// tableRow is one row: one result, or the NOT_ASSESSED / NOT_APPLICABLE
// results of one check that share a message.
type tableRow struct {
	status   findings.Status
	severity findings.Severity
	check    string    // the check ID, unescaped
	waived   bool      // a FAIL under a waiver in force
	cells    [5]string // escaped, unwrapped
}

// tableRows turns a section's results into rows, folding NOT_ASSESSED and
// NOT_APPLICABLE results of one check with one message into a row at the
// first one's place whose resource reads "N resources".
func tableRows(results []findings.Result) []tableRow {
	type key struct {
		status        findings.Status
		check, reason string
	}
	var rows []tableRow
	counts := map[key]int{}
	first := map[key]int{}
	for _, r := range results {
		row := tableRow{status: r.Status, severity: r.Severity, check: r.CheckID, waived: r.Waived(), cells: tableCells(r)}
		if r.Status == findings.NotAssessed || r.Status == findings.NotApplicable {
			k := key{r.Status, r.CheckID, r.Message}
			counts[k]++
			if i, ok := first[k]; ok {
				rows[i].cells[3] = fmt.Sprintf("%d resources", counts[k])
				continue
			}
			first[k] = len(rows)
		}
		rows = append(rows, row)
	}
	return rows
}

func tableCells(r findings.Result) [5]string {
	sev := string(r.Severity)
	if sev == "" {
		sev = "-"
	}
	return [5]string{
		termText(shortStatus(r)), termText(r.CheckID), termText(sev),
		termText(shortResource(r.Resource)), oneLine(termText(withWaiver(r))),
	}
}

// newBoxTable is the table every section of the terminal report uses:
// lockdown wraps and escapes the cells itself, so tablewriter neither wraps,
// trims nor reformats them. Padding the headers to the computed widths
// makes every table the same shape; no cell is wider than its column.
func newBoxTable(w io.Writer, header []string, widths []int) *tablewriter.Table {
	table := tablewriter.NewTable(w,
		tablewriter.WithRenderer(renderer.NewBlueprint()),
		tablewriter.WithEastAsian(tw.Off),
		tablewriter.WithHeaderAutoWrap(tw.WrapNone),
		tablewriter.WithRowAutoWrap(tw.WrapNone),
		tablewriter.WithHeaderAlignment(tw.AlignLeft),
		tablewriter.WithRowAlignment(tw.AlignLeft),
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithTrimSpace(tw.Off),
	)
	head := make([]string, len(header))
	for i, h := range header {
		head[i] = h + strings.Repeat(" ", max(0, widths[i]-textWidth(h)))
	}
	table.Header(head)
	return table
}

func writeSectionTable(w io.Writer, rows []tableRow, widths [5]int, color bool) error {
	table := newBoxTable(w, tableHeader[:], widths[:])
	for _, r := range rows {
		c := r.cells
		row := []string{
			paint(color, statusColor[r.status], wrapText(c[0], widths[0])),
			breakText(c[1], widths[1]),
			paint(color, severityColor[r.severity], breakText(c[2], widths[2])),
			fitResource(c[3], widths[3]),
			paint(color && r.status == findings.NotApplicable, ansiDim, wrapText(c[4], widths[4])),
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

// columnWidths fits the five columns into avail characters. Status and
// severity keep their natural width (a long status may wrap on narrow
// terminals); the check gets what it needs up to a quarter of the rest, the
// resource up to two fifths of what is left, and the message takes
// everything else. Space the message does
// not need goes back to resource, then check.
func columnWidths(cells [][5]string, avail int) [5]int {
	var natural [5]int
	for i, h := range tableHeader {
		natural[i] = textWidth(h)
	}
	for _, row := range cells {
		for i, c := range row {
			if n := textWidth(c); n > natural[i] {
				natural[i] = n
			}
		}
	}
	if natural[0] > 8 && avail < 100 {
		// "NOT ASSESSED" becomes two lines, "NOT APPLICABLE" too.
		longest := 8
		for _, row := range cells {
			for _, word := range strings.Fields(row[0]) {
				longest = max(longest, min(textWidth(word), 14))
			}
		}
		natural[0] = min(natural[0], longest)
	}
	// Severities of custom checks are free text; keep them from taking
	// the message's room.
	natural[2] = min(natural[2], 12)
	w := natural
	rest := avail - w[0] - w[2]
	// The minimums (8, 10, 10) fit exactly at minWidth.
	w[1] = min(natural[1], max(8, rest/4))
	w[3] = min(natural[3], max(10, (rest-w[1])*2/5))
	// A status column wider than 8 ("NOT APPLICABLE" needs 10) comes out of
	// the message's minimum, so the minimums still fit at minWidth.
	w[4] = max(10-max(0, w[0]-8), rest-w[1]-w[3])
	if spare := w[4] - natural[4]; spare > 0 {
		w[4] = natural[4]
		give := min(spare, natural[3]-w[3])
		w[3] += give
		spare -= give
		w[1] += min(spare, natural[1]-w[1])
	}
	return w
}

func textWidth(s string) int {
	return twwidth.WidthWithOptions(s, twwidth.Options{EastAsianWidth: false})
}

// wrapText word-wraps s to lines of at most width columns, breaking words
// that are longer than a line (preferably after '-', '_', '.', ':' or
// '/'). It is linear in the length of s.
func wrapText(s string, width int) string {
	return strings.Join(wrapLines(s, width, true, nil), "\n")
}

// breakText splits an identifier across lines of width columns, preferring
// to break after '-', '_', '.', ':' or '/'. Spaces are kept.
func breakText(s string, width int) string {
	return strings.Join(wrapLines(s, width, false, nil), "\n")
}

// wrapLines does the work of wrapText (words true) and breakText. It
// visits each byte of s a bounded number of times: every rune's width is
// computed once, and a long word is cut in chunks that each consume at
// least a third of a line, so a 300 KB cell costs a few passes over it,
// not one pass per line. work, when not nil, counts the bytes visited.
func wrapLines(s string, width int, words bool, work *int) []string {
	count := func(n int) {
		if work != nil {
			*work += n
		}
	}
	if width <= 0 {
		return []string{s}
	}
	if w := textWidth(s); w <= width {
		count(len(s))
		return []string{s}
	}
	count(len(s))
	var tokens []string
	if words {
		tokens = strings.Fields(s)
		count(len(s))
	} else {
		tokens = []string{s}
	}
	var lines []string
	var line strings.Builder
	lineWidth := 0
	flush := func() {
		if line.Len() > 0 {
			lines = append(lines, line.String())
			line.Reset()
			lineWidth = 0
		}
	}
	for _, word := range tokens {
		ww := sumWidth(word)
		count(len(word))
		for ww > width {
			flush()
			head, headWidth := prefixWithin(word, width, work)
			if st, _, ok := escapeAcross(word, len(head)); ok && st > 0 {
				// Never split a visible escape ("\u202e") across lines.
				headWidth -= sumWidth(head[st:])
				head = head[:st]
			}
			if i := strings.LastIndexAny(head, "-_.:/"); i >= len(head)/3 && i > 0 && i < len(head)-1 {
				count(len(head))
				headWidth -= sumWidth(head[i+1:])
				head = head[:i+1]
			}
			lines = append(lines, head)
			word = word[len(head):]
			ww -= headWidth
		}
		switch {
		case word == "":
		case line.Len() == 0:
			line.WriteString(word)
			lineWidth = ww
		case lineWidth+1+ww <= width:
			line.WriteString(" ")
			line.WriteString(word)
			lineWidth += 1 + ww
		default:
			flush()
			line.WriteString(word)
			lineWidth = ww
		}
	}
	flush()
	if len(lines) == 0 {
		return []string{""}
	}
	return lines
}

// prefixWithin returns the longest prefix of s at most width columns wide
// (at least one rune) and its width, visiting only that prefix.
func prefixWithin(s string, width int, work *int) (string, int) {
	used := 0
	for i, r := range s {
		rw := runeWidth(r)
		if used+rw > width && i > 0 {
			if work != nil {
				*work += i
			}
			return s[:i], used
		}
		used += rw
	}
	if work != nil {
		*work += len(s)
	}
	return s, used
}

func sumWidth(s string) int {
	n := 0
	for _, r := range s {
		n += runeWidth(r)
	}
	return n
}

func runeWidth(r rune) int {
	if r >= 0x20 && r < 0x7f {
		return 1
	}
	return textWidth(string(r))
}

// fitResource shortens a resource to width: "user/engineering/alice" becomes
// "user/…/alice" when that fits, then just "alice", otherwise the tail is
// kept ("…ministrators").
func fitResource(s string, width int) string {
	if textWidth(s) <= width {
		return s
	}
	parts := strings.Split(s, "/")
	if len(parts) >= 3 {
		short := parts[0] + "/…/" + parts[len(parts)-1]
		if textWidth(short) <= width {
			return short
		}
	}
	if last := parts[len(parts)-1]; len(parts) >= 2 && last != "" && textWidth(last) <= width {
		return last // the name alone: "Administrators"
	}
	return fitTail(s, width)
}

// fitTail keeps the end of s, the informative part of a resource name, and
// marks the cut with an ellipsis: "…:role/AdminRole".
func fitTail(s string, width int) string {
	if width <= 1 || textWidth(s) <= width {
		return s
	}
	runes := []rune(s)
	used := 1 // the ellipsis
	i := len(runes)
	for i > 0 {
		rw := textWidth(string(runes[i-1]))
		if used+rw > width {
			break
		}
		used += rw
		i--
	}
	tail := string(runes[i:])
	if _, end, ok := escapeAcross(s, len(s)-len(tail)); ok {
		tail = s[end:] // never start on half a visible escape
	}
	return "…" + tail
}

func paint(on bool, code, s string) string {
	if !on || code == "" || s == "" {
		return s
	}
	// Colour each line separately so a wrapped cell stays coloured.
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = code + l + ansiReset
	}
	return strings.Join(lines, "\n")
}
