package report

// SARIF 2.1.0: the run and its results. The rules and their help are in
// sarif_rules.go, artifact URIs in sarif_uri.go, and what an incomplete
// audit or a baseline adds in sarif_incomplete.go.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
	"unicode"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"github.com/lockdown-dev/lockdown/internal/findings"
)

const (
	sarifSchemaURI  = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	toolName        = "lockdown"
	toolInfoURI     = "https://github.com/lockdown-dev/lockdown"
	fingerprintKey  = "lockdownFingerprint/v1"
	srcRootBaseID   = "SRCROOT"
	defaultSnapshot = "lockdown-snapshot.json"
	// maxSARIFTags is GitHub code scanning's limit of tags per rule.
	maxSARIFTags = 20
)

// maxSARIFResults is GitHub code scanning's limit of results per run. Past it
// the most severe results are kept. A variable so tests can lower it.
var maxSARIFResults = 25000

// renderSARIF writes a SARIF 2.1.0 log with one rule per check and one result
// per FAIL (and NOT_APPLICABLE). Each result points at the lines of the
// snapshot its Location names. GitHub accepts at most 25,000 results per run
// and 10 MB of gzipped upload: past 25,000 failures the most severe are kept
// and the truncation is recorded in run.properties and in a tool execution
// notification.
func renderSARIF(w io.Writer, rep *findings.Report, opts Options) error {
	// The snapshot artifact every result points into.
	loc, err := sarifArtifactLocation(rep, opts)
	if err != nil {
		return err
	}
	rules, ruleIndex := sarifRules(rep, opts.Baseline)
	failing, resultNotes := splitResults(rep, ruleIndex)
	keptBaseline := baselineNotAssessed(rep, opts.Baseline)
	failing = append(failing, keptBaseline...)
	kept := keepMostSevere(failing, maxSARIFResults)

	run := newSARIFRun(rep, rules)
	complete := !incomplete(rep)
	invocation := sarif.NewInvocation()
	invocation.ExecutionSuccessful = &complete
	notes := incompleteNotifications(rep)
	notes = append(notes, snapshotNotifications(loc, opts, kept)...)
	notes = append(notes, resultNotes...)
	if len(kept) < len(failing) {
		notes = append(notes, truncationNotification(failing, kept))
	}
	invocation.ToolExecutionNotifications = notes
	run.Invocations = []*sarif.Invocation{invocation}

	if loc.base != "" {
		base := sarif.NewArtifactLocation()
		base.URI = &loc.base
		base.Index = -1
		run.OriginalUriBaseIds = map[string]sarif.ArtifactLocation{srcRootBaseID: *base}
	}
	run.Artifacts = []*sarif.Artifact{snapshotArtifact(rep, loc, opts)}
	run.Properties = runProperties(rep, opts, complete, len(failing), kept, keptBaseline)
	for _, r := range kept {
		run.AddResult(sarifResult(r, rep, ruleIndex, loc))
	}
	log := sarif.NewReport()
	log.Schema = sarifSchemaURI
	log.AddRun(run)
	return writeSARIF(w, log)
}

// newSARIFRun is a run with the tool's driver, its rules and the
// automation ID (one per account).
func newSARIFRun(rep *findings.Report, rules []*sarif.ReportingDescriptor) *sarif.Run {
	run := sarif.NewRunWithInformationURI(toolName, toolInfoURI)
	driver := run.Tool.Driver
	version := toolVersion(rep.ToolVersion)
	driver.Version = &version
	if sv := semanticVersion(version); sv != "" {
		driver.SemanticVersion = &sv
	}
	if rep.ToolVersion != "" && rep.ToolVersion != version {
		full := toolName + " " + rep.ToolVersion
		driver.FullName = &full
	}
	org := "lockdown-dev"
	driver.Organization = &org
	driver.Rules = rules

	account := rep.AccountID
	if account == "" {
		account = "unknown-account"
	}
	automationID := "lockdown/" + account + "/"
	run.AutomationDetails = sarif.NewRunAutomationDetails()
	run.AutomationDetails.ID = &automationID
	return run
}

