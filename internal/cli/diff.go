package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/lockdown-dev/lockdown/internal/diff"
	"github.com/lockdown-dev/lockdown/internal/findings"
	"github.com/lockdown-dev/lockdown/internal/snapshot"
	"github.com/lockdown-dev/lockdown/internal/term"
	"github.com/lockdown-dev/lockdown/internal/waivers"
)

type diffOptions struct {
	Format    string
	Params    []string
	RulesDirs []string
}

func newDiffCmd(streams *term.IO) *cobra.Command {
	o := &diffOptions{}
	cmd := &cobra.Command{
		Use:   "diff OLD NEW",
		Short: "Compare two audits of an account: new, fixed and changed findings, and IAM drift",
		Long: `Compare two JSON reports (lockdown.report/v1) or two snapshots
(lockdown.snapshot/v1) of the same account.

Results are matched by fingerprint: new findings fail in NEW and did not fail
in OLD; fixed ones failed in OLD and pass in NEW (or are gone while their check
was assessed); changed ones have another status or severity. A failure whose
check is NOT_ASSESSED in NEW, or not run there, is changed, never fixed.

Two snapshots are evaluated offline with the built-in checks, as
` + "`audit --snapshot`" + ` does, and their IAM drift is listed too: users, groups,
roles, managed policies (default version), inline policies, attachments, group
memberships, trust policies, access keys, MFA devices and the password policy
added, removed or changed, with the policy statements that changed.

Formats: table (default on a terminal), json (lockdown.diff/v1), markdown
(for a pull request comment).

Exit codes: 0 no new failure, 1 new failures, 2 bad input (unreadable or
mixed inputs, another account), 3 runtime error.`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDiff(cmd.Context(), o, args[0], args[1], streams, cmd.Flags().Changed("format"))
		},
	}
	fs := cmd.Flags()
	fs.StringVarP(&o.Format, "format", "f", "", "output format: "+strings.Join(diff.Formats(), "|")+" (default: table on a terminal, json otherwise)")
	fs.StringArrayVar(&o.Params, "param", nil, "two snapshots: set a check threshold as KEY=VALUE (repeatable)")
	fs.StringArrayVar(&o.RulesDirs, "rules", nil, "two snapshots: directory of additional Rego checks (repeatable)")
	return cmd
}

// diffInput is one side of a diff: a report, or a snapshot with its bytes.
type diffInput struct {
	path   string
	schema string
	report *findings.Report
	src    snapshotSource
}

// loadDiffInput reads a report or a snapshot, by its "schema" field.
func loadDiffInput(path string) (*diffInput, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, inputErr("%s: %v", path, err)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, inputErr("%s: empty file, expected a lockdown report or snapshot (JSON)", path)
	}
	var probe struct {
		Schema string `json:"schema"`
	}
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, asInput(snapshot.JSONError(path, data, err))
	}
	in := &diffInput{path: path, schema: probe.Schema}
	switch probe.Schema {
	case findings.ReportSchemaV1:
		var rep findings.Report
		if err := json.Unmarshal(data, &rep); err != nil {
			return nil, asInput(snapshot.JSONError(path, data, err))
		}
		in.report = &rep
	case snapshot.SchemaV1:
		snap, err := snapshot.Decode(path, data)
		if err != nil {
			return nil, asInput(err)
		}
		in.src = snapshotSource{snap: snap, data: data, path: path}
	case "":
		return nil, inputErr("%s: no \"schema\" field; expected a lockdown report (%s) or snapshot (%s)", path, findings.ReportSchemaV1, snapshot.SchemaV1)
	default:
		return nil, inputErr("%s: schema %q; diff reads %s or %s", path, probe.Schema, findings.ReportSchemaV1, snapshot.SchemaV1)
	}
	return in, nil
}

func runDiff(ctx context.Context, o *diffOptions, oldPath, newPath string, streams *term.IO, formatSet bool) error {
	if ctx == nil {
		ctx = context.Background()
	}
	format := o.Format
	if !formatSet {
		format = "json"
		if streams.OutIsTTY() {
			format = "table"
		}
	}
	if !contains(diff.Formats(), format) {
		return inputErr("--format %q: unknown format (known: %s)", format, strings.Join(diff.Formats(), ", "))
	}
	oldIn, err := loadDiffInput(oldPath)
	if err != nil {
		return err
	}
	newIn, err := loadDiffInput(newPath)
	if err != nil {
		return err
	}
	if oldIn.schema != newIn.schema {
		return inputErr("%s is a %s and %s a %s: diff compares two reports or two snapshots", oldPath, oldIn.schema, newPath, newIn.schema)
	}
	d := &diff.Diff{Schema: diff.SchemaV1}
	if oldIn.report == nil {
		if err := evaluateDiffSnapshots(ctx, o, streams, oldIn, newIn); err != nil {
			return err
		}
		d.Drift, d.NotCompared = diff.ComputeDrift(oldIn.src.snap, newIn.src.snap)
	}
	if oldIn.report.AccountID != newIn.report.AccountID {
		return inputErr("%s is of account %s and %s of account %s: diff compares two audits of one account", oldPath, oldIn.report.AccountID, newPath, newIn.report.AccountID)
	}
	d.AccountID = newIn.report.AccountID
	d.Inputs = diff.Inputs{Old: diffSide(oldIn), New: diffSide(newIn)}
	d.NewFindings, d.Fixed, d.Changed = diff.Compare(d.AccountID, oldIn.report.Results, newIn.report.Results, newIn.report.SelectedChecks)
	if err := diff.Render(streams.Out, format, d); err != nil {
		return asRuntime(fmt.Errorf("writing the %s diff to stdout: %w", format, err))
	}
	if len(d.NewFindings) > 0 {
		return &exitError{code: ExitFindings, err: fmt.Errorf("%d new failing result(s) since %s", len(d.NewFindings), oldPath)}
	}
	return nil
}

// evaluateDiffSnapshots evaluates both snapshots as `audit --snapshot`
// does (one plan, the built-in checks and --rules), so the results carry
// the fingerprints an audit gives them.
func evaluateDiffSnapshots(ctx context.Context, o *diffOptions, streams *term.IO, ins ...*diffInput) error {
	ao := &auditOptions{Format: "json", FailOn: "none", Params: o.Params, RulesDirs: o.RulesDirs, SnapshotPath: ins[0].path, WaiverMaxDays: waivers.DefaultMaxDays}
	p, err := planAudit(ao, streams, true)
	if err != nil {
		return err
	}
	for _, in := range ins {
		f, err := buildFacts(in.src.snap)
		if err != nil {
			return err
		}
		outcome, err := p.eng.Evaluate(ctx, f, p.selected)
		if err != nil {
			return asRuntime(err)
		}
		if in.report, err = p.report(in.src, outcome); err != nil {
			return err
		}
	}
	return nil
}

func diffSide(in *diffInput) diff.Side {
	kind := "report"
	if in.report != nil && in.src.snap != nil {
		kind = "snapshot"
	}
	s := diff.Side{Path: in.path, Kind: kind}
	if in.report != nil {
		s.SnapshotDigest = in.report.SnapshotDigest
		if !in.report.CollectedAt.IsZero() {
			s.CollectedAt = in.report.CollectedAt.UTC().Format(time.RFC3339)
		}
	}
	return s
}
