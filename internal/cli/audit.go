package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/lockdown-dev/lockdown/frameworks"
	"github.com/lockdown-dev/lockdown/internal/collect"
	"github.com/lockdown-dev/lockdown/internal/engine"
	"github.com/lockdown-dev/lockdown/internal/evidence"
	"github.com/lockdown-dev/lockdown/internal/facts"
	"github.com/lockdown-dev/lockdown/internal/fileout"
	"github.com/lockdown-dev/lockdown/internal/findings"
	"github.com/lockdown-dev/lockdown/internal/snapshot"
	"github.com/lockdown-dev/lockdown/internal/term"
	"github.com/lockdown-dev/lockdown/internal/waivers"
	"github.com/lockdown-dev/lockdown/report"
)

type auditOptions struct {
	aws             awsFlags
	SnapshotPath    string
	SaveSnapshot    string
	Format          string
	Outputs         []string
	FailOn          string
	Checks          []string
	SkipChecks      []string
	Params          []string
	RulesDirs       []string
	NoColor         bool
	Quiet           bool
	SARIFRoot       string
	AllowIncomplete bool
	BaselinePath    string
	Frameworks      []string
	WaiversPath     string
	WaiverMaxDays   int
	// Evidence is --evidence DIR|FILE.tar.gz, SignKey --sign-key FILE;
	// command is the command line the manifest records.
	Evidence string
	SignKey  string
	command  []string
	org      orgFlags
}

func newAuditCmd(streams *term.IO) *cobra.Command {
	o := &auditOptions{}
	cmd := &cobra.Command{
		Use:   "audit",
		Short: "Collect from AWS (or load a snapshot) and evaluate every check",
		Long: `Evaluate the account against lockdown's checks and print a report.

Without --snapshot, lockdown collects from the AWS account the SDK's default
configuration chain points at (read-only API calls only). With --snapshot FILE
it evaluates a saved snapshot offline and loads no AWS configuration at all;
--snapshot - reads the snapshot from stdin.

One report goes to stdout: --format, or -o FORMAT=- (then nothing else is
written to stdout). Report and snapshot files are written whole (a temporary
file renamed into place) with mode 0600; their directories must exist.

An audit in which some selected check is NOT_ASSESSED is incomplete: each
cause is printed on stderr and, unless a check fails, the exit code is 4.

--framework NAME (repeatable: cis-aws-5.0, cis-aws-6.0, cis-aws-7.0,
aws-securityhub; ` + "`lockdown frameworks`" + ` lists them) adds a compliance section per
framework, in the order given: every control with its status (PASS, FAIL,
NOT_ASSESSED, MANUAL, NOT_APPLICABLE), its failing resources and the checks
behind it; manual controls are counted apart from automated ones. Without
--check, an audit runs the guide's checks and custom ones; a framework's own
checks (its thresholds, tags, Access Analyzer, certificates...) run when that
framework is asked for, and then count for the exit code like any other.
Every result names the controls it decides, with or without --framework.

--evidence DIR|FILE.tar.gz also writes an evidence bundle: the snapshot,
the report in every format, a compliance summary per --framework, the
waivers, baseline and rule files used, and manifest.json (every file's
SHA-256 and size, the versions, parameters, caller, account and command
line); --sign-key FILE signs manifest.json with an SSH key (namespace
lockdown-evidence). ` + "`lockdown verify`" + ` checks a bundle, and
` + "`lockdown evidence`" + ` builds one from a saved snapshot.

--org audits every active account of the AWS Organization from its
management account or a delegated administrator: the organization's tree
and its SCPs and RCPs are read once, the read-only role --role-name is
assumed in each member account with the caller's credentials (the
management account itself is audited with them directly), and each
account is audited as above into --out DIR/<account-id>/ (snapshot.json,
report.json and each -o FORMAT[=NAME]); DIR/organization.json
(lockdown.org-report/v1), DIR/organization.md and .html summarise the
accounts x checks and x framework controls, and the summary goes to stdout
(--format table|markdown|html|json). One account's failure is that account's status; the
exit code is 1 if any account fails at --fail-on, else 4 if any account is
incomplete, failed or not audited. --shard K/N audits the accounts whose
FNV-1a hash of the account ID modulo N is K-1 (the other shards' accounts
are not audited there, so a shard alone exits 4); lockdown merge combines
the shards and gives the organisation's exit code.

--format input prints, instead of a report, the Rego input document of the
snapshot (the facts plus the parameters in force, as sorted, indented JSON):
what a check's rules query. No check runs; the exit code is 0.

` + exitTable,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.command = commandLine(cmd, args)
			if o.org.Org {
				return runOrgAudit(cmd.Context(), o, streams, cmd.Flags().Changed("format"))
			}
			if name := changedOrgFlag(cmd.Flags()); name != "" {
				return inputErr("--%s applies to an organisation audit: add --org", name)
			}
			return runAudit(cmd.Context(), o, streams, cmd.Flags().Changed("format"))
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&o.SnapshotPath, "snapshot", "", "evaluate this snapshot file offline instead of collecting (\"-\" for stdin)")
	fs.StringVar(&o.SaveSnapshot, "save-snapshot", "", "also write the collected snapshot to this file")
	fs.StringVarP(&o.Format, "format", "f", "", "report format on stdout: "+strings.Join(report.Formats(), "|")+" (default: table on a terminal or with --output, json otherwise); input prints the Rego input document the checks query instead of a report")
	fs.StringArrayVarP(&o.Outputs, "output", "o", nil, "write a report as FORMAT=PATH, PATH - for stdout (repeatable)")
	fs.BoolVar(&o.NoColor, "no-color", false, "never colour the table (NO_COLOR is honoured too)")
	fs.BoolVarP(&o.Quiet, "quiet", "q", false, "table and markdown: show failing results only")
	fs.StringVar(&o.SARIFRoot, "sarif-root", "", "make SARIF artifact URIs relative to this directory (a repository root)")
	fs.StringVar(&o.Evidence, "evidence", "", "also write an evidence bundle (snapshot, every report, inputs, manifest.json) to this new or empty directory, or to FILE.tar.gz")
	registerEvalFlags(fs, o)
	o.aws.register(fs)
	o.org.register(fs)
	return cmd
}

