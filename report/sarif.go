package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
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

// renderSARIF writes a SARIF 2.1.0 log with one rule per check and one result
// per FAIL. Each result points at the lines of the snapshot entity it is
// about. GitHub accepts at most 25,000 results per run and 10 MB of gzipped
// upload: past 25,000 failures the most severe are kept and the truncation is
// recorded in run.properties and in a tool execution notification.
func renderSARIF(w io.Writer, rep *findings.Report, opts Options) error {
	log := sarif.NewReport()
	log.Schema = sarifSchemaURI

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

	rules, ruleIndex := sarifRules(rep, opts.Baseline)
	driver.Rules = rules

	account := rep.AccountID
	if account == "" {
		account = "unknown-account"
	}
	automationID := "lockdown/" + account + "/"
	run.AutomationDetails = sarif.NewRunAutomationDetails()
	run.AutomationDetails.ID = &automationID

	invocation := sarif.NewInvocation()
	// An incomplete audit is not a successful execution, and each of its
	// causes is an error notification (see README, "SARIF of an incomplete
	// audit").
	ok := !incomplete(rep)
	invocation.ExecutionSuccessful = &ok
	for _, c := range rep.Incomplete {
		invocation.ToolExecutionNotifications = append(invocation.ToolExecutionNotifications, causeNotification(c))
	}
	if !ok && len(rep.Incomplete) == 0 {
		invocation.ToolExecutionNotifications = append(invocation.ToolExecutionNotifications,
			notification(sarif.LevelError, "The audit is incomplete: the report does not say it is complete or some results were not assessed; no cause was recorded."))
	}

	// The snapshot artifact every result points into.
	loc, err := sarifArtifactLocation(rep, opts)
	if err != nil {
		return err
	}
	if loc.outsideRoot {
		invocation.ToolExecutionNotifications = append(invocation.ToolExecutionNotifications,
			notification(sarif.LevelWarning, fmt.Sprintf("The snapshot %s is outside the SARIF root %s; code scanning cannot show its lines.", loc.display, opts.SARIFRoot)))
	}
	if loc.base != "" {
		base := sarif.NewArtifactLocation()
		base.URI = &loc.base
		base.Index = -1
		run.OriginalUriBaseIds = map[string]sarif.ArtifactLocation{srcRootBaseID: *base}
	}
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
	run.Artifacts = []*sarif.Artifact{artifact}

	var locator *locator
	if len(opts.SnapshotData) > 0 {
		l, err := newLocator(opts.SnapshotData)
		if err != nil {
			invocation.ToolExecutionNotifications = append(invocation.ToolExecutionNotifications,
				notification(sarif.LevelWarning, fmt.Sprintf("Cannot index the snapshot %s (%v); results point at line 1.", loc.display, err)))
		} else {
			locator = l
		}
	} else {
		invocation.ToolExecutionNotifications = append(invocation.ToolExecutionNotifications,
			notification(sarif.LevelWarning, fmt.Sprintf("The snapshot %s was not provided to the renderer; results point at line 1.", loc.display)))
	}

	var failing []findings.Result
	for _, r := range rep.Results {
		switch r.Status {
		case findings.Fail, findings.NotApplicable:
			failing = append(failing, r)
		case findings.NotAssessed:
			invocation.ToolExecutionNotifications = append(invocation.ToolExecutionNotifications,
				notAssessedNotification(r, ruleIndex))
		case findings.Pass:
		default:
			// Never silently drop a result the renderer does not understand.
			invocation.ToolExecutionNotifications = append(invocation.ToolExecutionNotifications,
				notification(sarif.LevelError, fmt.Sprintf("%s on %s has unknown status %q; it is neither a pass nor a failure.", r.CheckID, resourceLabel(r.Resource), r.Status)))
		}
	}
	keptBaseline := baselineNotAssessed(rep, opts.Baseline)
	failing = append(failing, keptBaseline...)
	kept := keepMostSevere(failing, maxSARIFResults)

	props := sarif.NewPropertyBag()
	summary := findings.Summarize(rep.Results)
	props.Add("accountId", rep.AccountID)
	if rep.Partition != "" {
		props.Add("partition", rep.Partition)
	}
	props.Add("snapshotDigest", rep.SnapshotDigest)
	props.Add("collectedAt", rep.CollectedAt.UTC().Format("2006-01-02T15:04:05Z07:00"))
	props.Add("summary", summary)
	props.Add("truncated", len(kept) < len(failing))
	props.Add("failingResults", summary.Fail)
	props.Add("reportedResults", len(kept))
	props.Add("complete", ok)
	if len(opts.Baseline) > 0 {
		props.Add("baselineResultsKept", len(keptBaseline))
	}
	run.Properties = props
	if len(kept) < len(failing) {
		nFail, nNA := 0, 0
		for _, r := range failing {
			if r.Status == findings.NotApplicable {
				nNA++
			} else {
				nFail++
			}
		}
		also := ""
		if nNA > 0 {
			also = fmt.Sprintf(" with %d not-applicable results", nNA)
		}
		invocation.ToolExecutionNotifications = append(invocation.ToolExecutionNotifications,
			notification(sarif.LevelWarning, fmt.Sprintf(
				"%d failing results exceed GitHub's limit of %d per run%s; only the %d most severe are included. The JSON report has all of them.",
				nFail, maxSARIFResults, also, len(kept))))
	}
	run.Invocations = []*sarif.Invocation{invocation}

	checks := rep.CheckByID()
	for _, r := range kept {
		run.AddResult(sarifResult(r, rep, checks, ruleIndex, loc, locator))
	}

	log.AddRun(run)

	raw, err := json.Marshal(log)
	if err != nil {
		return fmt.Errorf("sarif: %w", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(raw)))
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

// ruleTags: "security", the guide section, then CIS and Security Hub IDs,
// without duplicates and within GitHub's limit.
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
	for _, id := range c.CIS {
		add("CIS " + id)
	}
	for _, id := range c.SecurityHub {
		add("Security Hub " + id)
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
	if len(c.CIS) > 0 || len(c.SecurityHub) > 0 {
		var ids []string
		for _, id := range c.CIS {
			ids = append(ids, "CIS "+id)
		}
		for _, id := range c.SecurityHub {
			ids = append(ids, "Security Hub "+id)
		}
		fmt.Fprintf(&t, "\nControls: %s\n", strings.Join(ids, ", "))
		fmt.Fprintf(&m, "\n**Controls:** %s\n", escapeMarkdown(strings.Join(ids, ", ")))
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

func sarifResult(r findings.Result, rep *findings.Report, checks map[string]findings.Check, ruleIndex map[string]int, loc artifactLoc, l *locator) *sarif.Result {
	res := sarif.NewResult()
	id := r.CheckID
	res.RuleID = &id
	res.RuleIndex = ruleIndex[r.CheckID]
	res.Level = sarifLevel(r.Severity)
	res.Kind = "fail"
	if r.Status == findings.NotApplicable {
		// Never an alert, never a pass: SARIF's own "nothing to judge".
		res.Kind = "notApplicable"
		res.Level = "none"
	}

	who := r.Resource.ARN
	if who == "" {
		who = r.Resource.Name
	}
	// GitHub rejects a result without message text.
	msg := sentence(strings.TrimSpace(r.Message))
	if msg == "" {
		msg = sentence(r.Title)
	}
	if msg == "" {
		msg = r.CheckID + " failed."
		if r.Status == findings.NotApplicable {
			msg = r.CheckID + " is not applicable."
		}
	}
	if r.Status == findings.NotApplicable {
		msg = "Not applicable: " + msg
	}
	if who != "" {
		msg = who + ": " + msg
	}
	res.Message = textMessage(msg)

	lines := l.fallback()
	if l != nil {
		lines, _ = l.lookup(r.Resource.ARN, r.Resource.Type, checks[r.CheckID].Requires)
	}
	region := sarif.NewRegion()
	start, end := lines.Start, lines.End
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

// baselineStatus marks, inside the SARIF renderer only, a baseline FAIL
// kept because this run could not judge it.
const baselineStatus findings.Status = "lockdown-baseline-not-assessed"

// baselineNotAssessed returns the baseline FAILs this run could not judge:
// no FAIL, PASS or NOT_APPLICABLE result for their (check, resource ARN,
// detail), and their check or resource NOT_ASSESSED here. Each comes back
// with its fingerprint and severity (so its level) and a message that says
// why it was not assessed and that it failed in the baseline. A baseline
// FAIL whose check was assessed but no longer reports it is left out: it
// was fixed or its resource is gone, and its alert may close.
func baselineNotAssessed(rep *findings.Report, baseline []findings.Result) []findings.Result {
	if len(baseline) == 0 {
		return nil
	}
	type key struct{ check, arn, detail string }
	judged := map[key]bool{}
	naPair := map[key]string{} // (check, arn, "") -> reason
	naCheck := map[string]string{}
	for _, r := range rep.Results {
		switch r.Status {
		case findings.Fail, findings.Pass, findings.NotApplicable:
			judged[key{r.CheckID, r.Resource.ARN, r.Detail}] = true
		case findings.NotAssessed:
			reason := strings.TrimSpace(r.Message)
			if reason == "" {
				reason = "no reason given"
			}
			k := key{r.CheckID, r.Resource.ARN, ""}
			if _, ok := naPair[k]; !ok {
				naPair[k] = reason
			}
			if _, ok := naCheck[r.CheckID]; !ok {
				naCheck[r.CheckID] = reason
			}
		}
	}
	causeOf := map[string]string{}
	for _, c := range rep.Incomplete {
		for _, id := range c.Checks {
			if _, ok := causeOf[id]; !ok {
				causeOf[id] = c.String()
			}
		}
	}
	var out []findings.Result
	seen := map[key]bool{}
	for _, b := range baseline {
		k := key{b.CheckID, b.Resource.ARN, b.Detail}
		if b.Status != findings.Fail || judged[k] || seen[k] {
			continue
		}
		reason, ok := naPair[key{b.CheckID, b.Resource.ARN, ""}]
		if !ok {
			reason, ok = causeOf[b.CheckID]
		}
		if !ok {
			reason, ok = naCheck[b.CheckID]
		}
		if !ok {
			continue
		}
		seen[k] = true
		kept := b
		if kept.Fingerprint == "" {
			kept.Fingerprint = findings.Fingerprint(b.CheckID, rep.AccountID, b.Resource.ARN, b.Detail)
		}
		kept.Status = baselineStatus
		was := strings.TrimSpace(b.Message)
		if was == "" {
			was = "no message"
		}
		kept.Message = fmt.Sprintf("Not assessed in this run (%s); it failed in the baseline: %s", strings.TrimSuffix(reason, "."), sentence(was))
		out = append(out, kept)
	}
	return out
}

// causeNotification is one incompleteness cause as an error notification,
// with its source, API action, item, error code and checks as properties.
func causeNotification(c findings.Cause) *sarif.Notification {
	n := notification(sarif.LevelError, c.String())
	props := sarif.NewPropertyBag()
	props.Add("source", c.Source)
	if c.Action != "" {
		props.Add("action", c.Action)
	}
	if c.Item != "" {
		props.Add("item", c.Item)
	}
	if c.ErrorCode != "" {
		props.Add("errorCode", c.ErrorCode)
	}
	checks := c.Checks
	if checks == nil {
		checks = []string{}
	}
	props.Add("checks", checks)
	n.Properties = props
	return n
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
	// Failures (baseline ones included) before NOT_APPLICABLE results,
	// then the most severe.
	na := func(i int) bool { return results[i].Status == findings.NotApplicable }
	sort.SliceStable(idx, func(a, b int) bool {
		if na(idx[a]) != na(idx[b]) {
			return !na(idx[a])
		}
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

func notAssessedNotification(r findings.Result, ruleIndex map[string]int) *sarif.Notification {
	who := r.Resource.ARN
	if who == "" {
		who = r.Resource.Name
	}
	reason := strings.TrimSpace(r.Message)
	if reason == "" {
		reason = "no reason given"
	}
	n := notification(sarif.LevelWarning, sentence(fmt.Sprintf("%s was not assessed for %s: %s", r.CheckID, who, reason)))
	ref := sarif.NewReportingDescriptorReference()
	id := r.CheckID
	ref.ID = &id
	ref.Index = ruleIndex[r.CheckID]
	n.AssociatedRule = ref
	return n
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

func newArtifactLocation(loc artifactLoc, index int) *sarif.ArtifactLocation {
	a := sarif.NewArtifactLocation()
	uri := loc.uri
	a.URI = &uri
	if loc.baseID != "" {
		b := loc.baseID
		a.URIBaseID = &b
	}
	a.Index = index
	return a
}

// artifactLoc is where SARIF says the snapshot lives.
type artifactLoc struct {
	uri     string // relative reference, or a file URI for an absolute path
	baseID  string // uriBaseId when uri is relative to SARIFRoot
	base    string // file URI of SARIFRoot, when it is absolute
	display string // the path as the user gave it, for messages
	// outsideRoot is set when the snapshot is not under SARIFRoot.
	outsideRoot bool
}

// sarifArtifactLocation works out the snapshot's URI. With SARIFRoot the URI
// is relative to it and carries uriBaseId SRCROOT (GitHub resolves it against
// the repository root); without, a relative path stays relative and an
// absolute path becomes a file:// URI.
func sarifArtifactLocation(rep *findings.Report, opts Options) (artifactLoc, error) {
	path := opts.SnapshotPath
	if path == "" {
		path = rep.SnapshotPath
	}
	if path == "" {
		path = defaultSnapshot
	}
	loc := artifactLoc{display: path}
	if opts.SARIFRoot != "" {
		root, p := opts.SARIFRoot, path
		if filepath.IsAbs(root) != filepath.IsAbs(p) {
			var err error
			if root, err = filepath.Abs(root); err != nil {
				return loc, fmt.Errorf("sarif: root %s: %w", opts.SARIFRoot, err)
			}
			if p, err = filepath.Abs(p); err != nil {
				return loc, fmt.Errorf("sarif: snapshot path %s: %w", path, err)
			}
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return loc, fmt.Errorf("sarif: snapshot %s is not under root %s: %w", path, opts.SARIFRoot, err)
		}
		loc.uri = relativeURI(rel)
		loc.baseID = srcRootBaseID
		loc.outsideRoot = rel == ".." || strings.HasPrefix(filepath.ToSlash(rel), "../")
		if filepath.IsAbs(opts.SARIFRoot) {
			loc.base = fileURI(opts.SARIFRoot, true)
		}
		return loc, nil
	}
	if filepath.IsAbs(path) {
		loc.uri = fileURI(path, false)
	} else {
		loc.uri = relativeURI(path)
	}
	return loc, nil
}

// relativeURI percent-encodes a relative file path as a URI reference.
func relativeURI(p string) string {
	p = filepath.ToSlash(filepath.Clean(p))
	u := url.URL{Path: p}
	s := u.EscapedPath()
	// A first segment with a colon would read as a scheme.
	if first, _, _ := strings.Cut(s, "/"); strings.Contains(first, ":") {
		s = "./" + s
	}
	return s
}

func fileURI(p string, dir bool) string {
	p = filepath.ToSlash(filepath.Clean(p))
	if !strings.HasPrefix(p, "/") { // Windows drive paths
		p = "/" + p
	}
	if dir && !strings.HasSuffix(p, "/") {
		p += "/"
	}
	u := url.URL{Scheme: "file", Path: p}
	return u.String()
}

func isAbsoluteURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.IsAbs() && u.Host != ""
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

// docsLink reports whether a check's documentation URL is linked: an
// absolute URL with no control, bidi or invisible character (a link whose
// text could hide where it points is not offered at all).
func docsLink(u string) bool {
	return isAbsoluteURL(u) && !needsEscape(u)
}