// splitResults returns the results that become SARIF results (FAIL and
// NOT_APPLICABLE) and a notification for each one that does not: a
// warning per NOT_ASSESSED result, an error per unknown status. Passes
// are neither.
func splitResults(rep *findings.Report, ruleIndex map[string]int) ([]findings.Result, []*sarif.Notification) {
	var failing []findings.Result
	var notes []*sarif.Notification
	for _, r := range rep.Results {
		switch r.Status {
		case findings.Fail:
			failing = append(failing, r)
		case findings.NotAssessed:
			notes = append(notes, notAssessedNotification(r, ruleIndex))
		case findings.NotApplicable:
			// Not a result: code scanning opens an alert for every
			// result whatever its kind, and there is nothing to alert on.
			notes = append(notes, notApplicableNotification(r, ruleIndex))
		case findings.Pass:
		default:
			// Never silently drop a result the renderer does not understand.
			notes = append(notes, notification(sarif.LevelError, fmt.Sprintf("%s on %s has unknown status %q; it is neither a pass nor a failure.", r.CheckID, resourceLabel(r.Resource), r.Status)))
		}
	}
	return failing, notes
}

// snapshotArtifact describes the snapshot file: its location, length and
// digest.
func snapshotArtifact(rep *findings.Report, loc artifactLoc, opts Options) *sarif.Artifact {
	artifact := sarif.NewArtifact()
	artifact.Location = newArtifactLocation(loc, -1)
	if len(opts.SnapshotData) > 0 {
		artifact.Length = len(opts.SnapshotData)
	}
	if d, ok := strings.CutPrefix(rep.SnapshotDigest, "sha256:"); ok && d != "" {
		artifact.Hashes = map[string]string{"sha-256": d}
	}
	mime := "application/json"
	artifact.MimeType = &mime
	artifact.Roles = []string{"analysisTarget"}
	return artifact
}

// snapshotNotifications warn when the snapshot lies outside the SARIF root
// and when results carry no location (they then point at line 1).
func snapshotNotifications(loc artifactLoc, opts Options, kept []findings.Result) []*sarif.Notification {
	var notes []*sarif.Notification
	if loc.outsideRoot {
		notes = append(notes, notification(sarif.LevelWarning, fmt.Sprintf("The snapshot %s is outside the SARIF root %s; code scanning cannot show its lines.", loc.display, opts.SARIFRoot)))
	}
	n := 0
	for _, r := range kept {
		if r.Location == nil || r.Location.StartLine < 1 {
			n++
		}
	}
	switch {
	case n == 0:
	case len(opts.SnapshotData) == 0:
		notes = append(notes, notification(sarif.LevelWarning, fmt.Sprintf("The snapshot %s was not provided to the renderer; results point at line 1.", loc.display)))
	default:
		notes = append(notes, notification(sarif.LevelWarning, fmt.Sprintf("%d of %s have no location in the snapshot %s; they point at line 1.", n, plural(len(kept), "result"), loc.display)))
	}
	return notes
}

// runProperties summarise the run: account, snapshot, counts, truncation,
// completeness and the baseline results kept.
func runProperties(rep *findings.Report, opts Options, complete bool, failing int, kept, keptBaseline []findings.Result) *sarif.PropertyBag {
	props := sarif.NewPropertyBag()
	summary := findings.Summarize(rep.Results)
	props.Add("accountId", rep.AccountID)
	if rep.Partition != "" {
		props.Add("partition", rep.Partition)
	}
	props.Add("snapshotDigest", rep.SnapshotDigest)
	props.Add("collectedAt", rep.CollectedAt.UTC().Format("2006-01-02T15:04:05Z07:00"))
	props.Add("summary", summary)
	props.Add("truncated", len(kept) < failing)
	props.Add("failingResults", summary.Fail)
	props.Add("reportedResults", len(kept))
	props.Add("complete", complete)
	if len(opts.Baseline) > 0 {
		props.Add("baselineResultsKept", len(keptBaseline))
	}
	return props
}