// registerEvalFlags registers the flags that decide what an evaluation
// produces (shared by audit and evidence).
func registerEvalFlags(fs *pflag.FlagSet, o *auditOptions) {
	fs.StringVar(&o.FailOn, "fail-on", "low", "exit 1 when a check fails at or above this severity: critical|high|medium|low|info|none")
	fs.StringArrayVar(&o.Checks, "check", nil, "evaluate only these check IDs (repeatable, comma-separated, any case)")
	fs.StringArrayVar(&o.SkipChecks, "skip-check", nil, "leave out these check IDs (repeatable, comma-separated, any case)")
	fs.StringArrayVar(&o.Params, "param", nil, "set a check threshold as KEY=VALUE, e.g. root_recent_days=30 (repeatable; `lockdown checks` lists them)")
	fs.StringArrayVar(&o.RulesDirs, "rules", nil, "directory of additional Rego checks (repeatable)")
	fs.StringVar(&o.BaselinePath, "baseline", "", "a previous JSON report of this account: each result is marked new or known, only new failures count for the exit code, the failures fixed since are listed, and SARIF keeps its failures that this run could not assess, so code scanning does not close them as fixed")
	fs.StringVar(&o.WaiversPath, "waivers", "", "a waivers file (lockdown.waivers/v1, YAML): failing results it covers stay FAIL with their waiver and do not count for the exit code until it expires")
	fs.IntVar(&o.WaiverMaxDays, "waiver-max-days", waivers.DefaultMaxDays, "refuse a waiver that expires more than this many days after the snapshot was collected")
	fs.StringArrayVar(&o.Frameworks, "framework", nil, "add a compliance section for framework `NAME` (repeatable, comma-separated; lockdown frameworks lists them)")
	fs.BoolVar(&o.AllowIncomplete, "allow-incomplete", false, "exit 0 instead of 4 when some check could not be assessed (the causes are still printed)")
	fs.StringVar(&o.SignKey, "sign-key", "", "sign the evidence bundle's manifest.json with this SSH private key (ed25519, RSA or ECDSA; not encrypted), writing manifest.json.sig (namespace "+evidence.Namespace+")")
}

