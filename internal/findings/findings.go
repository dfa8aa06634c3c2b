// Package findings is the neutral result model shared by the engine and the
// renderers. It imports neither OPA nor the AWS SDK.
package findings

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
)

// ReportSchemaV1 is the JSON report's schema identifier.
const ReportSchemaV1 = "lockdown.report/v1"

// Status of one check on one resource.
type Status string

const (
	Pass        Status = "PASS"
	Fail        Status = "FAIL"
	NotAssessed Status = "NOT_ASSESSED"
	// NotApplicable means the check has nothing to judge here (for example
	// the local AWS CLI checks on a machine with no AWS CLI configuration).
	// It is never a PASS: it affects neither the exit code nor completeness,
	// and every renderer shows it apart from passing results, with its reason.
	NotApplicable Status = "NOT_APPLICABLE"
)

// Severity of a check, lowest to highest.
type Severity string

const (
	Info     Severity = "info"
	Low      Severity = "low"
	Medium   Severity = "medium"
	High     Severity = "high"
	Critical Severity = "critical"
)

// Rank orders severities; unknown severities rank below info.
func (s Severity) Rank() int {
	switch s {
	case Info:
		return 1
	case Low:
		return 2
	case Medium:
		return 3
	case High:
		return 4
	case Critical:
		return 5
	}
	return 0
}

// ParseSeverity returns the severity named by s, or false.
func ParseSeverity(s string) (Severity, bool) {
	sev := Severity(s)
	return sev, sev.Rank() > 0
}

// Check is a check's metadata, from its Rego METADATA annotation.
type Check struct {
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Description string   `json:"description,omitempty"`
	Severity    Severity `json:"severity"`
	Section     string   `json:"section"`              // guide section, e.g. "AWS root user"
	GuideStep   string   `json:"guide_step,omitempty"` // the guide's words this check encodes
	Requires    []string `json:"requires"`             // snapshot sources
	// Controls are the framework controls this check decides, by framework
	// name, from the frameworks' own files.
	Controls    map[string][]string `json:"controls,omitempty"`
	Remediation string              `json:"remediation"`
	DocsURL     string              `json:"docs_url"`
}

// Resource is what a result is about.
type Resource struct {
	ARN  string `json:"arn"`
	Type string `json:"type"` // AWS::IAM::User, AWS::IAM::Role, AWS::IAM::Group, AWS::IAM::Policy, AWS::Account, ...
	Name string `json:"name"`
}

// Result is one check's verdict on one resource.
type Result struct {
	CheckID     string   `json:"check_id"`
	Title       string   `json:"title"`
	Severity    Severity `json:"severity"`
	Status      Status   `json:"status"`
	Resource    Resource `json:"resource"`
	Message     string   `json:"message"`
	Detail      string   `json:"detail,omitempty"` // distinguishes several results on one resource
	Fingerprint string   `json:"fingerprint"`
	// Evidence is everything behind the message, never truncated: where a
	// message says "(19 more)", Evidence lists all of them.
	Evidence *Evidence `json:"evidence,omitempty"`
	// Location is where the resource is in the snapshot file, nil when the
	// snapshot was not indexed. Renderers print it; they never look it up.
	Location *Location `json:"location,omitempty"`
	// Controls are the framework controls this result decides, by framework
	// name (cis-aws-5.0 -> ["1.4"]); frameworks it decides nothing in are absent.
	Controls map[string][]string `json:"controls,omitempty"`
	// Waiver is the waiver entry that matched this failing result: one in
	// force (the FAIL stays a FAIL and does not count for the exit code) or
	// one that has expired (Expired; the FAIL counts again). Nil when none
	// matched; never set on a result that is not a FAIL.
	Waiver *Waiver `json:"waiver,omitempty"`
	// Baseline is BaselineNew or BaselineKnown when the audit was compared
	// with a previous report (--baseline), empty otherwise.
	Baseline string `json:"baseline,omitempty"`
}

// Baseline values of a result.
const (
	BaselineNew   = "new"   // the baseline has no result with this fingerprint and status
	BaselineKnown = "known" // the baseline has this fingerprint with the same status
)

// Waiver is one entry of a waivers file (lockdown.waivers/v1) as it applied
// to a result.
type Waiver struct {
	Check    string            `json:"check,omitempty"`
	Control  string            `json:"control,omitempty"` // framework/control, e.g. cis-aws-5.0/1.15
	Resource string            `json:"resource,omitempty"`
	Tag      map[string]string `json:"tag,omitempty"`
	Reason   string            `json:"reason"`
	Owner    string            `json:"owner"`
	Expires  string            `json:"expires"` // YYYY-MM-DD; in force through that day (UTC)
	Ticket   string            `json:"ticket,omitempty"`
	// Line is the entry's line in the waivers file.
	Line    int  `json:"line"`
	Expired bool `json:"expired,omitempty"`
}