// truncationNotification says how many failing results GitHub's limit left
// out.
func truncationNotification(failing, kept []findings.Result) *sarif.Notification {
	return notification(sarif.LevelWarning, fmt.Sprintf(
		"%d failing results exceed GitHub's limit of %d per run; only the %d most severe are included. The JSON report has all of them.",
		len(failing), maxSARIFResults, len(kept)))
}

// writeSARIF encodes the log with 2-space indentation, without what the
// library writes but that says nothing (pruneSARIF), and with C1, bidi and
// invisible characters as \u escapes.
func writeSARIF(w io.Writer, log *sarif.Report) error {
	raw, err := json.Marshal(log)
	if err != nil {
		return fmt.Errorf("sarif: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return fmt.Errorf("sarif: %w", err)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(pruneSARIF(doc)); err != nil {
		return err
	}
	_, err = w.Write(jsonUnicodeEscape(buf.Bytes()))
	return err
}

// sarifResult is one FAIL or NOT_APPLICABLE result (or a kept baseline
// failure): its rule, level, message, region (the result's Location),
// fingerprint and properties.
func sarifResult(r findings.Result, rep *findings.Report, ruleIndex map[string]int, loc artifactLoc) *sarif.Result {
	res := sarif.NewResult()
	id := r.CheckID
	res.RuleID = &id
	res.RuleIndex = ruleIndex[r.CheckID]
	res.Level = sarifLevel(r.Severity)
	res.Kind = "fail"

	who := resourceID(r.Resource)
	// GitHub rejects a result without message text.
	msg := sentence(strings.TrimSpace(r.Message))
	if msg == "" {
		msg = sentence(r.Title)
	}
	if msg == "" {
		msg = r.CheckID + " failed."
	}
	if annotated(r) {
		msg = statusText(r) + ": " + msg
	}
	if who != "" {
		msg = who + ": " + msg
	}
	res.Message = textMessage(msg)
	switch r.Baseline {
	case findings.BaselineNew:
		res.BaselineState = ptr("new")
	case findings.BaselineKnown:
		res.BaselineState = ptr("unchanged")
	}
	if r.Waived() {
		// Accepted by its owner until it expires: code scanning shows it
		// as dismissed, with the justification.
		sup := sarif.NewSuppression()
		sup.Kind = ptr("external")
		sup.Status = ptr("accepted")
		sup.Justification = ptr(escapeControls(waiverJustification(r.Waiver)))
		res.Suppressions = []*sarif.Suppression{sup}
	}

	// The result's location in the snapshot, or line 1 without one.
	start, end := 1, 1
	if l := r.Location; l != nil && l.StartLine > 0 {
		start, end = l.StartLine, max(l.EndLine, l.StartLine)
	}
	region := sarif.NewRegion()
	region.StartLine = &start
	region.EndLine = &end

	phys := sarif.NewPhysicalLocation()
	phys.ArtifactLocation = newArtifactLocation(loc, 0)
	phys.Region = region

	location := sarif.NewLocation()
	location.PhysicalLocation = phys
	if r.Resource.ARN != "" {
		ll := sarif.NewLogicalLocation()
		name := shortResource(r.Resource)
		fqn := r.Resource.ARN
		kind := "resource"
		ll.Name, ll.FullyQualifiedName, ll.Kind = &name, &fqn, &kind
		location.LogicalLocations = []*sarif.LogicalLocation{ll}
	}
	res.Locations = []*sarif.Location{location}

	fp := r.Fingerprint
	if fp == "" {
		fp = findings.Fingerprint(r.CheckID, rep.AccountID, r.Resource.ARN, r.Detail)
	}
	res.PartialFingerprints = map[string]string{fingerprintKey: fp}

	props := sarif.NewPropertyBag()
	props.Add("severity", string(r.Severity))
	props.Add("resourceArn", r.Resource.ARN)
	if r.Resource.Type != "" {
		props.Add("resourceType", r.Resource.Type)
	}
	if r.Resource.Name != "" {
		props.Add("resourceName", r.Resource.Name)
	}
	if r.Detail != "" {
		props.Add("detail", r.Detail)
	}
	props.Add("status", string(r.Status))
	if r.Waiver != nil {
		props.Add("waiver", r.Waiver)
	}
	if r.Evidence != nil {
		props.Add("evidence", r.Evidence)
	}
	if r.Status == baselineStatus {
		props.Add("status", string(findings.NotAssessed))
		props.Add("baseline", "failed in the baseline; not assessed in this run")
	}
	res.Properties = props
	return res
}

// keepMostSevere returns at most n results, preferring failures to
// NOT_APPLICABLE results and then higher severities;
// the kept results stay in the report's order.
func keepMostSevere(results []findings.Result, n int) []findings.Result {
	if len(results) <= n {
		return results
	}
	idx := make([]int, len(results))
	for i := range idx {
		idx[i] = i
	}
	// The most severe failures (baseline ones included).
	sort.SliceStable(idx, func(a, b int) bool {
		return results[idx[a]].Severity.Rank() > results[idx[b]].Severity.Rank()
	})
	idx = idx[:n]
	sort.Ints(idx)
	out := make([]findings.Result, 0, n)
	for _, i := range idx {
		out = append(out, results[i])
	}
	return out
}

func notification(level, text string) *sarif.Notification {
	n := sarif.NewNotification()
	n.Level = level
	n.Message = textMessage(text)
	return n
}

// multiformat and textMessage escape controls visibly: message text holds
// no raw control, bidi or invisible character (line breaks of multi-line
// text of ours are kept by textBlock).
func multiformat(text string) *sarif.MultiformatMessageString {
	m := sarif.NewMultiformatMessageString()
	text = escapeControls(text)
	m.Text = &text
	return m
}

func textMessage(text string) *sarif.Message {
	m := sarif.NewMessage()
	text = escapeControls(text)
	m.Text = &text
	return m
}

// textBlock escapes controls in multi-line text, keeping its line breaks.
func textBlock(s string) string {
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	for i, l := range lines {
		lines[i] = escapeControls(l)
	}
	return strings.Join(lines, "\n")
}

// toolVersion makes the version SARIF consumers can compare: it must start
// with a number, so "v1.2.3" becomes "1.2.3" and a build without a release
// version ("dev", "") becomes "0.0.0-dev" / "0.0.0-unknown".
func toolVersion(v string) string {
	v = strings.TrimPrefix(strings.TrimSpace(v), "v")
	if v != "" && v[0] >= '0' && v[0] <= '9' {
		return v
	}
	clean := strings.Map(func(r rune) rune {
		if r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == '-') {
			return r
		}
		return '-'
	}, v)
	if clean == "" {
		clean = "unknown"
	}
	return "0.0.0-" + clean
}

