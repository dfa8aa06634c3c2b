package report

// The single-file HTML report: one page that works offline and can be
// attached to a ticket. Everything is inline (CSS, JS, SVG charts), and a
// Content-Security-Policy meta tag allows only the page's own style and
// script (by hash) and data: images, so no request leaves the page.
//
// The page reads without JavaScript: the overview, the framework controls
// and the failing findings (the first htmlMaxStatic of them, with their
// evidence and remediation) are server-rendered. All results are also in
// one JSON data block, which the script turns into a filterable,
// searchable, paginated list; it only ever builds DOM nodes with
// textContent, never markup.

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"sort"
	"strings"

	"github.com/lockdown-dev/lockdown/internal/findings"
)

//go:embed html/report.html.tmpl
var htmlTemplateText string

//go:embed html/report.css
var htmlCSS string

//go:embed html/report.js
var htmlJS string

// htmlMaxStatic caps the failing results written as HTML for readers
// without JavaScript; the data block always holds every result.
const htmlMaxStatic = 500

var htmlTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"statusClass": htmlStatusClass,
	"sevClass":    htmlSevClass,
}).Parse(htmlTemplateText))

// htmlCSP is the page's Content-Security-Policy: nothing may be fetched,
// only the inline style and script with these hashes apply, images only
// from data: URLs.
func htmlCSP() string {
	return "default-src 'none'; script-src " + cspHash(htmlJS) + "; style-src " + cspHash(htmlCSS) +
		"; img-src data:; base-uri 'none'; form-action 'none'"
}

// cspHash is a Content-Security-Policy source allowing exactly inline s.
func cspHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}

type htmlPage struct {
	CSP        string
	CSS        template.CSS
	JS         template.JS
	Data       template.JS
	Account    string
	Partition  string
	Digest     string
	Collected  string
	Tool       string
	Catalog    string
	Summary    string
	Incomplete string
	Causes     []string
	Totals     findings.Summary
	Sections   htmlChart
	Severities htmlChart
	Frameworks []htmlFramework
	Failing    []htmlGroup
	FailTotal  int
	Shown      int
	Omitted    int
	Checks     []htmlOption
	Controls   []htmlOption
	Fixed      []string
}

type htmlOption struct{ Value, Label string }

// htmlChart is a horizontal stacked bar chart: one row per label, one
// segment per status, scaled to the largest row.
type htmlChart struct {
	Title  string
	Label  string // aria label
	Height int
	Rows   []htmlBar
}

type htmlBar struct {
	Label  string
	Short  string // the label as the chart shows it
	Y      int
	TextY  int
	TotalX int
	Total  int
	Segs   []htmlSeg
	Text   string // the counts in words
}

type htmlSeg struct {
	Class string
	Name  string
	Count int
	X     int
	Width int
}

type htmlFramework struct {
	Label    string
	Source   string
	Counts   string
	Chart    htmlChart
	Controls []htmlControl
}

type htmlControl struct {
	ID, Title, Level, Status, Class, Checks, Note, Results string
	Failing                                                []string
	More                                                   int
	Bar                                                    []htmlSeg // the control's results by status, 120 units wide
}

type htmlGroup struct {
	ID, Title, Severity, Section, Docs, Controls string
	Remediation                                  []htmlBlock
	Total                                        int
	Results                                      []htmlResult
}

type htmlBlock struct {
	Kind string `json:"k"` // p (paragraph), cmd (shell commands), console (console path)
	Text string `json:"t"`
}

type htmlResult struct {
	Resource, Message, Status, Detail string
	Evidence                          []htmlNode
}

// htmlNode is one piece of evidence, rendered generically from the
// evidence's JSON form: a labelled field, a list or a text value.
type htmlNode struct {
	Key    string
	Text   string
	IsText bool
	Items  []htmlNode // a list
	Fields []htmlNode // an object
}

// Chart geometry (SVG user units).
const (
	htmlChartLabelW = 200
	htmlChartBarW   = 420
	htmlChartRowH   = 28
)

var htmlStatuses = []struct {
	status findings.Status
	class  string
	name   string
}{
	{findings.Fail, "fail", "fail"},
	{findings.NotAssessed, "na", "not assessed"},
	{findings.Pass, "pass", "pass"},
	{findings.NotApplicable, "napp", "not applicable"},
}

