// Package cli holds lockdown's commands, their flags and the exit-code table.
// Each command is an Options struct and a run function; the work happens in
// the packages it calls.
package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lockdown-dev/lockdown/internal/term"
)

// Version is set at build time with -ldflags "-X .../internal/cli.Version=...".
var Version = "dev"

// Run executes lockdown with args and returns the process exit code.
func Run(args []string, streams *term.IO) int {
	root := newRoot(streams)
	root.SetArgs(args)
	err := root.Execute()
	if err != nil {
		fmt.Fprintf(streams.Err, "lockdown: %s\n", oneLine(err.Error()))
	}
	return exitCode(err)
}

func newRoot(streams *term.IO) *cobra.Command {
	root := &cobra.Command{
		Use:           "lockdown",
		Short:         "Audit an AWS account against the guide \"Securely configuring your AWS account\"",
		Version:       Version,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetIn(streams.In)
	root.SetOut(streams.Out)
	root.SetErr(streams.Err)
	// Flag parse errors are usage errors (exit 2), not runtime failures.
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return asInput(err) })
	root.AddCommand(
		newAuditCmd(streams),
		newCollectCmd(streams),
		newChecksCmd(streams),
		newSimulateCmd(streams),
	)
	for _, c := range root.Commands() {
		c.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return asInput(err) })
	}
	return root
}

// oneLine keeps error output to one line: no stack, no multi-line SDK dumps.
func oneLine(s string) string {
	s = strings.TrimSpace(s)
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", " ")), " ")
}
