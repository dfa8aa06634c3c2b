package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/lockdown-dev/lockdown/internal/findings"
)

// JUnit XML, in the shape Jenkins, GitLab, Azure DevOps and the Surefire
// schema accept: <testsuites> with one <testsuite> per guide section and one
// <testcase> per check and resource (named by the check's title and the
// resource's name, see caseNames; the classname is the check ID), then one
// <testsuite> per framework of the compliance section with one <testcase>
// per control (compliance_junit.go). Nothing is timed, so every time is 0.

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Timestamp  string          `xml:"timestamp,attr,omitempty"`
	Hostname   string          `xml:"hostname,attr"`
	ID         int             `xml:"id,attr"`
	Package    string          `xml:"package,attr"`
	Properties []junitProperty `xml:"properties>property,omitempty"`
	Cases      []junitCase     `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	Error     *junitFailure `xml:"error,omitempty"`
	Skipped   *junitSkipped `xml:"skipped,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	// Body is character data, not CDATA: encoding/xml writes its line
	// breaks as &#xA;, so no line of the document starts with text.
	Body string `xml:",chardata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

// renderJUnit writes the JUnit XML. Every string from the account or from
// check metadata goes through xmlText (controls and XML-forbidden
// characters escaped visibly), and line breaks inside attribute values and
// failure bodies are written as character references, so every line of the
// output starts with markup: no CI runner can read a line of it as a
// command, whatever the account holds.
func renderJUnit(w io.Writer, rep *findings.Report, _ Options) error {
	checks := rep.CheckByID()
	host := "aws-account-" + orDash(rep.AccountID)
	ts := ""
	if !rep.CollectedAt.IsZero() {
		// The Ant/Jenkins schema wants a timestamp without a zone; it is UTC.
		ts = rep.CollectedAt.UTC().Format("2006-01-02T15:04:05")
	}
	doc := junitSuites{Name: "lockdown", Time: "0"}
	// What every suite carries: the account, the snapshot, the version and,
	// for an incomplete audit, why it is incomplete.
	base := junitSuite{
		Time: "0", Timestamp: ts, Hostname: xmlText(host),
		Properties: []junitProperty{
			{"account_id", xmlText(rep.AccountID)},
			{"snapshot_digest", xmlText(rep.SnapshotDigest)},
			{"tool_version", xmlText(rep.ToolVersion)},
		},
	}
	if head, causes := incompleteSummary(rep); head != "" {
		base.Properties = append(base.Properties, junitProperty{"complete", "false"}, junitProperty{"incomplete", head})
		for _, c := range causes {
			base.Properties = append(base.Properties, junitProperty{"incomplete_cause", xmlText(c)})
		}
	}
	sections := groupBySection(rep)
	for i, sec := range sections {
		suite := base
		suite.Properties = append([]junitProperty(nil), base.Properties...)
		suite.ID = i
		suite.Name = xmlText(sec.Name)
		suite.Package = xmlText("lockdown." + orDash(rep.AccountID))
		names := caseNames(sec.Results, checks)
		for ri, r := range sec.Results {
			tc := junitCase{Name: names[ri], Classname: xmlText(r.CheckID), Time: "0"}
			switch r.Status {
			case findings.Fail:
				msg := r.Message
				if annotated(r) {
					msg = statusText(r) + ": " + msg
				}
				if r.Waived() {
					// Accepted, not passed: skipped, saying by whom and until when.
					tc.Skipped = &junitSkipped{Message: oneLine(xmlText(msg))}
					suite.Skipped++
					break
				}
				sev := string(r.Severity)
				if sev == "" {
					sev = "unrated"
				}
				tc.Failure = &junitFailure{Message: oneLine(xmlText(msg)), Type: xmlText(sev), Body: failureBody(r, checks[r.CheckID])}
				suite.Failures++
			case findings.NotAssessed:
				reason := oneLine(xmlText(r.Message))
				if reason == "" {
					reason = "not assessed"
				}
				tc.Skipped = &junitSkipped{Message: reason}
				suite.Skipped++
			case findings.NotApplicable:
				// Skipped, never a pass; the message says why.
				reason := "not applicable"
				if m := oneLine(xmlText(r.Message)); m != "" {
					reason += ": " + m
				}
				tc.Skipped = &junitSkipped{Message: reason}
				suite.Skipped++
			case findings.Pass:
			default:
				// An unknown status is not a pass: report it as an error.
				tc.Error = &junitFailure{Message: xmlText(fmt.Sprintf("unknown status %q", r.Status)), Type: "lockdown.UnknownStatus", Body: "Message: " + oneLine(xmlText(r.Message))}
				suite.Errors++
			}
			suite.Tests++
			suite.Cases = append(suite.Cases, tc)
		}
		doc.Tests += suite.Tests
		doc.Failures += suite.Failures
		doc.Skipped += suite.Skipped
		doc.Errors += suite.Errors
		doc.Suites = append(doc.Suites, suite)
	}
	for _, suite := range complianceSuites(rep, base, len(sections)) {
		doc.Tests += suite.Tests
		doc.Failures += suite.Failures
		doc.Skipped += suite.Skipped
		doc.Errors += suite.Errors
		doc.Suites = append(doc.Suites, suite)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("junit: %w", err)
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// caseNames names the testcases of one suite, in the order of results:
// the check's title and the resource's name ("Users must have MFA enabled:
// alice"), with the result's detail when the check reports several results
// on one resource ("...: AdminRole (statement 0)"). Names are unique within
// the suite and depend only on the results: where two results would share
// a name, both are named by the full ARN instead of the short name, and
// any that still share one are numbered in report order ("#2", "#3").
// Names are escaped for XML.
func caseNames(results []findings.Result, checks map[string]findings.Check) []string {
	title := func(r findings.Result) string {
		if c, ok := checks[r.CheckID]; ok && strings.TrimSpace(c.Title) != "" {
			return c.Title
		}
		if strings.TrimSpace(r.Title) != "" {
			return r.Title
		}
		return orDash(r.CheckID)
	}
	withDetail := func(name string, r findings.Result) string {
		if r.Detail != "" {
			name += " (" + r.Detail + ")"
		}
		return name
	}
	short := make([]string, len(results))
	count := map[string]int{}
	for i, r := range results {
		name := r.Resource.Name
		if strings.TrimSpace(name) == "" {
			name = shortResource(r.Resource)
		}
		short[i] = oneLine(xmlText(title(r) + ": " + withDetail(orDash(name), r)))
		count[short[i]]++
	}
	names := make([]string, len(results))
	seen := map[string]int{}
	for i, r := range results {
		name := short[i]
		if count[name] > 1 {
			name = oneLine(xmlText(title(r) + ": " + resourceWithDetail(r)))
		}
		names[i] = name
		seen[name]++
	}
	// Numbering: the first of a shared name keeps it; the others get the
	// first free "#n", which no other name of the suite holds.
	taken := map[string]bool{}
	for _, n := range names {
		taken[n] = true
	}
	next := map[string]int{}
	used := map[string]bool{}
	for i, n := range names {
		if seen[n] == 1 || !used[n] {
			used[n] = true
			continue
		}
		k := next[n]
		if k == 0 {
			k = 2
		}
		for taken[fmt.Sprintf("%s #%d", n, k)] {
			k++
		}
		names[i] = fmt.Sprintf("%s #%d", n, k)
		taken[names[i]] = true
		next[n] = k + 1
	}
	return names
}

// failureBody is the failure's text. Every line starts with a label of
// ours ("Message:", "Check:", ...) or, for remediation lines, with two
// spaces and text whose controls are escaped; account text never starts a
// line.
func failureBody(r findings.Result, c findings.Check) string {
	var b strings.Builder
	x := func(s string) string { return oneLine(xmlText(s)) }
	fmt.Fprintf(&b, "Message: %s\nCheck: %s", x(r.Message), x(r.CheckID))
	if title := orDash(r.Title); title != "-" {
		fmt.Fprintf(&b, " (%s)", x(title))
	}
	fmt.Fprintf(&b, "\nSeverity: %s\nResource: %s", x(string(r.Severity)), x(resourceLabel(r.Resource)))
	if r.Resource.Type != "" {
		fmt.Fprintf(&b, " (%s)", x(r.Resource.Type))
	}
	if r.Detail != "" {
		fmt.Fprintf(&b, "\nDetail: %s", x(r.Detail))
	}
	fmt.Fprintf(&b, "\nFingerprint: %s", x(r.Fingerprint))
	if r.Baseline != "" {
		fmt.Fprintf(&b, "\nBaseline: %s", x(r.Baseline))
	}
	if n := waiverNote(r); n != "" {
		fmt.Fprintf(&b, "\nWaiver: %s", x(n))
		if r.Waiver.Ticket != "" {
			fmt.Fprintf(&b, "\nWaiver ticket: %s", x(r.Waiver.Ticket))
		}
	}
	for _, f := range evidenceFields(r.Evidence) {
		parts := make([]string, len(f.items))
		for i, it := range f.items {
			parts[i] = x(it)
		}
		fmt.Fprintf(&b, "\nEvidence %s: %s", f.label, strings.Join(parts, ", "))
	}
	if strings.TrimSpace(c.Remediation) != "" {
		b.WriteString("\n\nRemediation:")
		for _, line := range strings.Split(strings.TrimSpace(c.Remediation), "\n") {
			b.WriteString("\n  " + xmlText(strings.TrimRight(line, "\r")))
		}
	}
	if c.DocsURL != "" {
		fmt.Fprintf(&b, "\n\nMore: %s", x(c.DocsURL))
	}
	return b.String() + "\n"
}