func htmlStatusClass(s string) string {
	switch s {
	case string(findings.Fail):
		return "fail"
	case string(findings.Pass):
		return "pass"
	case string(findings.NotAssessed), "NOT ASSESSED":
		return "na"
	case string(findings.NotApplicable), "NOT APPLICABLE", "MANUAL":
		return "napp"
	}
	return "other"
}

func htmlSevClass(s string) string {
	if findings.Severity(s).Rank() > 0 {
		return "sev-" + s
	}
	return "sev-other"
}

// htmlText is account (or check) text as the page shows it: controls and
// invisible characters as visible escapes, as in every other format;
// html/template escapes it for its context.
func htmlText(s string) string { return escapeControls(s) }

func renderHTML(w io.Writer, rep *findings.Report, opts Options) error {
	page := htmlPage{
		CSP:       htmlCSP(),
		CSS:       template.CSS(htmlCSS),
		JS:        template.JS(htmlJS),
		Account:   htmlText(orDash(rep.AccountID)),
		Partition: htmlText(rep.Partition),
		Digest:    htmlText(orDash(rep.SnapshotDigest)),
		Tool:      htmlText(orDash(rep.ToolVersion)),
		Catalog:   htmlText(rep.CatalogVersion),
		Summary:   htmlText(summaryLine(rep)),
		Totals:    findings.Summarize(rep.Results),
	}
	if !rep.CollectedAt.IsZero() {
		page.Collected = rep.CollectedAt.UTC().Format("2006-01-02 15:04:05 UTC")
	}
	head, causes := incompleteSummary(rep)
	page.Incomplete = htmlText(head)
	for _, c := range causes {
		page.Causes = append(page.Causes, htmlText(c))
	}
	for _, line := range fixedLines(rep) {
		page.Fixed = append(page.Fixed, htmlText(line))
	}

	sections := groupBySection(rep)
	page.Sections = htmlSectionChart(sections)
	page.Severities = htmlSeverityChart(rep.Results)
	for _, c := range rep.Compliance {
		page.Frameworks = append(page.Frameworks, htmlFrameworkView(c))
	}
	page.Failing, page.FailTotal, page.Shown = htmlFailingGroups(rep)
	page.Omitted = page.FailTotal - page.Shown

	data, checks, controls, err := htmlData(rep, sections)
	if err != nil {
		return err
	}
	page.Data = template.JS(data)
	page.Checks, page.Controls = checks, controls

	var buf bytes.Buffer
	if err := htmlTemplate.Execute(&buf, page); err != nil {
		return fmt.Errorf("render html: %w", err)
	}
	_, err = w.Write(buf.Bytes())
	return err
}

func htmlSectionChart(sections []section) htmlChart {
	var rows []htmlBar
	for _, s := range sections {
		rows = append(rows, htmlBarOf(htmlText(s.Name), htmlCountStatuses(s.Results)))
	}
	return htmlLayout("Results by guide section", rows)
}

func htmlSeverityChart(results []findings.Result) htmlChart {
	by := map[findings.Severity][]findings.Result{}
	var unknown []string
	for _, r := range results {
		if r.Severity.Rank() == 0 {
			if _, ok := by[r.Severity]; !ok {
				unknown = append(unknown, string(r.Severity))
			}
		}
		by[r.Severity] = append(by[r.Severity], r)
	}
	sort.Strings(unknown)
	var rows []htmlBar
	for _, sev := range severities {
		if rs := by[sev]; len(rs) > 0 {
			rows = append(rows, htmlBarOf(string(sev), htmlCountStatuses(rs)))
		}
	}
	for _, name := range unknown {
		label := name
		if label == "" {
			label = "unrated"
		}
		rows = append(rows, htmlBarOf(htmlText(label), htmlCountStatuses(by[findings.Severity(name)])))
	}
	return htmlLayout("Results by severity", rows)
}

