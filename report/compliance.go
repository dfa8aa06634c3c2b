package report

// What the table, Markdown and JUnit renderers share about the compliance
// section (Report.Compliance): control status labels, the per-framework
// denominator line, the framework's label and the control tags of a check.

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/lockdown-dev/lockdown/internal/findings"
)

// complianceCounts recounts a framework's summary from its controls, so that
// no renderer shows a denominator its control list contradicts: MANUAL
// controls are counted apart, every other control is automated and split by
// status (an unknown status counts as automated and in no status).
func complianceCounts(c findings.Compliance) findings.ComplianceSummary {
	var s findings.ComplianceSummary
	for _, ctl := range c.Controls {
		s.Add(ctl.Status)
	}
	return s
}

// releaseVersion matches a plain release number ("5.0.0"), which reads
// better as "v5.0.0".
var releaseVersion = regexp.MustCompile(`^[0-9]+(\.[0-9]+)+$`)

// frameworkLabel names a framework for people: its title and version,
// e.g. "CIS AWS Foundations Benchmark v5.0.0"; the framework's name when it
// has no title.
func frameworkLabel(c findings.Compliance) string {
	label := strings.TrimSpace(c.Title)
	if label == "" {
		label = orDash(c.Framework)
	}
	if v := strings.TrimSpace(c.Version); v != "" && !strings.Contains(label, v) {
		if releaseVersion.MatchString(v) {
			v = "v" + v
		}
		label += " " + v
	}
	return label
}

// denominatorLine is a framework's label and counts in one line, manual
// controls apart, e.g. "CIS AWS Foundations Benchmark v5.0.0: 14 of 17
// automated controls pass, 2 fail, 1 not assessed; 4 manual". Unescaped.
func denominatorLine(c findings.Compliance) string {
	return frameworkLabel(c) + ": " + denominatorCounts(c)
}

// denominatorCounts is denominatorLine without the label: "14 of 17
// automated controls pass, 2 fail, 1 not assessed; 4 manual".
func denominatorCounts(c findings.Compliance) string {
	s := complianceCounts(c)
	var b strings.Builder
	fmt.Fprintf(&b, "%d of %d automated controls pass, %d fail, %d not assessed", s.Pass, s.Automated, s.Fail, s.NotAssessed)
	if s.NotApplicable > 0 {
		fmt.Fprintf(&b, ", %d not applicable", s.NotApplicable)
	}
	if other := s.Automated - s.Pass - s.Fail - s.NotAssessed - s.NotApplicable; other > 0 {
		fmt.Fprintf(&b, ", %d with an unknown status", other)
	}
	fmt.Fprintf(&b, "; %d manual", s.Manual)
	return b.String()
}

// controlStatusLabel is how a control's status reads in human-facing output.
func controlStatusLabel(s findings.ControlStatus) string {
	switch s {
	case findings.ControlPass:
		return "PASS"
	case findings.ControlFail:
		return "FAIL"
	case findings.ControlNotAssessed:
		return "NOT ASSESSED"
	case findings.ControlManual:
		return "MANUAL"
	case findings.ControlNotApplies:
		return "NOT APPLICABLE"
	}
	if s == "" {
		return "UNKNOWN"
	}
	return string(s)
}

// knownControlStatus reports the control statuses renderers understand.
func knownControlStatus(s findings.ControlStatus) bool {
	switch s {
	case findings.ControlPass, findings.ControlFail, findings.ControlNotAssessed, findings.ControlManual, findings.ControlNotApplies:
		return true
	}
	return false
}

// controlNote is what a control's status needs said beyond its title: why
// it is manual, not assessed or not applicable. Unescaped; "" for a pass or
// a failure without a reason.
func controlNote(ctl findings.ControlResult) string {
	reason := strings.TrimSpace(ctl.Reason)
	switch ctl.Status {
	case findings.ControlManual:
		if reason == "" {
			reason = "cannot be automated (no reason recorded)"
		}
		return "Manual: " + reason
	case findings.ControlNotAssessed:
		if reason == "" {
			reason = "no result decided it (no reason recorded)"
		}
		return "Not assessed: " + reason
	case findings.ControlNotApplies:
		if reason == "" {
			return "Not applicable"
		}
		return "Not applicable: " + reason
	case findings.ControlPass, findings.ControlFail:
		return reason
	}
	if reason != "" {
		return fmt.Sprintf("Unknown status %q: %s", ctl.Status, reason)
	}
	return fmt.Sprintf("Unknown status %q", ctl.Status)
}

// resultCountsLine is "3 pass, 2 fail, 0 not assessed" (and not
// applicable when there are any).
func resultCountsLine(r findings.ResultCounts) string {
	s := fmt.Sprintf("%d pass, %d fail, %d not assessed", r.Pass, r.Fail, r.NotAssessed)
	if r.NotApplicable > 0 {
		s += fmt.Sprintf(", %d not applicable", r.NotApplicable)
	}
	return s
}

// checkControls lists a check's framework controls as tags:
// "framework/ID" ("aws-securityhub/IAM.9", "cis-aws-5.0/1.4"), frameworks
// in name order and IDs as listed.
func checkControls(c findings.Check) []string { return ControlTags(c.Controls) }

// ControlTags turns a framework -> control IDs map into sorted
// "framework/ID" tags.
func ControlTags(m map[string][]string) []string {
	names := make([]string, 0, len(m))
	for name := range m {
		names = append(names, name)
	}
	sort.Strings(names)
	var tags []string
	for _, name := range names {
		for _, id := range m[name] {
			tags = append(tags, name+"/"+id)
		}
	}
	return tags
}
