package cli

import (
	"context"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/lockdown-dev/lockdown/internal/snapshot"
	"github.com/lockdown-dev/lockdown/internal/term"
)

type collectOptions struct {
	aws    awsFlags
	Output string
}

func newCollectCmd(streams *term.IO) *cobra.Command {
	o := &collectOptions{}
	cmd := &cobra.Command{
		Use:   "collect -o FILE",
		Short: "Collect a snapshot from AWS (read-only) and write it to a file",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runCollect(cmd.Context(), o, streams)
		},
	}
	cmd.Flags().StringVarP(&o.Output, "output", "o", "", "snapshot file to write (\"-\" for stdout)")
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
	snap, err := collectLive(ctx, &o.aws, streams)
	if err != nil {
		return err
	}
	data, err := snapshot.Marshal(snap)
	if err != nil {
		return asRuntime(err)
	}
	if o.Output == "-" {
		_, err = streams.Out.Write(data)
		return asRuntime(err)
	}
	if err := writeFile(o.Output, data); err != nil {
		return asRuntime(err)
	}
	failed := 0
	for _, st := range snap.Sources {
		if st.Status != snapshot.StatusOK {
			failed++
		}
	}
	fmt.Fprintf(streams.Err, "lockdown: snapshot of account %s written to %s (%d source(s) incomplete)\n", snap.Account.ID, o.Output, failed)
	return nil
}

func writeFile(path string, data []byte) error {
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