// htmlCountStatuses counts results per status class, in htmlStatuses
// order, then "other" for unknown statuses.
func htmlCountStatuses(rs []findings.Result) []htmlSeg {
	counts := map[findings.Status]int{}
	other := 0
	for _, r := range rs {
		if knownStatus(r.Status) {
			counts[r.Status]++
		} else {
			other++
		}
	}
	var segs []htmlSeg
	for _, s := range htmlStatuses {
		segs = append(segs, htmlSeg{Class: s.class, Name: s.name, Count: counts[s.status]})
	}
	return append(segs, htmlSeg{Class: "other", Name: "unknown status", Count: other})
}

func htmlBarOf(label string, segs []htmlSeg) htmlBar {
	b := htmlBar{Label: label}
	var words []string
	for _, s := range segs {
		b.Total += s.Count
		if s.Count > 0 {
			if s.Name == "control" {
				words = append(words, plural(s.Count, s.Name))
			} else {
				words = append(words, fmt.Sprintf("%d %s", s.Count, s.Name))
			}
		}
	}
	b.Segs = segs
	b.Text = strings.Join(words, ", ")
	if b.Text == "" {
		b.Text = "none"
	}
	return b
}

// htmlLayout places the rows and scales the segments to the widest row.
func htmlLayout(title string, rows []htmlBar) htmlChart {
	maxTotal := 0
	for _, r := range rows {
		maxTotal = max(maxTotal, r.Total)
	}
	for i := range rows {
		rows[i].Y = i*htmlChartRowH + 4
		rows[i].TextY = rows[i].Y + 15
		x := htmlChartLabelW
		var segs []htmlSeg
		for _, s := range rows[i].Segs {
			if s.Count == 0 {
				continue
			}
			s.X = x
			s.Width = max(1, s.Count*htmlChartBarW/max(1, maxTotal))
			x += s.Width
			segs = append(segs, s)
		}
		rows[i].Segs = segs
		rows[i].TotalX = x + 6
		rows[i].Short = rows[i].Label
		if r := []rune(rows[i].Short); len(r) > 28 {
			// Cut before a visible escape (\u202e...) rather than in it.
			cut := len(string(r[:27]))
			if st, _, ok := escapeAcross(rows[i].Short, cut); ok {
				cut = st
			}
			rows[i].Short = rows[i].Short[:cut] + "…"
		}
	}
	return htmlChart{Title: title, Label: title, Height: len(rows)*htmlChartRowH + 8, Rows: rows}
}

func htmlFrameworkView(c findings.Compliance) htmlFramework {
	f := htmlFramework{Label: htmlText(frameworkLabel(c)), Counts: htmlText(denominatorCounts(c))}
	if docsLink(c.Source) {
		f.Source = c.Source
	}
	counts := map[string]int{}
	var order []string
	for _, ctl := range c.Controls {
		label := controlStatusLabel(ctl.Status)
		if counts[label] == 0 {
			order = append(order, label)
		}
		counts[label]++
		hc := htmlControl{
			ID: htmlText(orDash(ctl.ID)), Title: htmlText(ctl.Title), Level: htmlText(ctl.Level),
			Status: htmlText(label), Class: htmlStatusClass(label),
			Checks: htmlText(strings.Join(ctl.Checks, ", ")), Note: htmlText(controlNote(ctl)),
			Results: resultCountsLine(ctl.Results),
		}
		x := 0
		for _, seg := range []htmlSeg{
			{Class: "fail", Count: ctl.Results.Fail}, {Class: "na", Count: ctl.Results.NotAssessed},
			{Class: "pass", Count: ctl.Results.Pass}, {Class: "napp", Count: ctl.Results.NotApplicable},
		} {
			total := ctl.Results.Fail + ctl.Results.NotAssessed + ctl.Results.Pass + ctl.Results.NotApplicable
			if seg.Count <= 0 || total <= 0 {
				continue
			}
			seg.X, seg.Width = x, max(1, seg.Count*120/total)
			x += seg.Width
			hc.Bar = append(hc.Bar, seg)
		}
		for i, res := range ctl.Failing {
			if i == 10 {
				hc.More = len(ctl.Failing) - i
				break
			}
			hc.Failing = append(hc.Failing, htmlText(clip(resourceLabel(res), maxNameBytes)))
		}
		f.Controls = append(f.Controls, hc)
	}
	// One bar per control status: how many controls have it.
	rank := map[string]int{"FAIL": 0, "NOT ASSESSED": 1, "PASS": 2, "NOT APPLICABLE": 3, "MANUAL": 4}
	sort.SliceStable(order, func(i, j int) bool {
		ri, ok := rank[order[i]]
		if !ok {
			ri = 5
		}
		rj, ok := rank[order[j]]
		if !ok {
			rj = 5
		}
		return ri < rj
	})
	var rows []htmlBar
	for _, label := range order {
		class := htmlStatusClass(label)
		rows = append(rows, htmlBarOf(htmlText(label), []htmlSeg{{Class: class, Name: "control", Count: counts[label]}}))
	}
	f.Chart = htmlLayout("Controls by status: "+f.Label, rows)
	return f
}

