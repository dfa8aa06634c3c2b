package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lockdown-dev/lockdown/internal/org"
	"github.com/lockdown-dev/lockdown/internal/term"
	"github.com/lockdown-dev/lockdown/report"
)

type mergeOptions struct {
	Out             string
	Format          string
	FailOn          string
	AllowIncomplete bool
}

func newMergeCmd(streams *term.IO) *cobra.Command {
	o := &mergeOptions{}
	cmd := &cobra.Command{
		Use:   "merge SHARD_DIR...",
		Short: "Combine the outputs of audit --org --shard K/N runs into one organisation report",
		Long: `Combine shard outputs (each the --out DIR of a lockdown audit --org --shard K/N
run, holding its organization.json) into one organisation report.

Every shard records its K/N and every account it saw selected, so merge
refuses shards of different organizations, check catalogues or shard
counts, a shard given twice and an account audited by two shards, and names
the accounts that some shard selected and none audited (a shard that did
not run, or an account that joined between the shards' runs); they make the
merge incomplete.

--out DIR writes DIR/organization.json (lockdown.org-report/v1),
DIR/organization.md and DIR/organization.html, with each account's directory given relative to DIR.
The summary goes to stdout (--format table|markdown|html|json).

The exit code follows the audit's table: 1 if an account fails at or above
--fail-on, else 4 if an account is incomplete, failed or missing, 2 for
unreadable or conflicting shard reports.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error { return runMerge(o, args, streams) },
	}
	fs := cmd.Flags()
	fs.StringVar(&o.Out, "out", "", "write the merged organization.json, organization.md and organization.html to this directory")
	fs.StringVarP(&o.Format, "format", "f", "table", "summary on stdout: "+strings.Join(report.OrgFormats(), "|"))
	fs.StringVar(&o.FailOn, "fail-on", "low", "exit 1 when an account fails a check at or above this severity: critical|high|medium|low|info|none")
	fs.BoolVar(&o.AllowIncomplete, "allow-incomplete", false, "exit 0 instead of 4 when accounts are incomplete, failed or missing")
	return cmd
}

func runMerge(o *mergeOptions, dirs []string, streams *term.IO) error {
	if !contains(report.OrgFormats(), o.Format) {
		return inputErr("--format %q: the organisation summary is %s", o.Format, strings.Join(report.OrgFormats(), ", "))
	}
	failOn, err := parseFailOn(o.FailOn)
	if err != nil {
		return err
	}
	var reports []*org.Report
	names := make([]string, len(dirs))
	for i, d := range dirs {
		r, err := org.Load(filepath.Join(d, "organization.json"))
		if err != nil {
			return asInput(err)
		}
		reports = append(reports, r)
		names[i] = d
		if o.Out != "" {
			if rel, err := filepath.Rel(o.Out, d); err == nil {
				names[i] = filepath.ToSlash(rel)
			}
		}
	}
	merged, err := org.Merge(reports, names)
	var me *org.MergeError
	if errors.As(err, &me) {
		return inputErr("cannot merge: %v", err)
	}
	if err != nil {
		return asRuntime(err)
	}
	if o.Out != "" {
		if err := os.MkdirAll(o.Out, 0o700); err != nil {
			return inputErr("--out %s: %v", o.Out, err)
		}
		if err := writeOrgReport(o.Out, merged); err != nil {
			return asRuntime(err)
		}
	}
	if len(merged.Missing) > 0 {
		printErr(streams.Err, fmt.Sprintf("%d account(s) selected by a shard and audited by none: %s", len(merged.Missing), report.Clip(strings.Join(merged.Missing, ", "), 2000)))
	}
	if err := report.RenderOrg(streams.Out, o.Format, merged); err != nil {
		return asRuntime(err)
	}
	return orgExit(merged, failOn, o.FailOn, o.AllowIncomplete, streams)
}
