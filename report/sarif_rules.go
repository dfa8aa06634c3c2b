package report

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"github.com/lockdown-dev/lockdown/internal/findings"
)

// sarifRules builds one rule per check in catalogue order, then one minimal
// rule for each check that only appears in the results.
func sarifRules(rep *findings.Report, baseline []findings.Result) ([]*sarif.ReportingDescriptor, map[string]int) {
	index := map[string]int{}
	var rules []*sarif.ReportingDescriptor
	for _, c := range rep.Checks {
		if _, dup := index[c.ID]; dup {
			continue
		}
		index[c.ID] = len(rules)
		rules = append(rules, sarifRule(c))
	}
	for _, r := range append(append([]findings.Result(nil), rep.Results...), baseline...) {
		if _, ok := index[r.CheckID]; ok {
			continue
		}
		index[r.CheckID] = len(rules)
		rules = append(rules, sarifRule(findings.Check{
			ID: r.CheckID, Title: r.Title, Severity: r.Severity, Section: otherSection,
			Controls: r.Controls,
		}))
	}
	return rules, index
}

func sarifRule(c findings.Check) *sarif.ReportingDescriptor {
	rule := sarif.NewReportingDescriptor()
	id := c.ID
	rule.ID = &id
	name := pascalName(c.Title, c.ID)
	rule.Name = &name

	title := c.Title
	if title == "" {
		title = c.ID
	}
	rule.ShortDescription = multiformat(sentence(title))
	full := unwrap(c.Description)
	if full == "" {
		full = title
	}
	rule.FullDescription = multiformat(sentence(full))

	helpText, helpMD := ruleHelp(c)
	helpText = textBlock(helpText)
	rule.Help = sarif.NewMultiformatMessageString()
	rule.Help.Text = &helpText
	rule.Help.Markdown = &helpMD

	help := toolInfoURI
	if docsLink(c.DocsURL) {
		help = markdownURL(c.DocsURL)
	}
	rule.HelpURI = &help

	cfg := sarif.NewReportingConfiguration()
	cfg.Level = sarifLevel(c.Severity)
	rule.DefaultConfiguration = cfg

	props := sarif.NewPropertyBag()
	props.Tags = ruleTags(c)
	props.Add("security-severity", securitySeverity(c.Severity))
	props.Add("precision", precision(c))
	props.Add("problem.severity", problemSeverity(c.Severity))
	rule.Properties = props
	return rule
}

// securitySeverity places each severity inside GitHub's bands
// (critical > 9.0, high 7.0-8.9, medium 4.0-6.9, low < 4.0).
func securitySeverity(s findings.Severity) string {
	switch s {
	case findings.Critical:
		return "9.5"
	case findings.High:
		return "8.0"
	case findings.Medium:
		return "5.5"
	case findings.Low:
		return "3.0"
	}
	return "1.0"
}

// sarifLevel maps a severity to a SARIF level: error for critical and high,
// warning for medium, note for low, info and anything unrecognised.
func sarifLevel(s findings.Severity) string {
	switch s {
	case findings.Critical, findings.High:
		return sarif.LevelError
	case findings.Medium:
		return sarif.LevelWarning
	}
	return sarif.LevelNote
}

// problemSeverity is the CodeQL-style non-security severity GitHub shows
// when security-severity is absent.
func problemSeverity(s findings.Severity) string {
	switch sarifLevel(s) {
	case sarif.LevelError:
		return "error"
	case sarif.LevelWarning:
		return "warning"
	}
	return "recommendation"
}

// precision is "very-high" for checks that read a recorded setting directly
// and "high" for checks that depend on evaluating IAM policies, where an
// unusual policy construct could still mislead the analysis.
func precision(c findings.Check) string {
	for _, src := range c.Requires {
		if src == "authorization_details" {
			return "high"
		}
	}
	return "very-high"
}

