package report

import (
	"fmt"
	"strings"

	"github.com/lockdown-dev/lockdown/internal/findings"
)

// complianceSuites makes one <testsuite> per framework of Report.Compliance
// with one <testcase> per control, in the framework's order (classname =
// framework name, name = "ID: title"). FAIL gives a <failure> whose body
// names every failing resource; NOT_ASSESSED is skipped with its reason, as
// NOT_ASSESSED results are; MANUAL is skipped with "manual: reason";
// NOT_APPLICABLE is skipped with "not applicable: reason"; an unknown status
// is an error. Never a passing case but for PASS. base carries the shared
// suite attributes and properties; IDs continue from firstID.
func complianceSuites(rep *findings.Report, base junitSuite, firstID int) []junitSuite {
	var suites []junitSuite
	for i, c := range rep.Compliance {
		suite := base
		suite.ID = firstID + i
		name := "Compliance: " + frameworkLabel(c)
		if c.Framework != "" {
			name += " (" + c.Framework + ")"
		}
		suite.Name = xmlText(name)
		suite.Package = xmlText("lockdown." + orDash(rep.AccountID) + "." + orDash(c.Framework))
		suite.Properties = append([]junitProperty{
			{"framework", xmlText(c.Framework)},
			{"framework_title", xmlText(c.Title)},
			{"framework_version", xmlText(c.Version)},
			{"framework_source", xmlText(c.Source)},
			{"compliance_summary", oneLine(xmlText(denominatorLine(c)))},
		}, base.Properties...)
		for _, ctl := range c.Controls {
			tc := junitCase{Name: xmlText(orDash(ctl.ID) + ": " + orDash(ctl.Title)), Classname: xmlText(orDash(c.Framework)), Time: "0"}
			note := oneLine(xmlText(controlNote(ctl)))
			switch ctl.Status {
			case findings.ControlFail:
				msg := fmt.Sprintf("%s failing", plural(len(ctl.Failing), "resource"))
				if len(ctl.Failing) == 0 {
					msg = fmt.Sprintf("%s failing", plural(ctl.Results.Fail, "result"))
				}
				level := strings.TrimSpace(ctl.Level)
				if level == "" {
					level = "control"
				}
				tc.Failure = &junitFailure{Message: msg, Type: xmlText(level), Body: controlFailureBody(c, ctl)}
				suite.Failures++
			case findings.ControlNotAssessed, findings.ControlManual, findings.ControlNotApplies:
				// controlNote reads "Not assessed: ...", "Manual: ..." or
				// "Not applicable: ..."; lower-cased as the results' are.
				tc.Skipped = &junitSkipped{Message: lowerFirst(note)}
				suite.Skipped++
			case findings.ControlPass:
			default:
				tc.Error = &junitFailure{Message: xmlText(fmt.Sprintf("unknown control status %q", ctl.Status)), Type: "lockdown.UnknownStatus", Body: "Control: " + oneLine(xmlText(ctl.ID))}
				suite.Errors++
			}
			suite.Tests++
			suite.Cases = append(suite.Cases, tc)
		}
		suites = append(suites, suite)
	}
	return suites
}

// controlFailureBody is a failing control's text: labelled lines only, one
// per failing resource, all of them.
func controlFailureBody(c findings.Compliance, ctl findings.ControlResult) string {
	x := func(s string) string { return oneLine(xmlText(s)) }
	var b strings.Builder
	fmt.Fprintf(&b, "Framework: %s (%s)\nControl: %s", x(frameworkLabel(c)), x(c.Framework), x(ctl.ID))
	if ctl.Title != "" {
		fmt.Fprintf(&b, " (%s)", x(ctl.Title))
	}
	if ctl.Level != "" {
		fmt.Fprintf(&b, "\nLevel: %s", x(ctl.Level))
	}
	fmt.Fprintf(&b, "\nChecks: %s", x(orDash(strings.Join(ctl.Checks, ", "))))
	fmt.Fprintf(&b, "\nResults: %s", resultCountsLine(ctl.Results))
	if ctl.Reason != "" {
		fmt.Fprintf(&b, "\nReason: %s", x(ctl.Reason))
	}
	for _, res := range ctl.Failing {
		fmt.Fprintf(&b, "\nFailing resource: %s", x(resourceLabel(res)))
		if res.Type != "" {
			fmt.Fprintf(&b, " (%s)", x(res.Type))
		}
	}
	return b.String() + "\n"
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}