// runAudit is the pipeline: plan -> snapshot (load or collect) ->
// facts.Build -> engine.Evaluate -> report -> render -> exit code.
func runAudit(ctx context.Context, o *auditOptions, streams *term.IO, formatSet bool) error {
	if ctx == nil {
		ctx = context.Background()
	}
	p, err := planAudit(o, streams, formatSet)
	if err != nil {
		return err
	}
	src, err := auditSnapshot(ctx, o, p.outputs, streams)
	if err != nil {
		return err
	}
	if p.outputs.stdoutFormat == inputFormat {
		f, err := buildFacts(src.snap)
		if err != nil {
			return err
		}
		return printInput(streams.Out, p.eng, f)
	}
	rep, err := evaluate(ctx, p, src, func(msg string) { printErr(streams.Err, msg) })
	if err != nil {
		return err
	}
	writeErrs := renderReports(o, p, src, rep, streams)
	if p.evidence != nil {
		if err := writeEvidence(o, p, src, rep, streams); err != nil {
			writeErrs = append(writeErrs, err)
		}
	}
	return auditExit(o, p, rep, writeErrs, streams)
}

// evaluate runs the selected checks on the snapshot and applies the
// waivers and the baseline: the report every output is rendered from.
func evaluate(ctx context.Context, p *auditPlan, src snapshotSource, warn func(string)) (*findings.Report, error) {
	f, err := buildFacts(src.snap)
	if err != nil {
		return nil, err
	}
	outcome, err := p.eng.Evaluate(ctx, f, p.selected)
	if err != nil {
		return nil, asRuntime(err)
	}
	rep, err := p.report(src, outcome)
	if err != nil {
		return nil, err
	}
	if err := applyWaivers(p, src.snap, rep, warn); err != nil {
		return nil, err
	}
	applyBaseline(rep, p.baseline)
	return rep, nil
}

// auditPlan is everything an audit needs before it reads a snapshot; each
// flag is checked here, so a bad one costs no collection.
type auditPlan struct {
	outputs  outputPlan
	failOn   int // lowest failing severity rank; 0 for none
	eng      *engine.Engine
	selected []string // check IDs, sorted
	skipped  []string
	baseline *findings.Report
	// baselinePath names the baseline in errors.
	baselinePath string
	// waivers is --waivers FILE, nil without; waiverMaxDays bounds expiries.
	waivers       *waivers.File
	waiverMaxDays int
	catalog       string // the catalogue version, with the --rules digest
	// frameworks are every framework (each result names its controls in
	// all of them); compliance are those --framework asked for, in order.
	frameworks []*frameworks.Framework
	compliance []*frameworks.Framework
	// evidence is the bundle to write (--evidence), nil without.
	evidence *evidencePlan
}

func planAudit(o *auditOptions, streams *term.IO, formatSet bool) (*auditPlan, error) {
	outputs, err := planOutputs(o, streams, formatSet)
	if err != nil {
		return nil, err
	}
	p := &auditPlan{outputs: outputs}
	if p.failOn, err = parseFailOn(o.FailOn); err != nil {
		return nil, err
	}
	if o.SnapshotPath != "" && o.SaveSnapshot != "" {
		return nil, inputErr("--save-snapshot needs a live collection; it cannot be used with --snapshot")
	}
	if err := validateOutputPaths(o, outputs); err != nil {
		return nil, err
	}
	if err := planEvaluation(o, p); err != nil {
		return nil, err
	}
	if p.evidence, err = planEvidence(o, p); err != nil {
		return nil, err
	}
	return p, nil
}

