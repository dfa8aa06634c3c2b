package report

// Helpers every renderer shares: grouping and ordering results, the
// summary and incompleteness lines, labels of statuses, resources and
// controls, evidence fields, remediation text and documentation links.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"unicode"

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

// Remediation text is free text from a check's metadata: prose, command
// lines ("aws ..." or "$ ..." lines and their backslash continuations;
// other shell commands such as chmod when indented under the prose) and
// JSON policy snippets (a document, or a fragment such as
// `"Condition": {...}`, on lines of its own, possibly over several lines).
// parseRemediation splits it into blocks; renderers show commands and JSON
// as code, and inline JSON or commands inside prose as code spans.

type remKind int

const (
	remProse remKind = iota // a paragraph: its trimmed lines
	remShell                // command lines, dedented, prompts removed
	remJSON                 // a JSON snippet, dedented
)

type remBlock struct {
	kind  remKind
	lines []string
}

// awsCommandRE matches an AWS CLI command: "aws", then a service.
var awsCommandRE = regexp.MustCompile(`^aws [a-z0-9][a-z0-9-]*(\s|$)`)

// shellCommands are the commands other than aws that an indented line of a
// remediation may start with and still be a command line.
var shellCommands = map[string]bool{
	"aws": true, "lockdown": true, "chmod": true, "chown": true, "rm": true, "mv": true, "cp": true,
	"cat": true, "grep": true, "jq": true, "export": true, "unset": true, "ssh-keygen": true,
	"openssl": true, "base64": true, "curl": true, "sudo": true, "umask": true,
}

// isCommandLine reports whether a trimmed line is a command: a "$ " prompt,
// an AWS CLI command, or, when indented under the prose, a line starting
// with a known shell command.
func isCommandLine(s string, indented bool) bool {
	if strings.HasPrefix(s, "$ ") || awsCommandRE.MatchString(s) {
		return true
	}
	word, _, _ := strings.Cut(s, " ")
	return indented && shellCommands[word]
}

// jsonKeyRE matches the start of a JSON member: a quoted key and a colon.
var jsonKeyRE = regexp.MustCompile(`^"[^"\n]*"\s*:`)

// isJSONStart reports whether a trimmed line starts a JSON snippet: an
// object ("{" then a key, "}" or the end of the line), an array of objects
// or strings, or a member ("Key": ...).
func isJSONStart(s string) bool {
	next := func(rest string) byte {
		rest = strings.TrimLeft(rest, " \t")
		if rest == "" {
			return 0
		}
		return rest[0]
	}
	switch {
	case strings.HasPrefix(s, "{"):
		c := next(s[1:])
		return c == 0 || c == '"' || c == '}'
	case strings.HasPrefix(s, "["):
		c := next(s[1:])
		return c == 0 || c == '"' || c == '{'
	}
	return jsonKeyRE.MatchString(s)
}

// jsonDepth follows the nesting of brackets through JSON text, ignoring
// those inside strings.
type jsonDepth struct {
	depth         int
	inString, esc bool
}

// feed scans s and returns the depth after it (negative when s closes more
// than was open).
func (j *jsonDepth) feed(s string) int {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case j.esc:
			j.esc = false
		case j.inString && c == '\\':
			j.esc = true
		case c == '"':
			j.inString = !j.inString
		case j.inString:
		case c == '{' || c == '[':
			j.depth++
		case c == '}' || c == ']':
			j.depth--
		}
	}
	return j.depth
}

func indentOf(s string) int {
	return len(s) - len(strings.TrimLeft(s, " \t"))
}

// startsParagraph reports prose lines that open a paragraph of their own
// even without a blank line before them: the console path and the CLI
// introduction.
func startsParagraph(s string) bool {
	return strings.HasPrefix(s, "Console") || strings.HasPrefix(s, "AWS CLI")
}