// htmlFailingGroups is the failing results by check, most severe check
// first, at most htmlMaxStatic results in all.
func htmlFailingGroups(rep *findings.Report) ([]htmlGroup, int, int) {
	checks := rep.CheckByID()
	byCheck := map[string][]findings.Result{}
	var ids []string
	for _, r := range rep.Results {
		if r.Status != findings.Fail {
			continue
		}
		if _, ok := byCheck[r.CheckID]; !ok {
			ids = append(ids, r.CheckID)
		}
		byCheck[r.CheckID] = append(byCheck[r.CheckID], r)
	}
	catalogue := map[string]int{}
	for i, c := range rep.Checks {
		catalogue[c.ID] = i
	}
	pos := func(id string) int {
		if i, ok := catalogue[id]; ok {
			return i
		}
		return len(rep.Checks)
	}
	sort.SliceStable(ids, func(i, j int) bool {
		si, sj := byCheck[ids[i]][0].Severity.Rank(), byCheck[ids[j]][0].Severity.Rank()
		if si != sj {
			return si > sj
		}
		return pos(ids[i]) < pos(ids[j])
	})
	var groups []htmlGroup
	total, shown := 0, 0
	for _, id := range ids {
		rs := byCheck[id]
		total += len(rs)
		c, ok := checks[id]
		if !ok {
			c = findings.Check{ID: id, Title: rs[0].Title, Severity: rs[0].Severity}
		}
		g := htmlGroup{
			ID: htmlText(orDash(id)), Title: htmlText(orDash(c.Title)), Severity: htmlText(string(rs[0].Severity)),
			Section: htmlText(sectionName(c)), Controls: htmlText(controlIDs(c)), Total: len(rs),
			Remediation: htmlRemediation(c.Remediation),
		}
		if docsLink(c.DocsURL) {
			g.Docs = c.DocsURL
		}
		for _, r := range rs {
			if shown == htmlMaxStatic {
				break
			}
			shown++
			hr := htmlResult{
				Resource: htmlText(resourceLabel(r.Resource)), Message: htmlText(r.Message),
				Detail: htmlText(r.Detail),
			}
			if annotated(r) {
				hr.Status = htmlText(statusText(r))
			}
			hr.Evidence = htmlEvidence(r.Evidence)
			g.Results = append(g.Results, hr)
		}
		groups = append(groups, g)
	}
	return groups, total, shown
}

// htmlRemediation splits remediation text as the Markdown report does
// (parseRemediation): paragraphs, "Console: ..." lines, and code blocks
// for command lines and JSON snippets.
func htmlRemediation(text string) []htmlBlock {
	var out []htmlBlock
	for _, b := range parseRemediation(text) {
		switch b.kind {
		case remShell, remJSON:
			for i := range b.lines {
				b.lines[i] = htmlText(b.lines[i])
			}
			out = append(out, htmlBlock{"cmd", strings.Join(b.lines, "\n")})
		default:
			var para []string
			for _, l := range b.lines {
				if rest, ok := strings.CutPrefix(l, "Console:"); ok {
					if len(para) > 0 {
						out = append(out, htmlBlock{"p", htmlText(strings.Join(para, " "))})
						para = nil
					}
					out = append(out, htmlBlock{"console", htmlText(strings.TrimSpace(rest))})
					continue
				}
				para = append(para, l)
			}
			if len(para) > 0 {
				out = append(out, htmlBlock{"p", htmlText(strings.Join(para, " "))})
			}
		}
	}
	return out
}