// planEvaluation prepares what decides the report: parameters, checks,
// frameworks, baseline, waivers and the catalogue version.
func planEvaluation(o *auditOptions, p *auditPlan) error {
	params, err := parseParams(o.Params)
	if err != nil {
		return err
	}
	if p.eng, err = engine.New(engine.Options{ExtraRegoDirs: o.RulesDirs, Params: params}); err != nil {
		return engineErr(err, len(o.RulesDirs) > 0)
	}
	if p.frameworks, err = allFrameworks(); err != nil {
		return err
	}
	if p.compliance, err = selectFrameworks(p.frameworks, o.Frameworks); err != nil {
		return err
	}
	var frameworkChecks []string
	for _, fw := range p.compliance {
		for _, c := range fw.Controls {
			frameworkChecks = append(frameworkChecks, c.Checks...)
		}
	}
	if p.selected, p.skipped, err = selectChecks(p.eng, o.Checks, o.SkipChecks, frameworkChecks); err != nil {
		return err
	}
	if p.baseline, err = loadBaseline(o.BaselinePath); err != nil {
		return err
	}
	p.baselinePath = o.BaselinePath
	if p.waivers, err = loadWaivers(o.WaiversPath, o.WaiverMaxDays); err != nil {
		return err
	}
	p.waiverMaxDays = o.WaiverMaxDays
	p.catalog = engine.CatalogVersion()
	rv, err := engine.RulesVersion(o.RulesDirs)
	if err != nil {
		return asInput(err)
	}
	if rv != "" {
		p.catalog += "+rules:" + rv
	}
	return nil
}

// snapshotSource is the audited snapshot, its bytes (for the digest and
// SARIF locations) and the file it is in ("" when not written).
type snapshotSource struct {
	snap *snapshot.Snapshot
	data []byte
	path string
}

// auditSnapshot collects a snapshot, or reads one from --snapshot FILE or
// stdin. A snapshot not yet on disk is written where --save-snapshot or a
// SARIF report wants it.
func auditSnapshot(ctx context.Context, o *auditOptions, plan outputPlan, streams *term.IO) (snapshotSource, error) {
	var (
		src = snapshotSource{path: o.SnapshotPath}
		err error
	)
	switch o.SnapshotPath {
	case "":
		if src.snap, err = collectLive(ctx, &o.aws, streams); err != nil {
			return src, err
		}
		if err := requireIdentity(src.snap); err != nil {
			return src, err
		}
		if src.data, err = snapshot.Marshal(src.snap); err != nil {
			return src, asRuntime(err)
		}
	case "-":
		if src.data, err = io.ReadAll(streams.In); err != nil {
			return src, asInput(fmt.Errorf("reading the snapshot from stdin: %w", err))
		}
		if src.snap, err = snapshot.Decode("stdin", src.data); err != nil {
			return src, asInput(err)
		}
	default:
		if src.snap, src.data, err = snapshot.Load(o.SnapshotPath); err != nil {
			return src, asInput(err)
		}
		return src, nil
	}
	// SARIF points into a file: a snapshot from stdin is written beside
	// the SARIF report, byte for byte, as a live one is.
	src.path, err = persistSnapshot(o, plan, src.snap, src.data, streams)
	return src, err
}

// buildFacts derives the facts the checks read. A snapshot that cannot be
// evaluated at all (no account, no collection time) is bad input.
func buildFacts(snap *snapshot.Snapshot) (*facts.Facts, error) {
	f, err := facts.Build(snap)
	if err != nil {
		return nil, asInput(err)
	}
	return f, nil
}

// report assembles the report of an evaluation.
func (p *auditPlan) report(src snapshotSource, outcome *engine.Outcome) (*findings.Report, error) {
	rep := buildReport(src, p, outcome)
	if p.baseline != nil && p.baseline.AccountID != rep.AccountID {
		return nil, inputErr("--baseline %s: a report of account %s, not of %s", p.baselinePath, p.baseline.AccountID, rep.AccountID)
	}
	// Every result (and every baseline result SARIF keeps) points at its
	// entity in this snapshot; renderers only print the location.
	locateResults(src.data, rep, p.baseline)
	return rep, nil
}