// parseRemediation splits remediation text into prose paragraphs, command
// blocks and JSON blocks. A JSON snippet runs until its brackets balance
// (or a blank line, for one that never does); consecutive snippets share a
// block. Code blocks are dedented together, keeping continuation lines'
// relative indentation.
func parseRemediation(text string) []remBlock {
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	base := -1
	for _, l := range lines {
		if strings.TrimSpace(l) != "" && (base < 0 || indentOf(l) < base) {
			base = indentOf(l)
		}
	}
	var out []remBlock
	var cur *remBlock
	var scan jsonDepth
	continued := false
	flush := func() {
		if cur != nil {
			out = append(out, *cur)
			cur = nil
		}
		continued = false
	}
	open := func(kind remKind) {
		if cur == nil || cur.kind != kind {
			flush()
			cur = &remBlock{kind: kind}
		}
	}
	for _, raw := range lines {
		line := strings.TrimRight(raw, " \t\r")
		trimmed := strings.TrimSpace(line)
		switch {
		case cur != nil && cur.kind == remJSON && scan.depth > 0:
			if trimmed == "" {
				flush()
				continue
			}
			cur.lines = append(cur.lines, line)
			scan.feed(line)
		case cur != nil && cur.kind == remShell && continued:
			cur.lines = append(cur.lines, line)
			continued = strings.HasSuffix(trimmed, "\\")
		case trimmed == "":
			flush()
		case isCommandLine(trimmed, indentOf(line) > base):
			open(remShell)
			pad := line[:indentOf(line)]
			cur.lines = append(cur.lines, pad+strings.TrimPrefix(trimmed, "$ "))
			continued = strings.HasSuffix(trimmed, "\\")
		case isJSONStart(trimmed):
			open(remJSON)
			scan = jsonDepth{}
			cur.lines = append(cur.lines, line)
			scan.feed(line)
		default:
			if cur == nil || cur.kind != remProse || startsParagraph(trimmed) {
				flush()
				cur = &remBlock{kind: remProse}
			}
			cur.lines = append(cur.lines, trimmed)
		}
	}
	flush()
	for i := range out {
		if out[i].kind != remProse {
			out[i].lines = dedent(out[i].lines)
		}
	}
	return out
}

// dedent removes the indentation the lines share.
func dedent(lines []string) []string {
	least := -1
	for _, l := range lines {
		if strings.TrimSpace(l) != "" && (least < 0 || indentOf(l) < least) {
			least = indentOf(l)
		}
	}
	out := make([]string, len(lines))
	for i, l := range lines {
		if len(l) >= least && least > 0 {
			l = l[least:]
		}
		out[i] = l
	}
	return out
}

// inlineSeg is a piece of a prose paragraph: text, or code (a JSON
// snippet or a command quoted in the prose).
type inlineSeg struct {
	code bool
	text string
}

// inlineAWSRE matches an AWS CLI command quoted in prose: "aws", a service
// and an operation.
var inlineAWSRE = regexp.MustCompile(`^aws [a-z0-9][a-z0-9-]* [a-z0-9][a-z0-9-]*`)

// inlineSegments finds the JSON snippets and AWS CLI commands in a
// paragraph (lines separated by "\n"). A JSON snippet is an object, or a
// member ("Key": {...}, "Key": [...] or "Key": "value"), whose brackets
// balance and which holds a key; a command runs to the end of its line, to
// " / " or "; ", without the sentence's closing punctuation or an
// unmatched ")".
func inlineSegments(text string) []inlineSeg {
	var segs []inlineSeg
	last, misses := 0, 0
	boundary := func(i int) bool { return i == 0 || strings.IndexByte(" \n(", text[i-1]) >= 0 }
	for i := 0; i < len(text); {
		end := 0
		switch {
		case (text[i] == '{' || text[i] == '"') && boundary(i) && misses < maxInlineMisses:
			if end = inlineJSONEnd(text, i); end == 0 {
				misses++
			}
		case text[i] == 'a' && boundary(i) && inlineAWSRE.MatchString(text[i:]):
			end = inlineCommandEnd(text, i)
		}
		if end <= i {
			i++
			continue
		}
		if last < i {
			segs = append(segs, inlineSeg{text: text[last:i]})
		}
		segs = append(segs, inlineSeg{code: true, text: text[i:end]})
		i, last = end, end
	}
	if last < len(text) {
		segs = append(segs, inlineSeg{text: text[last:]})
	}
	return segs
}

