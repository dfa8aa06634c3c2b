package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lockdown-dev/lockdown/internal/fileout"
	"github.com/lockdown-dev/lockdown/internal/snapshot"
	"github.com/lockdown-dev/lockdown/internal/term"
)

type collectOptions struct {
	aws             awsFlags
	Output          string
	AllowIncomplete bool
}

func newCollectCmd(streams *term.IO) *cobra.Command {
	o := &collectOptions{}
	cmd := &cobra.Command{
		Use:   "collect -o FILE",
		Short: "Collect a snapshot from AWS (read-only) and write it to a file",
		Long: `Collect a snapshot from AWS (read-only API calls only) and write it to a file
(mode 0600, written whole), or to stdout with -o -.

Without a caller identity (sts:GetCallerIdentity) collection has failed and
nothing is written (exit 3). When some other source fails, what was got is
written, each failed source is named on stderr and the exit code is 4.

` + exitTable,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runCollect(cmd.Context(), o, streams)
		},
	}
	cmd.Flags().StringVarP(&o.Output, "output", "o", "", "snapshot file to write (\"-\" for stdout)")
	cmd.Flags().BoolVar(&o.AllowIncomplete, "allow-incomplete", false, "exit 0 instead of 4 when some source failed (the failed sources are still printed)")
	o.aws.register(cmd.Flags())
	return cmd
}

func runCollect(ctx context.Context, o *collectOptions, streams *term.IO) error {
	if ctx == nil {
		ctx = context.Background()
	}
	if o.Output == "" {
		return inputErr("collect needs -o FILE (or -o - for stdout)")
	}
	if o.Output != "-" {
		if err := fileout.CheckWritable(o.Output); err != nil {
			return inputErr("-o %s: %v", o.Output, err)
		}
	}
	snap, err := collectLive(ctx, &o.aws, streams)
	if err != nil {
		return err
	}
	if err := requireIdentity(snap); err != nil {
		return err
	}
	data, err := snapshot.Marshal(snap)
	if err != nil {
		return asRuntime(err)
	}
	if o.Output == "-" {
		if _, err := streams.Out.Write(data); err != nil {
			return asRuntime(fmt.Errorf("writing the snapshot to stdout: %w", err))
		}
	} else if err := fileout.WriteFile(o.Output, data, fileout.UserNamed); err != nil {
		return asRuntime(fmt.Errorf("writing %s: %w", o.Output, err))
	}
	failed := failedSources(snap)
	if o.Output != "-" {
		printErr(streams.Err, fmt.Sprintf("snapshot of account %s written to %s (%d source(s) incomplete)", snap.Account.ID, o.Output, len(failed)))
	}
	for _, line := range failed {
		printErr(streams.Err, "incomplete: "+line)
	}
	if len(failed) > 0 && !o.AllowIncomplete {
		return &exitError{code: ExitIncomplete, err: fmt.Errorf("incomplete snapshot: %d source(s) failed (--allow-incomplete accepts this)", len(failed))}
	}
	return nil
}

// failedSources names each source that did not complete, as
// "source: action code", sorted by source.
func failedSources(snap *snapshot.Snapshot) []string {
	var out []string
	for _, name := range snap.FailedSources() {
		c, _ := sourceCause(snap, name)
		line := name + ":"
		for _, part := range []string{c.Action, c.ErrorCode} {
			if part != "" {
				line += " " + part
			}
		}
		if c.Message != "" {
			line += " (" + c.Message + ")"
		}
		out = append(out, strings.TrimSuffix(line, ":"))
	}
	return out
}