// renderReports writes the report to stdout and to every file asked for.
// A report that cannot be written is returned, and the others are still
// written.
func renderReports(o *auditOptions, p *auditPlan, src snapshotSource, rep *findings.Report, streams *term.IO) []error {
	ropts := report.Options{
		Width:        streams.Width(),
		Quiet:        o.Quiet,
		SnapshotPath: src.path,
		SnapshotData: src.data,
		SARIFRoot:    o.SARIFRoot,
		Baseline:     baselineFailures(p.baseline),
	}
	var writeErrs []error
	if f := p.outputs.stdoutFormat; f != "" {
		stdoutOpts := ropts
		stdoutOpts.Color = f == "table" && streams.ColorEnabled(o.NoColor)
		if err := report.Render(streams.Out, f, rep, stdoutOpts); err != nil {
			writeErrs = append(writeErrs, fmt.Errorf("writing %s report to stdout: %w", f, err))
		}
	}
	for _, out := range p.outputs.files {
		if err := writeReport(out, rep, ropts); err != nil {
			writeErrs = append(writeErrs, err)
		}
	}
	return writeErrs
}

// auditExit prints the causes of incompleteness and turns the results and
// write errors into the exit code: findings (1) win over a write error (3),
// which wins over incomplete (4).
func auditExit(o *auditOptions, p *auditPlan, rep *findings.Report, writeErrs []error, streams *term.IO) error {
	for _, c := range rep.Incomplete {
		printErr(streams.Err, "incomplete: "+c.String())
	}
	if failing(rep.Results, p.failOn) {
		for _, e := range writeErrs {
			printErr(streams.Err, e.Error())
		}
		return &exitError{code: ExitFindings, err: fmt.Errorf("%d failing result(s) at or above severity %s", countFailing(rep.Results, p.failOn), o.FailOn)}
	}
	if len(writeErrs) > 0 {
		for _, e := range writeErrs[:len(writeErrs)-1] {
			printErr(streams.Err, e.Error())
		}
		return asRuntime(writeErrs[len(writeErrs)-1])
	}
	if !rep.Complete && !o.AllowIncomplete {
		return &exitError{code: ExitIncomplete, err: fmt.Errorf("incomplete audit: %d of %d selected checks not assessed (--allow-incomplete accepts this)", notAssessedChecks(rep.Results), len(p.selected))}
	}
	return nil
}

// collectLive gathers a snapshot from AWS and the local AWS CLI files.
func collectLive(ctx context.Context, f *awsFlags, streams *term.IO) (*snapshot.Snapshot, error) {
	progress := streams.NewProgress()
	opts := f.collectOptions()
	opts.Progress = progress.Update
	// collect's prompt and SDK log lines quote local configuration (an
	// mfa_serial, a profile): inert, like every other line on stderr.
	opts.Stderr = inertWriter{streams.Err}
	snap, err := collect.Collect(ctx, opts)
	progress.Done()
	var dirErr *collect.AWSConfigDirError
	switch {
	case errors.As(err, &dirErr):
		return nil, asInput(err)
	case err != nil:
		return nil, asRuntime(err)
	}
	return snap, nil
}

func needsSnapshotFile(stdoutFormat string, outputs []outputSpec) bool {
	if stdoutFormat == "sarif" {
		return true
	}
	for _, o := range outputs {
		if o.Format == "sarif" {
			return true
		}
	}
	return false
}

// defaultSnapshotPath puts the snapshot next to the SARIF file so code
// scanning can point into it. lockdown chose this name: a symbolic link
// there is replaced, never written through.
func defaultSnapshotPath(outputs []outputSpec, account string) string {
	name := "lockdown-snapshot-" + account + ".json"
	for _, o := range outputs {
		if o.Format == "sarif" && o.Path != "-" {
			return filepath.Join(filepath.Dir(o.Path), name)
		}
	}
	return name
}