// Waived reports whether a waiver in force covers r: a FAIL with a waiver
// that has not expired.
func (r Result) Waived() bool {
	return r.Status == Fail && r.Waiver != nil && !r.Waiver.Expired
}

// Location is a range of lines in the snapshot file the report's
// SnapshotDigest names: 1-based and inclusive.
type Location struct {
	StartLine int `json:"start_line"`
	EndLine   int `json:"end_line"`
	// Fallback is set when the snapshot has no entry for the resource; the
	// lines are then the account block (or line 1 when there is none).
	Fallback bool `json:"fallback,omitempty"`
}

// Evidence is the structured detail behind a result. Every list is sorted
// and complete. "*" in Actions means any action.
type Evidence struct {
	Actions    []string `json:"actions,omitempty"`
	Resources  []string `json:"resources,omitempty"`
	Statements []string `json:"statements,omitempty"` // "policy statement Sid-or-#N" phrases
	Contexts   []string `json:"contexts,omitempty"`   // access_key | session_no_mfa | mfa_session
	Principals []string `json:"principals,omitempty"` // ARNs
	Items      []string `json:"items,omitempty"`      // other named items (profiles, keys, missing entities)
	// Paths are privilege-escalation paths (LD-PE-01), in the check's order.
	Paths []EscalationPath `json:"paths,omitempty"`
}

