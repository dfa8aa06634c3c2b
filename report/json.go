package report

import (
	"encoding/json"
	"io"

	"github.com/lockdown-dev/lockdown/internal/findings"
)

// renderJSON writes the report (lockdown.report/v1) with 2-space indentation
// and a trailing newline. Lists that are nil become [] and the summary is
// recounted from the results, so the output always matches
// schema/report.schema.json and never contradicts itself.
func renderJSON(w io.Writer, rep *findings.Report, _ Options) error {
	out := *rep
	if out.Schema == "" {
		out.Schema = findings.ReportSchemaV1
	}
	out.Summary = findings.Summarize(rep.Results)
	out.Checks = make([]findings.Check, len(rep.Checks))
	copy(out.Checks, rep.Checks)
	for i := range out.Checks {
		if out.Checks[i].Requires == nil {
			out.Checks[i].Requires = []string{}
		}
	}
	if out.Results == nil {
		out.Results = []findings.Result{}
	}
	if out.Parameters == nil {
		out.Parameters = map[string]any{}
	}
	for _, l := range []*[]string{&out.SelectedChecks, &out.SkippedChecks} {
		if *l == nil {
			*l = []string{}
		}
	}
	if out.Incomplete == nil {
		out.Incomplete = []findings.Cause{}
	}
	for i := range out.Incomplete {
		if out.Incomplete[i].Checks == nil {
			out.Incomplete[i].Checks = []string{}
		}
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(&out)
}
