package report

import (
	"fmt"
	"io"
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
	findings.Fail:        ansiRed,
	findings.Pass:        ansiGreen,
	findings.NotAssessed: ansiYellow,
}

// renderTable writes one table per guide section (failing results first)
// and a summary line. Columns are sized to fit opts.Width: messages wrap on
// word boundaries, resources are shortened to their ARN resource part and, if
// still too long, keep their tail.
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
	b.WriteString(wrapText(header, width) + "\n")
	if rep.SnapshotDigest != "" {
		b.WriteString(wrapText("Snapshot "+rep.SnapshotDigest, width) + "\n")
	}

	// Columns are sized over all shown rows so the section tables line up.
	var sections []section
	var cells [][5]string
	shown := 0
	for _, sec := range groupBySection(rep) {
		var rows []findings.Result
		for _, r := range sec.Results {
			// Quiet hides passes and NOT ASSESSED, never an unknown status.
			if opts.Quiet && (r.Status == findings.Pass || r.Status == findings.NotAssessed) {
				continue
			}
			rows = append(rows, r)
			cells = append(cells, tableCells(r))
		}
		if len(rows) > 0 {
			sections = append(sections, section{Name: sec.Name, Results: rows})
			shown += len(rows)
		}
	}
	widths := columnWidths(cells, width-tableOverhead)
	for _, sec := range sections {
		b.WriteString("\n" + paint(opts.Color, ansiBold, wrapText(sec.Name, width)) + "\n")
		if err := writeSectionTable(&b, sec.Results, widths, opts.Color); err != nil {
			return err
		}
	}
	if shown == 0 {
		if opts.Quiet {
			b.WriteString("\nNo failing checks.\n")
		} else {
			b.WriteString("\nNo results.\n")
		}
	}
	b.WriteString("\n" + wrapText(summaryLine(rep), width) + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}

var tableHeader = [5]string{"STATUS", "CHECK", "SEVERITY", "RESOURCE", "MESSAGE"}

func tableCells(r findings.Result) [5]string {
	sev := string(r.Severity)
	if sev == "" {
		sev = "-"
	}
	return [5]string{statusLabel(r.Status), r.CheckID, sev, shortResource(r.Resource), oneLine(r.Message)}
}

func writeSectionTable(w io.Writer, rows []findings.Result, widths [5]int, color bool) error {

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
	// Padding the headers to the computed widths makes every section's
	// table the same shape; no cell is wider than its column's width.
	var head []string
	for i, h := range tableHeader {
		head = append(head, h+strings.Repeat(" ", max(0, widths[i]-textWidth(h))))
	}
	table.Header(head)
	for _, r := range rows {
		c := tableCells(r)
		row := []string{
			paint(color, statusColor[r.Status], wrapText(c[0], widths[0])),
			breakText(c[1], widths[1]),
			paint(color, severityColor[r.Severity], c[2]),
			fitResource(c[3], widths[3]),
			wrapText(c[4], widths[4]),
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
		natural[0] = 8 // "NOT ASSESSED" becomes two lines
	}
	w := natural
	rest := avail - w[0] - w[2]
	// The minimums (8, 10, 10) fit exactly at minWidth.
	w[1] = min(natural[1], max(8, rest/4))
	w[3] = min(natural[3], max(10, (rest-w[1])*2/5))
	w[4] = max(10, rest-w[1]-w[3])
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
// that are longer than a line.
func wrapText(s string, width int) string {
	if width <= 0 || textWidth(s) <= width {
		return s
	}
	var lines []string
	line := ""
	for _, word := range strings.Fields(s) {
		for textWidth(word) > width {
			if line != "" {
				lines = append(lines, line)
				line = ""
			}
			head, tail := splitAtWidth(word, width)
			if i := strings.LastIndexAny(head, "-_.:/"); i > 0 && i < len(head)-1 {
				head, tail = head[:i+1], head[i+1:]+tail
			}
			lines = append(lines, head)
			word = tail
		}
		switch {
		case line == "":
			line = word
		case textWidth(line)+1+textWidth(word) <= width:
			line += " " + word
		default:
			lines = append(lines, line)
			line = word
		}
	}
	if line != "" {
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}

// breakText splits an identifier across lines of width columns, preferring
// to break after '-', '_', '.', ':' or '/'.
func breakText(s string, width int) string {
	if width <= 0 || textWidth(s) <= width {
		return s
	}
	var lines []string
	for textWidth(s) > width {
		head, tail := splitAtWidth(s, width)
		if i := strings.LastIndexAny(head, "-_.:/"); i > 0 && i < len(head)-1 {
			head, tail = head[:i+1], head[i+1:]+tail
		}
		lines = append(lines, head)
		s = tail
	}
	return strings.Join(append(lines, s), "\n")
}

// splitAtWidth splits s after at most width columns (at least one rune).
func splitAtWidth(s string, width int) (string, string) {
	used := 0
	for i, r := range s {
		rw := textWidth(string(r))
		if used+rw > width && i > 0 {
			return s[:i], s[i:]
		}
		used += rw
	}
	return s, ""
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
	return "…" + string(runes[i:])
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
