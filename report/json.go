package report

import (
	"bytes"
	"encoding/json"
	"io"

	"github.com/lockdown-dev/lockdown/internal/findings"
)

// renderJSON writes the report (lockdown.report/v1) with 2-space indentation
// and a trailing newline. Lists that are nil become [] and the summaries
// are recounted from the results (and each framework's from its controls),
// so the output always matches
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
	if out.Parameters == nil {
		out.Parameters = map[string]any{}
	}
	for _, l := range []*[]string{&out.SelectedChecks, &out.SkippedChecks} {
		if *l == nil {
			*l = []string{}
		}
	}
	// Message text is for people: its controls are escaped visibly, so even
	// a decoded message (jq -r) holds none. Names, ARNs and evidence keep
	// their exact values; in the bytes, C1, bidi and invisible characters
	// are written as \u escapes (jsonUnicodeEscape).
	out.Results = make([]findings.Result, len(rep.Results))
	copy(out.Results, rep.Results)
	for i := range out.Results {
		out.Results[i].Message = escapeControls(out.Results[i].Message)
	}
	out.Incomplete = make([]findings.Cause, len(rep.Incomplete))
	copy(out.Incomplete, rep.Incomplete)
	for i := range out.Incomplete {
		out.Incomplete[i].Message = escapeControls(out.Incomplete[i].Message)
		if out.Incomplete[i].Checks == nil {
			out.Incomplete[i].Checks = []string{}
		}
	}
	// The compliance section: lists are [] rather than null, each
	// framework's summary is recounted from its controls (manual apart),
	// and titles and reasons, text for people, have their controls escaped.
	// Failing resources keep their exact values.
	if rep.Compliance != nil {
		out.Compliance = make([]findings.Compliance, len(rep.Compliance))
		for i, c := range rep.Compliance {
			c.Summary = complianceCounts(c)
			c.Title = escapeControls(c.Title)
			ctls := make([]findings.ControlResult, len(c.Controls))
			copy(ctls, c.Controls)
			for j := range ctls {
				ctls[j].Title = escapeControls(ctls[j].Title)
				ctls[j].Reason = escapeControls(ctls[j].Reason)
				if ctls[j].Checks == nil {
					ctls[j].Checks = []string{}
				}
			}
			c.Controls = ctls
			out.Compliance[i] = c
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(&out); err != nil {
		return err
	}
	_, err := w.Write(jsonUnicodeEscape(buf.Bytes()))
	return err
}