// persistSnapshot writes a snapshot that is not on disk yet (collected, or
// read from stdin) to --save-snapshot, or beside the SARIF report when one
// is asked for, and returns the path ("" when not written).
func persistSnapshot(o *auditOptions, plan outputPlan, snap *snapshot.Snapshot, data []byte, streams *term.IO) (string, error) {
	path := o.SaveSnapshot
	named := fileout.UserNamed
	if path == "" && needsSnapshotFile(plan.stdoutFormat, plan.files) {
		path = defaultSnapshotPath(plan.files, snap.Account.ID)
		named = fileout.Implicit
		for _, out := range plan.files {
			if fileout.SamePath(out.Path, path) {
				return "", inputErr("-o %s=%s is the snapshot file SARIF points at; name the snapshot with --save-snapshot", out.Format, out.Path)
			}
		}
	}
	if path == "" {
		return "", nil
	}
	if err := fileout.WriteFile(path, data, named); err != nil {
		return "", asRuntime(fmt.Errorf("writing snapshot %s: %w", path, err))
	}
	printErr(streams.Err, "snapshot written to "+path)
	return path, nil
}

// writeOutput writes report files (tests replace it to make a write fail).
var writeOutput = fileout.WriteFile

func writeReport(out outputSpec, rep *findings.Report, opts report.Options) error {
	var buf bytes.Buffer
	if err := report.Render(&buf, out.Format, rep, opts); err != nil {
		return fmt.Errorf("rendering %s report: %w", out.Format, err)
	}
	if err := writeOutput(out.Path, buf.Bytes(), fileout.UserNamed); err != nil {
		return fmt.Errorf("writing %s report %s: %w", out.Format, out.Path, err)
	}
	return nil
}

// buildReport is the report of an evaluation: results, causes, the checks
// selected and skipped, the snapshot and catalogue they came from.
func buildReport(src snapshotSource, p *auditPlan, outcome *engine.Outcome) *findings.Report {
	results := outcome.Results
	var checks []findings.Check
	for _, c := range p.eng.Checks() {
		if contains(p.selected, c.ID) {
			checks = append(checks, c)
		}
	}
	causes := outcome.Causes
	if causes == nil {
		causes = []findings.Cause{}
	}
	skipped := p.skipped
	if skipped == nil {
		skipped = []string{}
	}
	rep := &findings.Report{
		Schema:         findings.ReportSchemaV1,
		ToolVersion:    Version,
		AccountID:      src.snap.Account.ID,
		Partition:      src.snap.Account.Partition,
		SnapshotDigest: snapshot.Digest(src.data),
		SnapshotPath:   src.path,
		CollectedAt:    src.snap.CollectedAt,
		Summary:        findings.Summarize(results),
		CatalogVersion: p.catalog,
		Parameters:     p.eng.Params(),
		SelectedChecks: append([]string(nil), p.selected...),
		SkippedChecks:  skipped,
		Complete:       notAssessedChecks(results) == 0,
		Incomplete:     causes,
		Checks:         checks,
		Results:        results,
	}
	addCompliance(rep, p.frameworks, p.compliance)
	return rep
}

// parseFailOn returns the lowest failing severity rank, or 0 for "none".
func parseFailOn(s string) (int, error) {
	if s == "none" {
		return 0, nil
	}
	sev, ok := findings.ParseSeverity(s)
	if !ok {
		return 0, inputErr("--fail-on %q: expected critical, high, medium, low, info or none", s)
	}
	return sev.Rank(), nil
}

func failing(results []findings.Result, minRank int) bool {
	return countFailing(results, minRank) > 0
}

// countFailing counts the failures that decide the exit code: at or above
// minRank, not covered by a waiver in force, and not already failing in
// the baseline (known).
func countFailing(results []findings.Result, minRank int) int {
	if minRank == 0 {
		return 0
	}
	n := 0
	for _, r := range results {
		if counts(r) && r.Severity.Rank() >= minRank {
			n++
		}
	}
	return n
}

// counts reports whether a result counts for the exit code as a failure.
func counts(r findings.Result) bool {
	return r.Status == findings.Fail && !r.Waived() && r.Baseline != findings.BaselineKnown
}