// ruleTags: "security", the guide section, then the check's controls
// ("cis-aws-5.0/1.4" from Check.Controls, else "CIS 1.4" and "Security Hub
// IAM.4" from the older fields), without duplicates and within GitHub's
// limit.
func ruleTags(c findings.Check) []string {
	tags := []string{"security"}
	seen := map[string]bool{"security": true}
	add := func(t string) {
		t = strings.TrimSpace(t)
		if t != "" && !seen[t] && len(tags) < maxSARIFTags {
			seen[t] = true
			tags = append(tags, t)
		}
	}
	add(c.Section)
	for _, id := range checkControls(c) {
		add(id)
	}
	return tags
}

// ruleHelp renders a check's help as plain text and as Markdown.
func ruleHelp(c findings.Check) (string, string) {
	var t, m strings.Builder
	if desc := unwrap(c.Description); desc != "" {
		t.WriteString(desc + "\n\n")
		for _, p := range strings.Split(desc, "\n\n") {
			m.WriteString(escapeParagraph(p) + "\n\n")
		}
	}
	fmt.Fprintf(&t, "Severity: %s.", c.Severity)
	fmt.Fprintf(&m, "**Severity:** %s", escapeMarkdown(string(c.Severity)))
	if c.Section != "" {
		fmt.Fprintf(&t, " Guide section: %s.", c.Section)
		fmt.Fprintf(&m, " · **Guide section:** %s", escapeMarkdown(c.Section))
	}
	t.WriteString("\n")
	m.WriteString("\n")
	if c.GuideStep != "" {
		fmt.Fprintf(&t, "\nGuide: %s\n", c.GuideStep)
		fmt.Fprintf(&m, "\n> %s\n", escapeMarkdown(oneLine(c.GuideStep)))
	}
	if ids := controlIDs(c); ids != "" {
		fmt.Fprintf(&t, "\nControls: %s\n", ids)
		fmt.Fprintf(&m, "\n**Controls:** %s\n", escapeMarkdown(ids))
	}
	if strings.TrimSpace(c.Remediation) != "" {
		fmt.Fprintf(&t, "\nRemediation:\n%s\n", strings.TrimSpace(c.Remediation))
		fmt.Fprintf(&m, "\n### Remediation\n\n%s", remediationMarkdown(c.Remediation))
	} else {
		t.WriteString("\nRemediation: none documented for this check.\n")
		m.WriteString("\n### Remediation\n\nNone documented for this check.\n")
	}
	if docsLink(c.DocsURL) {
		fmt.Fprintf(&t, "\nMore: %s\n", uriReference(c.DocsURL))
		fmt.Fprintf(&m, "\n[Documentation](%s)\n", markdownURL(c.DocsURL))
	}
	return t.String(), m.String()
}

// pascalName makes the rule's friendly name, e.g. "Root user has MFA" ->
// "RootUserHasMFA". Falls back to the check ID's words.
func pascalName(title, id string) string {
	build := func(s string) string {
		var b strings.Builder
		for _, word := range strings.FieldsFunc(s, func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsDigit(r)
		}) {
			// SARIF friendly names are Pascal case: "MFA" becomes "Mfa".
			if strings.ToUpper(word) == word {
				word = strings.ToLower(word)
			}
			rs := []rune(word)
			rs[0] = unicode.ToUpper(rs[0])
			b.WriteString(string(rs))
		}
		return b.String()
	}
	name := build(title)
	if name == "" || !unicode.IsLetter([]rune(name)[0]) {
		name = build(id)
	}
	if name == "" {
		name = "Check"
	}
	if !unicode.IsLetter([]rune(name)[0]) {
		name = "Check" + name
	}
	return name
}

// unwrap joins hard-wrapped lines into paragraphs; blank lines still
// separate paragraphs.
func unwrap(s string) string {
	var paras []string
	for _, p := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n\n") {
		if p = oneLine(p); p != "" {
			paras = append(paras, p)
		}
	}
	return strings.Join(paras, "\n\n")
}
