package report

// Helpers every renderer shares: grouping and ordering results, the
// summary and incompleteness lines, labels of statuses, resources and
// controls, evidence fields, remediation text and documentation links.

import (
	"fmt"
	"sort"
	"strings"

	"github.com/lockdown-dev/lockdown/internal/findings"
)

// otherSection holds results whose check is not in the report's catalogue.
const otherSection = "Other"

// guideSections are the guide's sections in the guide's order; sections
// of other checks follow in catalogue order.
var guideSections = []string{"AWS root user", "IAM Policies", "IAM Roles", "IAM Groups", "IAM Users", "AWS CLI"}

// section is one guide section with its results in display order.
type section struct {
	Name    string
	Results []findings.Result
}

// groupBySection groups results by their check's guide section. Sections keep
// the guide's order, then the order in which the catalogue first names them;
// inside a section failures come first (most severe first), then results
// that could not be assessed, then passes; ties keep the report's order.
func groupBySection(rep *findings.Report) []section {
	checks := rep.CheckByID()
	var order []string
	seen := map[string]bool{}
	add := func(name string) {
		if !seen[name] {
			seen[name] = true
			order = append(order, name)
		}
	}
	for _, name := range guideSections {
		add(name)
	}
	for _, c := range rep.Checks {
		add(sectionName(c))
	}
	by := map[string][]findings.Result{}
	for _, r := range rep.Results {
		name := otherSection
		if c, ok := checks[r.CheckID]; ok {
			name = sectionName(c)
		}
		add(name)
		by[name] = append(by[name], r)
	}
	var out []section
	for _, name := range order {
		rs := by[name]
		if len(rs) == 0 {
			continue
		}
		sort.SliceStable(rs, func(i, j int) bool {
			ri, rj := statusRank(rs[i].Status), statusRank(rs[j].Status)
			if ri != rj {
				return ri < rj
			}
			if rs[i].Status == findings.Fail {
				return rs[i].Severity.Rank() > rs[j].Severity.Rank()
			}
			return false
		})
		out = append(out, section{Name: name, Results: rs})
	}
	return out
}

func sectionName(c findings.Check) string {
	if strings.TrimSpace(c.Section) == "" {
		return otherSection
	}
	return c.Section
}

func statusRank(s findings.Status) int {
	switch s {
	case findings.Fail:
		return 0
	case findings.NotAssessed:
		return 1
	case findings.Pass:
		return 2
	case findings.NotApplicable:
		return 4
	}
	return 3 // unknown: after the passes, never hidden as one
}

// knownStatus reports the statuses renderers understand.
func knownStatus(s findings.Status) bool {
	switch s {
	case findings.Fail, findings.NotAssessed, findings.Pass, findings.NotApplicable:
		return true
	}
	return false
}

// maxListedCauses caps the incompleteness causes listed in human-facing
// headers; the JSON report has all of them.
const maxListedCauses = 20

// incomplete reports whether the audit behind rep is incomplete: it says
// so (Complete false), it names a cause, or a result is NOT_ASSESSED. A
// report that does not say it is complete is not taken as complete.
func incomplete(rep *findings.Report) bool {
	if !rep.Complete || len(rep.Incomplete) > 0 {
		return true
	}
	for _, r := range rep.Results {
		if r.Status == findings.NotAssessed {
			return true
		}
	}
	return false
}

// incompleteSummary is the headline and cause lines the table, Markdown and
// JUnit show for an incomplete audit (nothing for a complete one). Causes
// are unescaped; each renderer escapes them for its medium.
func incompleteSummary(rep *findings.Report) (string, []string) {
	if !incomplete(rep) {
		return "", nil
	}
	s := findings.Summarize(rep.Results)
	head := "INCOMPLETE AUDIT: "
	switch {
	case len(rep.Incomplete) > 0 && s.NotAssessed > 0:
		head += fmt.Sprintf("%s not assessed, because of %s:", plural(s.NotAssessed, "result"), plural(len(rep.Incomplete), "cause"))
	case len(rep.Incomplete) > 0:
		head += fmt.Sprintf("%s:", plural(len(rep.Incomplete), "cause"))
	case s.NotAssessed > 0:
		head += fmt.Sprintf("%s not assessed; no cause recorded.", plural(s.NotAssessed, "result"))
	default:
		head += "the report does not say the audit was complete."
	}
	var causes []string
	for i, c := range rep.Incomplete {
		if i == maxListedCauses {
			causes = append(causes, fmt.Sprintf("(%d more in the JSON report)", len(rep.Incomplete)-i))
			break
		}
		causes = append(causes, clip(c.String(), 1000))
	}
	return head, causes
}

// severities lists severities from most to least severe.
var severities = []findings.Severity{findings.Critical, findings.High, findings.Medium, findings.Low, findings.Info}