// maxInlineJSON bounds how far an inline JSON snippet is looked for, and
// maxInlineMisses how many brackets or quotes that start none are tried,
// so prose full of unmatched braces costs linear time.
const (
	maxInlineJSON   = 1024
	maxInlineMisses = 64
)

// inlineJSONEnd returns where the JSON snippet starting at i ends, or 0.
func inlineJSONEnd(text string, i int) int {
	start := i
	if text[i] == '"' {
		m := jsonKeyRE.FindStringIndex(text[i:])
		if m == nil {
			return 0
		}
		j := i + m[1]
		for j < len(text) && (text[j] == ' ' || text[j] == '\n') {
			j++
		}
		if j < len(text) && text[j] == '"' {
			// "Key": "value": the member ends with its string.
			var scan jsonDepth
			for k := j; k < len(text) && k-start < maxInlineJSON; k++ {
				scan.feed(text[k : k+1])
				if !scan.inString {
					return k + 1
				}
			}
			return 0
		}
		if j >= len(text) || (text[j] != '{' && text[j] != '[') {
			return 0
		}
		i = j
	}
	var scan jsonDepth
	for j := i; j < len(text) && j-start < maxInlineJSON; j++ {
		if scan.feed(text[j:j+1]) == 0 {
			body := text[start : j+1]
			if !strings.Contains(body, ":") || !jsonHasKey(body) {
				return 0
			}
			return j + 1
		}
	}
	return 0
}

var jsonMemberRE = regexp.MustCompile(`"[^"\n]*"\s*:`)

func jsonHasKey(s string) bool { return jsonMemberRE.MatchString(s) }

// inlineCommandEnd returns where the command starting at i ends.
func inlineCommandEnd(text string, i int) int {
	end := len(text)
	for _, stop := range []string{"\n", " / ", "; "} {
		if k := strings.Index(text[i:], stop); k >= 0 && i+k < end {
			end = i + k
		}
	}
	cmd := text[i:end]
	for {
		trimmed := strings.TrimRight(cmd, ".,;: ")
		if strings.HasSuffix(trimmed, ")") && strings.Count(trimmed, ")") > strings.Count(trimmed, "(") {
			trimmed = trimmed[:len(trimmed)-1]
		}
		if trimmed == cmd {
			break
		}
		cmd = trimmed
	}
	return i + len(cmd)
}

// remediationMarkdown renders remediation text: command lines become
// fenced sh blocks and JSON snippets fenced json blocks, each kept verbatim
// (controls escaped) behind a fence longer than any backtick run inside
// it; prose becomes escaped paragraphs in which inline JSON and commands
// are code spans.
func remediationMarkdown(text string) string {
	var b strings.Builder
	for _, blk := range parseRemediation(text) {
		switch blk.kind {
		case remProse:
			b.WriteString(proseMarkdown(strings.Join(blk.lines, "\n")) + "\n\n")
		default:
			lines := make([]string, len(blk.lines))
			for i, l := range blk.lines {
				lines[i] = escapeControls(l)
			}
			body := strings.Join(lines, "\n")
			lang := "sh"
			if blk.kind == remJSON {
				lang = "json"
			}
			fence := codeFence(body)
			b.WriteString(fence + lang + "\n" + body + "\n" + fence + "\n\n")
		}
	}
	return strings.TrimRight(b.String(), "\n") + "\n"
}