var semverRE = regexp.MustCompile(`^v?(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)$`)

func semanticVersion(v string) string {
	if m := semverRE.FindStringSubmatch(v); m != nil {
		return m[1]
	}
	return ""
}

// pruneSARIF removes what the SARIF library always writes but that says
// nothing: nulls, empty arrays and property bags, and -1 "not given" indexes
// and offsets (the schema's defaults). "results" and "rules" stay even when
// empty, because an empty results array means "looked and found nothing".
func pruneSARIF(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, child := range t {
			switch c := child.(type) {
			case nil:
				delete(t, k)
				continue
			case []any:
				if len(c) == 0 && k != "results" && k != "rules" {
					delete(t, k)
					continue
				}
			case map[string]any:
				if len(c) == 0 && k == "properties" {
					delete(t, k)
					continue
				}
			case json.Number:
				if c == "-1" && minusOneDefaults[k] {
					delete(t, k)
					continue
				}
			}
			t[k] = pruneSARIF(child)
			if m, ok := t[k].(map[string]any); ok && len(m) == 0 && k == "properties" {
				delete(t, k)
			}
		}
		return t
	case []any:
		for i := range t {
			t[i] = pruneSARIF(t[i])
		}
		return t
	}
	return v
}

// minusOneDefaults are the SARIF properties whose default is -1.
var minusOneDefaults = map[string]bool{
	"index": true, "parentIndex": true, "byteOffset": true, "charOffset": true,
	"rank": true, "ruleIndex": true, "id": true, "length": true,
}
