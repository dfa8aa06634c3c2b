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
// <testcase> per check and resource. Nothing is timed, so every time is 0.

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
	Body    string `xml:",cdata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

func renderJUnit(w io.Writer, rep *findings.Report, _ Options) error {
	checks := rep.CheckByID()
	host := "aws-account-" + orDash(rep.AccountID)
	ts := ""
	if !rep.CollectedAt.IsZero() {
		// The Ant/Jenkins schema wants a timestamp without a zone; it is UTC.
		ts = rep.CollectedAt.UTC().Format("2006-01-02T15:04:05")
	}
	doc := junitSuites{Name: "lockdown", Time: "0"}
	for i, sec := range groupBySection(rep) {
		suite := junitSuite{
			Name: sec.Name, Time: "0", Timestamp: ts, Hostname: host, ID: i,
			Package: "lockdown." + orDash(rep.AccountID),
			Properties: []junitProperty{
				{"account_id", rep.AccountID},
				{"snapshot_digest", rep.SnapshotDigest},
				{"tool_version", rep.ToolVersion},
			},
		}
		names := map[string]int{}
		for _, r := range sec.Results {
			tc := junitCase{Name: caseName(r, names), Classname: r.CheckID, Time: "0"}
			switch r.Status {
			case findings.Fail:
				sev := string(r.Severity)
				if sev == "" {
					sev = "unrated"
				}
				tc.Failure = &junitFailure{Message: oneLine(r.Message), Type: sev, Body: xmlSafe(failureBody(r, checks[r.CheckID]))}
				suite.Failures++
			case findings.NotAssessed:
				reason := oneLine(r.Message)
				if reason == "" {
					reason = "not assessed"
				}
				tc.Skipped = &junitSkipped{Message: reason}
				suite.Skipped++
			case findings.Pass:
			default:
				// An unknown status is not a pass: report it as an error.
				tc.Error = &junitFailure{Message: fmt.Sprintf("unknown status %q", r.Status), Type: "lockdown.UnknownStatus", Body: xmlSafe(oneLine(r.Message))}
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

// caseName is the resource ARN (or name), made unique within the suite for
// checks that report several results on one resource.
func caseName(r findings.Result, seen map[string]int) string {
	name := resourceLabel(r.Resource)
	if r.Detail != "" {
		name += " (" + r.Detail + ")"
	}
	key := r.CheckID + "\x00" + name
	seen[key]++
	if n := seen[key]; n > 1 {
		name = fmt.Sprintf("%s #%d", name, n)
	}
	return name
}

func failureBody(r findings.Result, c findings.Check) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\nCheck: %s", r.Message, r.CheckID)
	if title := orDash(r.Title); title != "-" {
		fmt.Fprintf(&b, " (%s)", title)
	}
	fmt.Fprintf(&b, "\nSeverity: %s\nResource: %s", r.Severity, resourceLabel(r.Resource))
	if r.Resource.Type != "" {
		fmt.Fprintf(&b, " (%s)", r.Resource.Type)
	}
	if r.Detail != "" {
		fmt.Fprintf(&b, "\nDetail: %s", r.Detail)
	}
	fmt.Fprintf(&b, "\nFingerprint: %s", r.Fingerprint)
	if strings.TrimSpace(c.Remediation) != "" {
		fmt.Fprintf(&b, "\n\nRemediation:\n%s", strings.TrimSpace(c.Remediation))
	}
	if c.DocsURL != "" {
		fmt.Fprintf(&b, "\n\nMore: %s", c.DocsURL)
	}
	return b.String() + "\n"
}

// xmlSafe replaces the characters XML 1.0 does not allow (most C0 controls,
// surrogates, U+FFFE/U+FFFF) with U+FFFD; CDATA sections are not escaped.
func xmlSafe(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			return r
		case r < 0x20, r >= 0xD800 && r <= 0xDFFF, r == 0xFFFE, r == 0xFFFF:
			return '\uFFFD'
		}
		return r
	}, s)
}
