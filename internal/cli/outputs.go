package cli

import (
	"fmt"
	"strings"

	"github.com/lockdown-dev/lockdown/internal/fileout"
	"github.com/lockdown-dev/lockdown/internal/findings"
	"github.com/lockdown-dev/lockdown/internal/snapshot"
	"github.com/lockdown-dev/lockdown/internal/term"
	"github.com/lockdown-dev/lockdown/report"
)

// outputPlan is where the reports go: at most one on stdout, the rest in
// files.
type outputPlan struct {
	stdoutFormat string // "" when no report goes to stdout
	files        []outputSpec
}

func planOutputs(o *auditOptions, streams *term.IO, formatSet bool) (outputPlan, error) {
	formats := report.Formats()
	if formatSet && o.Format == inputFormat {
		// The input document instead of a report: stdout only.
		if len(o.Outputs) > 0 {
			return outputPlan{}, inputErr("--format input prints the Rego input document instead of a report; it cannot be combined with --output")
		}
		return outputPlan{stdoutFormat: inputFormat}, nil
	}
	if formatSet && !contains(formats, o.Format) {
		return outputPlan{}, inputErr("--format %q: unknown format (known: %s)", o.Format, strings.Join(append(formats, inputFormat), ", "))
	}
	outputs, err := parseOutputs(o.Outputs, formats)
	if err != nil {
		return outputPlan{}, err
	}
	var plan outputPlan
	var toStdout []string
	if formatSet {
		plan.stdoutFormat = o.Format
		toStdout = append(toStdout, "--format "+o.Format)
	}
	for _, out := range outputs {
		if out.Path == "-" {
			plan.stdoutFormat = out.Format
			toStdout = append(toStdout, "-o "+out.Format+"=-")
			continue
		}
		plan.files = append(plan.files, out)
	}
	if len(toStdout) > 1 {
		return outputPlan{}, inputErr("%s: two reports to stdout; write the others to files", strings.Join(toStdout, " and "))
	}
	if len(toStdout) == 0 {
		plan.stdoutFormat = "json"
		if streams.OutIsTTY() || len(plan.files) > 0 {
			plan.stdoutFormat = "table"
		}
	}
	return plan, nil
}

// namedPath is an output path with the flag that named it, for errors.
type namedPath struct {
	flag string
	path string
}

// validateOutputPaths refuses, before any collection, output paths that
// could not be written (a missing directory is refused, not created) and
// two outputs to one file. The input snapshot is never overwritten.
func validateOutputPaths(o *auditOptions, plan outputPlan) error {
	var paths []namedPath
	for _, out := range plan.files {
		paths = append(paths, namedPath{"-o " + out.Format + "=" + out.Path, out.Path})
	}
	if o.SaveSnapshot != "" {
		if o.SaveSnapshot == "-" {
			return inputErr("--save-snapshot -: the snapshot cannot go to stdout with the report; use `lockdown collect -o -`")
		}
		paths = append(paths, namedPath{"--save-snapshot " + o.SaveSnapshot, o.SaveSnapshot})
	}
	for i, p := range paths {
		if err := fileout.CheckWritable(p.path); err != nil {
			return inputErr("%s: %v", p.flag, err)
		}
		for _, q := range paths[:i] {
			if fileout.SamePath(p.path, q.path) {
				return inputErr("%s and %s write to the same file", q.flag, p.flag)
			}
		}
		if o.SnapshotPath != "" && o.SnapshotPath != "-" && fileout.SamePath(p.path, o.SnapshotPath) {
			return inputErr("%s would overwrite the snapshot being audited (--snapshot %s)", p.flag, o.SnapshotPath)
		}
	}
	if (o.SnapshotPath == "" || o.SnapshotPath == "-") && o.SaveSnapshot == "" && needsSnapshotFile(plan.stdoutFormat, plan.files) {
		implicit := defaultSnapshotPath(plan.files, "ACCOUNT")
		if err := fileout.CheckWritable(implicit); err != nil {
			return inputErr("the snapshot SARIF points at (%s): %v", implicit, err)
		}
	}
	return nil
}

// requireIdentity refuses a live snapshot without a caller identity: it
// names no account, so collection has failed (exit 3).
func requireIdentity(snap *snapshot.Snapshot) error {
	if snap != nil && snap.Caller != nil && snap.Account.ID != "" && snap.OK(snapshot.SourceCallerIdentity) {
		return nil
	}
	reason := "no account ID"
	if snap != nil {
		if c, failed := sourceCause(snap, snapshot.SourceCallerIdentity); failed {
			reason = strings.TrimSpace(c.Action + " " + c.ErrorCode)
			if st := snap.Sources[snapshot.SourceCallerIdentity]; st.Error != nil && st.Error.Message != "" {
				reason += ": " + st.Error.Message
			} else if c.Message != "" {
				reason += ": " + c.Message
			}
		}
	}
	return asRuntime(fmt.Errorf("collection failed: no caller identity (%s)", reason))
}

func notAssessedChecks(results []findings.Result) int {
	seen := map[string]bool{}
	for _, r := range results {
		if r.Status == findings.NotAssessed {
			seen[r.CheckID] = true
		}
	}
	return len(seen)
}
