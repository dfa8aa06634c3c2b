package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lockdown-dev/lockdown/internal/engine"
	"github.com/lockdown-dev/lockdown/internal/term"
)

type testOptions struct {
	Verbose bool
	Run     string
}

func newTestCmd(streams *term.IO) *cobra.Command {
	o := &testOptions{}
	cmd := &cobra.Command{
		Use:   "test [DIR...]",
		Short: "Run the Rego tests of the built-in checks, or of custom rule directories",
		Long: `Run Rego tests as ` + "`opa test`" + ` does, with what an audit gives the checks:
the lockdown.iam.decide built-in, the shared libraries (data.lockdown.lib.*)
and no clock or network built-ins.

Without DIR, the tests of the built-in checks and libraries run. With DIR
(a --rules directory of audit), its checks are loaded as an audit loads them,
beside the built-in checks and libraries, and the tests in its *_test.rego
files run. Plain ` + "`opa test`" + ` cannot run these tests: it does not know
lockdown.iam.decide.

Exit codes:
  0  every test passed
  1  some test failed or could not be evaluated
  2  usage error, or a rule or test file that cannot be read, parsed or
     compiled (the message names the file and line), or no test to run`,
		RunE: func(cmd *cobra.Command, args []string) error { return runTest(cmd.Context(), o, streams, args) },
	}
	fs := cmd.Flags()
	fs.BoolVarP(&o.Verbose, "verbose", "v", false, "list every test with PASS or FAIL, and what it printed")
	fs.StringVarP(&o.Run, "run", "r", "", "run only the tests whose name (data.<package>.<rule>) matches this regular expression")
	return cmd
}

func runTest(ctx context.Context, o *testOptions, streams *term.IO, dirs []string) error {
	if ctx == nil {
		ctx = context.Background()
	}
	results, err := engine.RunTests(ctx, engine.TestOptions{Dirs: dirs, Run: o.Run})
	var rulesErr *engine.RulesError
	switch {
	case errors.As(err, &rulesErr) && len(dirs) == 0:
		return asRuntime(err) // the built-in catalogue is broken
	case err != nil && ctx.Err() != nil:
		return asRuntime(err)
	case err != nil:
		return asInput(err)
	}
	failed, err := printTestResults(streams.Out, results, o.Verbose)
	if err != nil {
		return asRuntime(err)
	}
	if failed > 0 {
		return &exitError{code: ExitFindings, err: fmt.Errorf("%d of %d tests did not pass", failed, len(results))}
	}
	return nil
}

// printTestResults writes results as `opa test` does, without durations
// (so the output of a run is reproducible): failing tests (every test with
// verbose) under their file, then the counts. It returns how many tests
// failed or could not be evaluated.
func printTestResults(w io.Writer, results []engine.TestResult, verbose bool) (int, error) {
	bw := bufio.NewWriter(w)
	counts := map[string]int{}
	lastFile := ""
	printed := false
	for _, r := range results {
		counts[r.Status]++
		if !verbose && (r.Status == engine.TestPass || r.Status == engine.TestSkipped) {
			continue
		}
		if r.File != lastFile {
			if printed {
				fmt.Fprintln(bw)
			}
			fmt.Fprintf(bw, "%s:\n", inert(r.File))
			lastFile = r.File
		}
		printed = true
		fmt.Fprintf(bw, "%s: %s\n", inert(r.FullName()), r.Status)
		if r.Err != nil {
			for _, line := range strings.Split(strings.TrimSpace(r.Err.Error()), "\n") {
				fmt.Fprintf(bw, "  %s\n", inert(line))
			}
		}
		if r.Output != "" {
			fmt.Fprintln(bw)
			for _, line := range strings.Split(r.Output, "\n") {
				fmt.Fprintf(bw, "  %s\n", inert(line))
			}
			fmt.Fprintln(bw)
		}
	}
	if printed {
		fmt.Fprintln(bw, strings.Repeat("-", 80))
	}
	total := len(results)
	for _, status := range []string{engine.TestPass, engine.TestFail, engine.TestSkipped, engine.TestError} {
		if n := counts[status]; n > 0 || (status == engine.TestPass && total > 0) {
			fmt.Fprintf(bw, "%s: %d/%d\n", status, n, total)
		}
	}
	return counts[engine.TestFail] + counts[engine.TestError], bw.Flush()
}