// summaryLine is the one-line count shared by the table and Markdown output,
// e.g. "12 checks, 30 results: 20 pass, 8 fail (2 critical, 3 high, 3 medium), 2 not assessed".
func summaryLine(rep *findings.Report) string {
	s := findings.Summarize(rep.Results)
	var b strings.Builder
	fmt.Fprintf(&b, "%s, %s: %d pass, %d fail", plural(checkCount(rep), "check"), plural(s.Total, "result"), s.Pass, s.Fail)
	if s.Fail > 0 {
		b.WriteString(" (")
		b.WriteString(strings.Join(severityCounts(s), ", "))
		b.WriteString(")")
	}
	fmt.Fprintf(&b, ", %d not assessed", s.NotAssessed)
	if s.NotApplicable > 0 {
		fmt.Fprintf(&b, ", %d not applicable", s.NotApplicable)
	}
	if waived, expired := waivedCount(rep); waived+expired > 0 {
		fmt.Fprintf(&b, "; %d waived", waived)
		if expired > 0 {
			fmt.Fprintf(&b, ", %s", plural(expired, "expired waiver"))
		}
	}
	if bc := baselineCounts(rep); bc != "" {
		b.WriteString("; " + bc)
	}
	return b.String()
}

// severityCounts lists "N severity" for each failing severity, most severe
// first; unknown severities come last in name order.
func severityCounts(s findings.Summary) []string {
	var parts []string
	for _, sev := range severities {
		if n := s.FailBySev[string(sev)]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, sev))
		}
	}
	var unknown []string
	for name := range s.FailBySev {
		if findings.Severity(name).Rank() == 0 && s.FailBySev[name] > 0 {
			unknown = append(unknown, name)
		}
	}
	sort.Strings(unknown)
	for _, name := range unknown {
		label := name
		if label == "" {
			label = "unrated"
		}
		parts = append(parts, fmt.Sprintf("%d %s", s.FailBySev[name], label))
	}
	return parts
}

// checkCount is the number of checks in the catalogue, or of distinct check
// IDs among the results when the catalogue is empty.
func checkCount(rep *findings.Report) int {
	if len(rep.Checks) > 0 {
		return len(rep.Checks)
	}
	ids := map[string]bool{}
	for _, r := range rep.Results {
		ids[r.CheckID] = true
	}
	return len(ids)
}

func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// statusLabel is how a status reads in human-facing output.
func statusLabel(s findings.Status) string {
	switch s {
	case findings.Fail:
		return "FAIL"
	case findings.Pass:
		return "PASS"
	case findings.NotAssessed:
		return "NOT ASSESSED"
	case findings.NotApplicable:
		return "NOT APPLICABLE"
	}
	if s == "" {
		return "UNKNOWN"
	}
	return string(s)
}

// shortResource turns an ARN into its readable tail: "user/alice",
// "role/AdminRole", "aws:policy/ReadOnlyAccess" for AWS managed policies,
// "root" for the root user and the account ID for the account. Anything that
// is not an ARN is returned unchanged.
func shortResource(r findings.Resource) string {
	arn := r.ARN
	if arn == "" {
		return r.Name
	}
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 5 || parts[0] != "arn" {
		return arn
	}
	account, res := parts[4], ""
	if len(parts) == 6 {
		res = parts[5]
	}
	switch {
	case res == "":
		if account != "" {
			return account
		}
		return arn
	case account == "aws":
		return "aws:" + res
	}
	return res
}

// resourceID names a resource by its ARN, or by its name when it has none
// ("" when it has neither).
func resourceID(r findings.Resource) string {
	if r.ARN != "" {
		return r.ARN
	}
	return r.Name
}

// resourceLabel is resourceID, or "-" for a resource with neither.
func resourceLabel(r findings.Resource) string {
	if id := resourceID(r); id != "" {
		return id
	}
	return "-"
}

// resourceWithDetail is the resource's label and, when the check reports
// several results on it, the result's detail: "arn:...:user/alice (key 2)".
func resourceWithDetail(r findings.Result) string {
	name := resourceLabel(r.Resource)
	if r.Detail != "" {
		name += " (" + r.Detail + ")"
	}
	return name
}

// evidenceField is one kind of evidence with its lowercase label.
type evidenceField struct {
	label string
	items []string
}

// evidenceFields are the non-empty kinds of a result's evidence, in a
// fixed order (none for nil evidence).
func evidenceFields(e *findings.Evidence) []evidenceField {
	if e == nil {
		return nil
	}
	var out []evidenceField
	for _, f := range []evidenceField{
		{"actions", e.Actions}, {"resources", e.Resources}, {"statements", e.Statements},
		{"contexts", e.Contexts}, {"principals", e.Principals}, {"items", e.Items},
	} {
		if len(f.items) > 0 {
			out = append(out, f)
		}
	}
	return out
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "-"
	}
	return s
}

// controlIDs is a check's controls (checkControls) as one comma-separated
// list.
func controlIDs(c findings.Check) string {
	return strings.Join(checkControls(c), ", ")
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
			fence := codeFence(body)
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
			cmd = append(cmd, escapeControls(strings.TrimPrefix(strings.TrimRight(line, " \t"), "$ ")))
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

// docsLink reports whether a check's documentation URL is linked: an
// absolute URL with no control, bidi or invisible character (a link whose
// text could hide where it points is not offered at all).
func docsLink(u string) bool {
	return isAbsoluteURL(u) && !needsEscape(u)
}

// sentence ends text with a full stop unless it already ends a sentence.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	switch s[len(s)-1] {
	case '.', '!', '?':
		return s
	}
	return s + "."
}