// htmlEvidenceValue is the evidence as generic JSON values (objects as
// maps), every string passed through htmlText, so that evidence kinds the
// renderer does not know by name are shown too.
func htmlEvidenceValue(e *findings.Evidence) (any, error) {
	if e == nil {
		return nil, nil
	}
	raw, err := json.Marshal(e)
	if err != nil {
		return nil, fmt.Errorf("render html: evidence: %w", err)
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, fmt.Errorf("render html: evidence: %w", err)
	}
	var clean func(v any) any
	clean = func(v any) any {
		switch x := v.(type) {
		case string:
			return htmlText(x)
		case []any:
			for i := range x {
				x[i] = clean(x[i])
			}
		case map[string]any:
			out := make(map[string]any, len(x))
			for k, c := range x {
				out[htmlText(k)] = clean(c)
			}
			return out
		}
		return v
	}
	v = clean(v)
	if m, ok := v.(map[string]any); ok && len(m) == 0 {
		return nil, nil
	}
	return v, nil
}

func htmlEvidence(e *findings.Evidence) []htmlNode {
	v, err := htmlEvidenceValue(e)
	if err != nil || v == nil {
		return nil
	}
	n := htmlNodeOf("", v)
	if n.Fields != nil {
		return n.Fields
	}
	return []htmlNode{n}
}

func htmlNodeOf(key string, v any) htmlNode {
	n := htmlNode{Key: key}
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		n.Fields = []htmlNode{}
		for _, k := range keys {
			n.Fields = append(n.Fields, htmlNodeOf(k, x[k]))
		}
	case []any:
		n.Items = []htmlNode{}
		for _, c := range x {
			n.Items = append(n.Items, htmlNodeOf("", c))
		}
	case string:
		n.IsText, n.Text = true, x
	case nil:
		n.IsText, n.Text = true, "null"
	default:
		b, _ := json.Marshal(x)
		n.IsText, n.Text = true, string(b)
	}
	return n
}

// htmlDataDoc is the JSON data block. Results are arrays to keep 90,000 of
// them small: [check index, status index, severity index, resource,
// message, detail, evidence index or -1, control list index or -1, status
// note]. Evidence and control lists are stored once and shared.
type htmlDataDoc struct {
	Statuses   []string        `json:"statuses"`
	Severities []string        `json:"severities"`
	Checks     []htmlDataCheck `json:"checks"`
	Evidence   []any           `json:"evidence"`
	Controls   [][]string      `json:"controls"`
	// "results" follow, written one per line by htmlData.
}

type htmlDataCheck struct {
	ID          string      `json:"id"`
	Title       string      `json:"title"`
	Section     string      `json:"section"`
	Docs        string      `json:"docs"`
	Remediation []htmlBlock `json:"remediation"`
}

