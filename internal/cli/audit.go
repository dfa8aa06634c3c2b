package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lockdown-dev/lockdown/internal/collect"
	"github.com/lockdown-dev/lockdown/internal/engine"
	"github.com/lockdown-dev/lockdown/internal/findings"
	"github.com/lockdown-dev/lockdown/internal/snapshot"
	"github.com/lockdown-dev/lockdown/internal/term"
	"github.com/lockdown-dev/lockdown/report"
)

type auditOptions struct {
	aws          awsFlags
	SnapshotPath string
	SaveSnapshot string
	Format       string
	Outputs      []string
	FailOn       string
	Checks       []string
	Params       []string
	RulesDirs    []string
	NoColor      bool
	Quiet        bool
	SARIFRoot    string
}

func newAuditCmd(streams *term.IO) *cobra.Command {
	o := &auditOptions{}
	cmd := &cobra.Command{
		Use:   "audit",
		Short: "Collect from AWS (or load a snapshot) and evaluate every check",
		Long: `Evaluate the account against lockdown's checks and print a report.

Without --snapshot, lockdown collects from the AWS account the SDK's default
configuration chain points at (read-only API calls only). With --snapshot FILE
it evaluates a saved snapshot offline and loads no AWS configuration at all.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runAudit(cmd.Context(), o, streams, cmd.Flags().Changed("format"))
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&o.SnapshotPath, "snapshot", "", "evaluate this snapshot file offline instead of collecting")
	fs.StringVar(&o.SaveSnapshot, "save-snapshot", "", "also write the collected snapshot to this file")
	fs.StringVarP(&o.Format, "format", "f", "", "report format on stdout: "+strings.Join(report.Formats(), "|")+" (default: table on a terminal or with --output, json otherwise)")
	fs.StringArrayVarP(&o.Outputs, "output", "o", nil, "write a report to a file as FORMAT=PATH (repeatable)")
	fs.StringVar(&o.FailOn, "fail-on", "low", "exit 1 when a check fails at or above this severity: critical|high|medium|low|info|none")
	fs.StringArrayVar(&o.Checks, "check", nil, "evaluate only this check ID (repeatable)")
	fs.StringArrayVar(&o.Params, "param", nil, "set a check threshold as KEY=VALUE, e.g. root_recent_days=30 (repeatable)")
	fs.StringArrayVar(&o.RulesDirs, "rules", nil, "directory of additional Rego checks (repeatable)")
	fs.BoolVar(&o.NoColor, "no-color", false, "never colour the table (NO_COLOR is honoured too)")
	fs.BoolVarP(&o.Quiet, "quiet", "q", false, "table and markdown: show failing results only")
	fs.StringVar(&o.SARIFRoot, "sarif-root", "", "make SARIF artifact URIs relative to this directory (a repository root)")
	o.aws.register(fs)
	return cmd
}

func runAudit(ctx context.Context, o *auditOptions, streams *term.IO, formatSet bool) error {
	if ctx == nil {
		ctx = context.Background()
	}
	formats := report.Formats()
	stdoutFormat := o.Format
	if formatSet && !contains(formats, stdoutFormat) {
		return inputErr("--format %q: unknown format (known: %s)", o.Format, strings.Join(formats, ", "))
	}
	outputs, err := parseOutputs(o.Outputs, formats)
	if err != nil {
		return err
	}
	if !formatSet {
		stdoutFormat = "json"
		if streams.OutIsTTY() || len(outputs) > 0 {
			stdoutFormat = "table"
		}
	}
	failOn, err := parseFailOn(o.FailOn)
	if err != nil {
		return err
	}
	if o.SnapshotPath != "" && o.SaveSnapshot != "" {
		return inputErr("--save-snapshot needs a live collection; it cannot be used with --snapshot")
	}
	params, err := parseParams(o.Params)
	if err != nil {
		return err
	}
	eng, err := engine.New(engine.Options{ExtraRegoDirs: o.RulesDirs, Params: params})
	if err != nil {
		if len(o.RulesDirs) > 0 {
			return asInput(err)
		}
		return asRuntime(err)
	}
	if err := validateCheckIDs(o.Checks, eng.Checks()); err != nil {
		return err
	}

	var (
		snap     *snapshot.Snapshot
		snapData []byte
		snapPath = o.SnapshotPath
	)
	if o.SnapshotPath != "" {
		snap, snapData, err = snapshot.Load(o.SnapshotPath)
		if err != nil {
			return asInput(err)
		}
	} else {
		snap, err = collectLive(ctx, &o.aws, streams)
		if err != nil {
			return err
		}
		snapData, err = snapshot.Marshal(snap)
		if err != nil {
			return asRuntime(err)
		}
		snapPath = o.SaveSnapshot
		if snapPath == "" && needsSnapshotFile(stdoutFormat, outputs) {
			snapPath = defaultSnapshotPath(outputs, snap.Account.ID)
		}
		if snapPath != "" {
			if err := os.WriteFile(snapPath, snapData, 0o644); err != nil {
				return asRuntime(fmt.Errorf("writing snapshot: %w", err))
			}
			fmt.Fprintf(streams.Err, "lockdown: snapshot written to %s\n", snapPath)
		}
	}

	results, err := eng.Evaluate(ctx, snap, o.Checks)
	if err != nil {
		return asRuntime(err)
	}
	rep := buildReport(snap, snapData, snapPath, eng.Checks(), o.Checks, results)

	ropts := report.Options{
		Width:        streams.Width(),
		Quiet:        o.Quiet,
		SnapshotPath: snapPath,
		SnapshotData: snapData,
		SARIFRoot:    o.SARIFRoot,
	}
	stdoutOpts := ropts
	stdoutOpts.Color = stdoutFormat == "table" && streams.ColorEnabled(o.NoColor)
	if err := report.Render(streams.Out, stdoutFormat, rep, stdoutOpts); err != nil {
		return asRuntime(err)
	}
	for _, out := range outputs {
		if err := writeReport(out, rep, ropts); err != nil {
			return asRuntime(err)
		}
	}
	if failing(rep.Results, failOn) {
		return &exitError{code: ExitFindings, err: fmt.Errorf("%d failing result(s) at or above severity %s", countFailing(rep.Results, failOn), o.FailOn)}
	}
	return nil
}

// collectLive gathers a snapshot from AWS and the local AWS CLI files.
func collectLive(ctx context.Context, f *awsFlags, streams *term.IO) (*snapshot.Snapshot, error) {
	progress := streams.NewProgress()
	opts := f.collectOptions()
	opts.Progress = progress.Update
	opts.Stderr = streams.Err
	opts.AWSConfigDir = f.AWSConfigDir
	if opts.AWSConfigDir == "" {
		if home, err := os.UserHomeDir(); err == nil {
			opts.AWSConfigDir = filepath.Join(home, ".aws")
		}
	}
	snap, err := collect.Collect(ctx, opts)
	progress.Done()
	if err != nil {
		return nil, asRuntime(err)
	}
	markKeyOwner(snap, f.Profile, os.Getenv("AWS_PROFILE"), os.Getenv("AWS_ACCESS_KEY_ID"))
	return snap, nil
}

// markKeyOwner records whose access key a profile holds when this audit
// itself authenticated with that key: sts:GetCallerIdentity then names the
// owner (for example the root user, which LD-CLI-02 looks for). Keys from
// the environment match the profile holding the same key ID; otherwise the
// profile in use is --profile, AWS_PROFILE or "default", as the SDK picks it.
func markKeyOwner(snap *snapshot.Snapshot, flagProfile, envProfile, envKeyID string) {
	if snap.AWSConfig == nil || snap.Caller == nil || snap.Caller.ARN == "" {
		return
	}
	used := flagProfile
	if used == "" {
		used = envProfile
	}
	if used == "" {
		used = "default"
	}
	for i := range snap.AWSConfig.Profiles {
		p := &snap.AWSConfig.Profiles[i]
		if p.AccessKeyID == "" {
			continue
		}
		switch {
		case envKeyID != "" && p.AccessKeyID == envKeyID:
			p.AccessKeyOwnerARN = snap.Caller.ARN
		case envKeyID == "" && p.Name == used && p.RoleARN == "" && p.SSOStartURL == "":
			p.AccessKeyOwnerARN = snap.Caller.ARN
		}
	}
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
// scanning can point into it.
func defaultSnapshotPath(outputs []outputSpec, account string) string {
	name := "lockdown-snapshot-" + account + ".json"
	for _, o := range outputs {
		if o.Format == "sarif" {
			return filepath.Join(filepath.Dir(o.Path), name)
		}
	}
	return name
}

func writeReport(out outputSpec, rep *findings.Report, opts report.Options) error {
	var buf bytes.Buffer
	if err := report.Render(&buf, out.Format, rep, opts); err != nil {
		return err
	}
	if err := os.WriteFile(out.Path, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("writing %s report: %w", out.Format, err)
	}
	return nil
}

func buildReport(snap *snapshot.Snapshot, data []byte, path string, all []findings.Check, selected []string, results []findings.Result) *findings.Report {
	checks := all
	if len(selected) > 0 {
		checks = nil
		for _, c := range all {
			if contains(selected, c.ID) {
				checks = append(checks, c)
			}
		}
	}
	selectedIDs := make([]string, len(checks))
	for i, c := range checks {
		selectedIDs[i] = c.ID
	}
	complete := true
	for _, r := range results {
		complete = complete && r.Status != findings.NotAssessed
	}
	return &findings.Report{
		SelectedChecks: selectedIDs,
		Complete:       complete,
		Schema:         findings.ReportSchemaV1,
		ToolVersion:    Version,
		AccountID:      snap.Account.ID,
		Partition:      snap.Account.Partition,
		SnapshotDigest: snapshot.Digest(data),
		SnapshotPath:   path,
		CollectedAt:    snap.CollectedAt,
		Summary:        findings.Summarize(results),
		Checks:         checks,
		Results:        results,
	}
}

func validateCheckIDs(ids []string, checks []findings.Check) error {
	known := make([]string, len(checks))
	for i, c := range checks {
		known[i] = c.ID
	}
	for _, id := range ids {
		if !contains(known, id) {
			return inputErr("--check %q: unknown check ID (run `lockdown checks` to list them)", id)
		}
	}
	return nil
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

func countFailing(results []findings.Result, minRank int) int {
	if minRank == 0 {
		return 0
	}
	n := 0
	for _, r := range results {
		if r.Status == findings.Fail && r.Severity.Rank() >= minRank {
			n++
		}
	}
	return n
}