// Fingerprint derives a stable identity from check, account, resource and detail.
func Fingerprint(checkID, accountID, resourceARN, detail string) string {
	h := sha256.New()
	for _, part := range []string{checkID, accountID, resourceARN, detail} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// Summary counts results.
type Summary struct {
	Total       int `json:"total"`
	Pass        int `json:"pass"`
	Fail        int `json:"fail"`
	NotAssessed int `json:"not_assessed"`
	// NotApplicable counts results with nothing to judge; they are not in
	// Pass, and they do not make the audit incomplete.
	NotApplicable int            `json:"not_applicable"`
	FailBySev     map[string]int `json:"fail_by_severity"`
	// Waived counts the failures (in Fail) a waiver in force covers.
	Waived int `json:"waived,omitempty"`
}

// Report is the whole outcome of one evaluation.
type Report struct {
	Schema         string    `json:"schema"`
	ToolVersion    string    `json:"tool_version"`
	AccountID      string    `json:"account_id"`
	Partition      string    `json:"partition,omitempty"`
	SnapshotDigest string    `json:"snapshot_digest"` // sha256:<hex> of the snapshot file bytes
	SnapshotPath   string    `json:"-"`               // for renderers that point at the file (SARIF)
	CollectedAt    time.Time `json:"collected_at"`
	Summary        Summary   `json:"summary"`
	// CatalogVersion identifies the set of built-in checks (and their
	// metadata) that produced this report.
	CatalogVersion string `json:"catalog_version"`
	// Parameters are the check thresholds in force, defaults included.
	Parameters map[string]any `json:"parameters"`
	// SelectedChecks were evaluated; SkippedChecks were loaded but left out
	// (--check, --skip-check). Both sorted.
	SelectedChecks []string `json:"selected_checks"`
	SkippedChecks  []string `json:"skipped_checks"`
	// Complete is false when any selected check is NOT_ASSESSED on any
	// resource; Incomplete then says why, one cause per line.
	Complete   bool     `json:"complete"`
	Incomplete []Cause  `json:"incomplete"`
	Checks     []Check  `json:"checks"`
	Results    []Result `json:"results"`
	// Compliance has one entry per framework selected with --framework, in
	// the order given.
	Compliance []Compliance `json:"compliance,omitempty"`
	// BaselineDigest is the snapshot digest of the baseline report the
	// results were compared with (--baseline); absent without one.
	BaselineDigest string `json:"baseline_snapshot_digest,omitempty"`
	// Fixed are the baseline's failing results that pass now, or that are
	// gone while their check was assessed throughout, sorted by
	// fingerprint, without their location (it was in the old snapshot).
	// Absent when nothing is fixed or there is no baseline.
	Fixed []Result `json:"fixed,omitempty"`
}

// ControlStatus is a framework control's verdict.
type ControlStatus string

const (
	ControlPass        ControlStatus = "PASS"           // has results, all pass
	ControlFail        ControlStatus = "FAIL"           // any result fails
	ControlNotAssessed ControlStatus = "NOT_ASSESSED"   // no failure, but data or a check is missing
	ControlManual      ControlStatus = "MANUAL"         // cannot be automated; Reason says why
	ControlNotApplies  ControlStatus = "NOT_APPLICABLE" // every result is NOT_APPLICABLE
)

// Compliance is one framework's controls judged from a report's results.
type Compliance struct {
	Framework string            `json:"framework"` // e.g. cis-aws-5.0
	Title     string            `json:"title"`
	Version   string            `json:"version"`
	Source    string            `json:"source"` // where the framework's text is published
	Summary   ComplianceSummary `json:"summary"`
	Controls  []ControlResult   `json:"controls"` // in the framework's order
}

// ComplianceSummary counts controls. Total = Automated + Manual; the
// statuses split Automated.
type ComplianceSummary struct {
	Total         int `json:"total"`
	Automated     int `json:"automated"`
	Manual        int `json:"manual"`
	Pass          int `json:"pass"`
	Fail          int `json:"fail"`
	NotAssessed   int `json:"not_assessed"`
	NotApplicable int `json:"not_applicable"`
}

// Add counts one control: MANUAL apart, every other status as automated
// and under its status (an unknown status counts as automated and in no
// status).
func (s *ComplianceSummary) Add(st ControlStatus) {
	s.Total++
	if st == ControlManual {
		s.Manual++
		return
	}
	s.Automated++
	switch st {
	case ControlPass:
		s.Pass++
	case ControlFail:
		s.Fail++
	case ControlNotAssessed:
		s.NotAssessed++
	case ControlNotApplies:
		s.NotApplicable++
	}
}

// ControlResult is one control's status and what decided it.
type ControlResult struct {
	ID     string        `json:"id"`
	Title  string        `json:"title"`
	Level  string        `json:"level,omitempty"` // CIS profile level (L1, L2) or Security Hub severity
	Status ControlStatus `json:"status"`
	Checks []string      `json:"checks"` // check IDs behind it; empty for a manual control
	// Reason says why a control is MANUAL or NOT_ASSESSED.
	Reason string `json:"reason,omitempty"`
	// Results counts the results of Checks by status.
	Results ResultCounts `json:"results"`
	// Failing are the resources with a failing result, sorted by ARN, unique.
	Failing []Resource `json:"failing,omitempty"`
}

// ResultCounts counts results by status.
type ResultCounts struct {
	Pass          int `json:"pass"`
	Fail          int `json:"fail"`
	NotAssessed   int `json:"not_assessed"`
	NotApplicable int `json:"not_applicable"`
}

// Cause is one reason an audit is incomplete: a source that failed (with the
// API action and error) or one item that could not be read, and the checks
// it left NOT_ASSESSED.
type Cause struct {
	Source    string   `json:"source"`           // snapshot source, e.g. authorization_details
	Action    string   `json:"action,omitempty"` // API action, e.g. iam:GetAccountAuthorizationDetails
	Item      string   `json:"item,omitempty"`   // the one item at fault, when it is one item
	ErrorCode string   `json:"error_code,omitempty"`
	Message   string   `json:"message,omitempty"`
	Checks    []string `json:"checks"` // check IDs left NOT_ASSESSED, sorted
}

// String is the cause as one stderr line, without the message when an error
// code names the problem, e.g.
// "authorization_details: iam:GetAccountAuthorizationDetails AccessDenied: 8 checks not assessed".
func (c Cause) String() string {
	var b strings.Builder
	b.WriteString(c.Source)
	b.WriteString(":")
	if c.Action != "" {
		b.WriteString(" " + c.Action)
	}
	if c.Item != "" {
		b.WriteString(" " + c.Item)
	}
	if c.ErrorCode != "" {
		b.WriteString(" " + c.ErrorCode)
	}
	// A failed source's error code says enough on one line; its message
	// (an AWS error can run long) is in the JSON report. An item's message
	// says what is wrong with it.
	if c.Message != "" && (c.ErrorCode == "" || c.Item != "") {
		b.WriteString(" (" + c.Message + ")")
	}
	n := len(c.Checks)
	noun := "checks"
	if n == 1 {
		noun = "check"
	}
	fmt.Fprintf(&b, ": %d %s not assessed", n, noun)
	return b.String()
}

// Summarize counts results by status and failing severity.
func Summarize(results []Result) Summary {
	s := Summary{Total: len(results), FailBySev: map[string]int{}}
	for _, r := range results {
		switch r.Status {
		case Pass:
			s.Pass++
		case Fail:
			s.Fail++
			s.FailBySev[string(r.Severity)]++
			if r.Waived() {
				s.Waived++
			}
		case NotAssessed:
			s.NotAssessed++
		case NotApplicable:
			s.NotApplicable++
		}
	}
	return s
}

// CheckByID indexes the report's checks.
func (r *Report) CheckByID() map[string]Check {
	m := make(map[string]Check, len(r.Checks))
	for _, c := range r.Checks {
		m[c.ID] = c
	}
	return m
}