// proseMarkdown is one paragraph: text escaped, JSON snippets and commands
// as code spans, on one line.
func proseMarkdown(text string) string {
	segs := inlineSegments(text)
	var b strings.Builder
	for i, s := range segs {
		if s.code {
			b.WriteString(codeSpan(s.text))
			continue
		}
		plain := strings.ReplaceAll(s.text, "\n", " ")
		t := escapeMarkdown(plain)
		if b.Len() == 0 {
			t = escapeParagraph(plain)
		}
		if t == "" {
			if i > 0 && i < len(segs)-1 && strings.TrimSpace(s.text) != s.text {
				b.WriteString(" ")
			}
			continue
		}
		if i > 0 && unicode.IsSpace(rune(s.text[0])) {
			b.WriteString(" ")
		}
		b.WriteString(t)
		if i < len(segs)-1 && unicode.IsSpace(rune(s.text[len(s.text)-1])) {
			b.WriteString(" ")
		}
	}
	return b.String()
}

// policyJSON reports whether s is a JSON object or array (a policy
// document, say) and returns it indented, each line's controls escaped.
func policyJSON(s string) (string, bool) {
	t := strings.TrimSpace(s)
	if t == "" || (t[0] != '{' && t[0] != '[') || !json.Valid([]byte(t)) {
		return "", false
	}
	var buf bytes.Buffer
	if err := json.Indent(&buf, []byte(t), "", "  "); err != nil {
		return "", false
	}
	lines := strings.Split(buf.String(), "\n")
	for i, l := range lines {
		lines[i] = escapeControls(l)
	}
	return strings.Join(lines, "\n"), true
}

// readOnlyOps are the AWS CLI operation prefixes that only look: a
// remediation's first step is the first command that changes something.
var readOnlyOps = []string{"get-", "list-", "describe-", "generate-", "lookup-", "simulate-"}

// remediationStep is the first step of a remediation, on one line: its
// first command that changes something (continuation lines joined), else
// the first sentence of a paragraph that does not just introduce code,
// else its first command; "" for none.
func remediationStep(text string) string {
	var first, sentence string
	for _, blk := range parseRemediation(text) {
		switch blk.kind {
		case remShell:
			for _, cmd := range joinContinuations(blk.lines) {
				if first == "" {
					first = cmd
				}
				if !readOnlyCommand(cmd) {
					return cmd
				}
			}
		case remProse:
			// A sentence that ends with a colon introduces the code after
			// it ("Check first:"); it is no step of its own.
			if first := firstSentence(strings.Join(blk.lines, " ")); sentence == "" && !strings.HasSuffix(first, ":") {
				sentence = first
			}
		}
	}
	if sentence != "" {
		return sentence
	}
	return first
}

func readOnlyCommand(cmd string) bool {
	f := strings.Fields(cmd)
	if len(f) < 3 || f[0] != "aws" {
		return false
	}
	for _, p := range readOnlyOps {
		if strings.HasPrefix(f[2], p) {
			return true
		}
	}
	return false
}

// joinContinuations turns command lines into one line per command.
func joinContinuations(lines []string) []string {
	var out []string
	var cur []string
	for _, l := range lines {
		t := strings.TrimSpace(l)
		more := strings.HasSuffix(t, "\\")
		cur = append(cur, strings.TrimSpace(strings.TrimSuffix(t, "\\")))
		if !more {
			out = append(out, oneLine(strings.Join(cur, " ")))
			cur = nil
		}
	}
	if len(cur) > 0 {
		out = append(out, oneLine(strings.Join(cur, " ")))
	}
	return out
}

// firstSentence is s up to its first full stop followed by a space (or
// its end).
func firstSentence(s string) string {
	s = oneLine(s)
	if i := strings.Index(s, ". "); i >= 0 {
		return s[:i+1]
	}
	return s
}

// docsLink reports whether a check's documentation URL is linked: an
// absolute URL with no control, bidi or invisible character (a link whose
// text could hide where it points is not offered at all).
func docsLink(u string) bool {
	pu, err := url.Parse(u)
	return err == nil && (pu.Scheme == "https" || pu.Scheme == "http") && pu.Host != "" && !needsEscape(u)
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
