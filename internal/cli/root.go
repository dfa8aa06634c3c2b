// Package cli holds lockdown's commands, their flags and the exit-code table.
// Each command is an Options struct and a run function; the work happens in
// the packages it calls.
package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lockdown-dev/lockdown/internal/engine"
	"github.com/lockdown-dev/lockdown/internal/redact"
	"github.com/lockdown-dev/lockdown/internal/term"
	"github.com/lockdown-dev/lockdown/report"
)

// Version is set at build time with -ldflags "-X .../internal/cli.Version=...".
var Version = "dev"

// rootHook, when set (tests), may change the command tree before it runs.
var rootHook func(root *cobra.Command)

// Run executes lockdown with args and returns the process exit code. A panic
// in a command is a runtime error (exit 3) reported on one line.
func Run(args []string, streams *term.IO) (code int) {
	defer func() {
		if r := recover(); r != nil {
			printErr(streams.Err, fmt.Sprintf("internal error: %v", r))
			code = ExitRuntime
		}
	}()
	root := newRoot(streams)
	if rootHook != nil {
		rootHook(root)
	}
	root.SetArgs(args)
	err := root.Execute()
	if err != nil {
		printErr(streams.Err, err.Error())
	}
	return exitCode(err)
}

// printErr is the one place lockdown writes a message to stderr: one line,
// redacted, with control characters shown escaped.
func printErr(w io.Writer, msg string) {
	fmt.Fprintf(w, "lockdown: %s\n", inert(redact.String(oneLine(msg))))
}

// inert shows control characters, bidi overrides and bytes that are not
// UTF-8 escaped, by the renderers' rule: account data and file names reach
// the terminal as text, never as escape sequences.
func inert(s string) string { return report.TerminalText(s) }

// inertWriter writes text with inert applied to everything between line
// breaks, which it keeps.
type inertWriter struct{ w io.Writer }

func (iw inertWriter) Write(p []byte) (int, error) {
	lines := strings.Split(string(p), "\n")
	for i := range lines {
		lines[i] = inert(lines[i])
	}
	if _, err := io.WriteString(iw.w, strings.Join(lines, "\n")); err != nil {
		return 0, err
	}
	return len(p), nil
}

const exitTable = `Exit codes:
  0  clean: nothing fails at or above --fail-on, and every selected check was assessed
  1  findings: some check fails at or above --fail-on (not counting failures a
     --waivers entry in force covers, nor, with --baseline, known ones)
  2  usage or input error: unknown command or flag, stray argument, bad --param,
     unknown check ID or framework, unreadable snapshot or rules, unusable output path
  3  collection or runtime error: no caller identity, a report that could not be
     written (unless findings give 1), an internal error
  4  incomplete: nothing fails at or above --fail-on, but some selected check is
     NOT_ASSESSED (for collect: some source failed); --allow-incomplete makes it 0`

func newRoot(streams *term.IO) *cobra.Command {
	root := &cobra.Command{
		Use:   "lockdown",
		Short: "Audit an AWS account against the guide \"Securely configuring your AWS account\"",
		Long: `Audit an AWS account against the guide "Securely configuring your AWS account".

lockdown makes read-only API calls only. stdout is for the report; progress,
warnings and errors go to stderr.

` + exitTable,
		Version:       Version,
		SilenceUsage:  true,
		SilenceErrors: true,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) > 0 {
				return inputErr("unknown command %q (run `lockdown --help` for the commands)", args[0])
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	root.SetVersionTemplate(versionLine() + "\n")
	root.SetIn(streams.In)
	root.SetOut(streams.Out)
	root.SetErr(streams.Err)
	// Flag parse errors are usage errors (exit 2), not runtime failures.
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return asInput(err) })
	root.AddCommand(
		newAuditCmd(streams),
		newCollectCmd(streams),
		newDiffCmd(streams),
		newEvidenceCmd(streams),
		newChecksCmd(streams),
		newFrameworksCmd(streams),
		newPathsCmd(streams),
		newMergeCmd(streams),
		newSimulateCmd(streams),
		newTestCmd(streams),
		newVerifyCmd(streams),
		newVersionCmd(streams),
	)
	for _, c := range root.Commands() {
		c.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return asInput(err) })
		// Argument errors (a stray argument) are usage errors too.
		if args := c.Args; args != nil {
			c.Args = func(cmd *cobra.Command, a []string) error { return asInput(args(cmd, a)) }
		}
	}
	return root
}

func versionLine() string {
	return fmt.Sprintf("lockdown version %s (checks %s)", Version, engine.CatalogVersion())
}

func newVersionCmd(streams *term.IO) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print lockdown's version and the check catalogue version",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			_, err := fmt.Fprintln(streams.Out, versionLine())
			return asRuntime(err)
		},
	}
}

// oneLine keeps error output to one line: no stack, no multi-line SDK dumps.
func oneLine(s string) string {
	s = strings.TrimSpace(s)
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", " ")), " ")
}