// htmlData encodes every result, in the order the page lists them, and
// returns the check and
// framework control filter options.
func htmlData(rep *findings.Report, sections []section) ([]byte, []htmlOption, []htmlOption, error) {
	doc := htmlDataDoc{Statuses: []string{}, Severities: []string{}, Checks: []htmlDataCheck{}, Evidence: []any{}, Controls: [][]string{}}
	var rows []json.RawMessage
	checks := rep.CheckByID()
	checkIx := map[string]int{}
	statusIx := map[string]int{}
	sevIx := map[string]int{}
	evIx := map[string]int{}
	ctlIx := map[string]int{}
	tags := map[string]bool{}
	intern := func(m map[string]int, list *[]string, s string) int {
		if i, ok := m[s]; ok {
			return i
		}
		m[s] = len(*list)
		*list = append(*list, s)
		return m[s]
	}
	for _, s := range htmlStatuses {
		intern(statusIx, &doc.Statuses, statusLabel(s.status))
	}
	for _, sev := range severities {
		intern(sevIx, &doc.Severities, string(sev))
	}
	addCheck := func(id string, r findings.Result) int {
		if i, ok := checkIx[id]; ok {
			return i
		}
		c, ok := checks[id]
		if !ok {
			c = findings.Check{ID: id, Title: r.Title}
		}
		dc := htmlDataCheck{ID: htmlText(id), Title: htmlText(c.Title), Section: htmlText(sectionName(c)), Remediation: htmlRemediation(c.Remediation)}
		if dc.Remediation == nil {
			dc.Remediation = []htmlBlock{}
		}
		if docsLink(c.DocsURL) {
			dc.Docs = c.DocsURL
		}
		checkIx[id] = len(doc.Checks)
		doc.Checks = append(doc.Checks, dc)
		return checkIx[id]
	}
	for _, c := range rep.Checks {
		addCheck(c.ID, findings.Result{})
	}
	// Failures first, most severe first, across sections; the sections'
	// order (the guide's) breaks ties.
	var ordered []findings.Result
	for _, s := range sections {
		ordered = append(ordered, s.Results...)
	}
	sort.SliceStable(ordered, func(i, j int) bool {
		ri, rj := statusRank(ordered[i].Status), statusRank(ordered[j].Status)
		if ri != rj {
			return ri < rj
		}
		return ordered[i].Status == findings.Fail && ordered[i].Severity.Rank() > ordered[j].Severity.Rank()
	})
	for _, r := range ordered {
		ev := -1
		v, err := htmlEvidenceValue(r.Evidence)
		if err != nil {
			return nil, nil, nil, err
		}
		if v != nil {
			key, err := json.Marshal(v)
			if err != nil {
				return nil, nil, nil, err
			}
			i, ok := evIx[string(key)]
			if !ok {
				i = len(doc.Evidence)
				evIx[string(key)] = i
				doc.Evidence = append(doc.Evidence, v)
			}
			ev = i
		}
		ctl := -1
		if list := ControlTags(r.Controls); len(list) > 0 {
			for i := range list {
				list[i] = htmlText(list[i])
				tags[list[i]] = true
			}
			key := strings.Join(list, "\x00")
			i, ok := ctlIx[key]
			if !ok {
				i = len(doc.Controls)
				ctlIx[key] = i
				doc.Controls = append(doc.Controls, list)
			}
			ctl = i
		}
		note := ""
		if annotated(r) {
			note = htmlText(statusText(r))
		}
		row := []any{
			addCheck(r.CheckID, r), intern(statusIx, &doc.Statuses, htmlText(statusLabel(r.Status))),
			intern(sevIx, &doc.Severities, htmlText(string(r.Severity))),
			htmlText(resourceLabel(r.Resource)), htmlText(r.Message), htmlText(r.Detail), ev, ctl, note,
		}
		b, err := json.Marshal(row)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("render html: %w", err)
		}
		rows = append(rows, b)
	}
	var buf bytes.Buffer
	head, err := json.Marshal(doc)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("render html: %w", err)
	}
	// One result per line: lines stay short, and every line starts with
	// "[" or "]", never like a CI runner command.
	buf.Write(head[:len(head)-1])
	buf.WriteString(`,"results":[`)
	for i, row := range rows {
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.WriteByte('\n')
		buf.Write(row)
	}
	buf.WriteString("\n]}")
	// encoding/json writes <, > and & as \u003c, \u003e and \u0026, so no
	// "</script" or "<!--" can end the data block early; the remaining
	// invisible characters become \u escapes too.
	data := jsonUnicodeEscape(buf.Bytes())

	var checkOpts []htmlOption
	for _, c := range doc.Checks {
		checkOpts = append(checkOpts, htmlOption{Value: c.ID, Label: c.ID + " " + c.Title})
	}
	var ctlOpts []htmlOption
	if len(tags) > 0 {
		list := make([]string, 0, len(tags))
		fws := map[string]bool{}
		for tag := range tags {
			list = append(list, tag)
			if i := strings.Index(tag, "/"); i > 0 {
				fws[tag[:i]] = true
			}
		}
		var names []string
		for fw := range fws {
			names = append(names, fw)
		}
		sort.Strings(names)
		for _, fw := range names {
			ctlOpts = append(ctlOpts, htmlOption{Value: fw + "/", Label: fw + " (any control)"})
		}
		sort.Strings(list)
		for _, tag := range list {
			ctlOpts = append(ctlOpts, htmlOption{Value: tag, Label: tag})
		}
	}
	return data, checkOpts, ctlOpts, nil
}
