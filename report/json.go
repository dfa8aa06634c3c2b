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
	out := jsonDocument(rep)
	// The document is encoded with no results, and the results are then
	// streamed into its "results" array one at a time, each through the
	// same encoding (findings.Result's), so that a large report is never
	// held in memory whole. The bytes are those of encoding the whole
	// document at once (TestJSONStreamsTheWholeDocument).
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(&out); err != nil {
		return err
	}
	doc := buf.Bytes()
	at := bytes.Index(doc, resultsKey)
	if at < 0 || len(rep.Results) == 0 {
		_, err := w.Write(jsonUnicodeEscape(doc))
		return err
	}
	open := at + len(resultsKey) - 1 // just after '['
	if _, err := w.Write(jsonUnicodeEscape(doc[:open])); err != nil {
		return err
	}
	tail := append([]byte(nil), doc[open+1:]...) // after ']'
	var el bytes.Buffer
	enc = json.NewEncoder(&el)
	enc.SetEscapeHTML(false)
	enc.SetIndent("    ", "  ")
	for i := range rep.Results {
		r := jsonResult(rep.Results[i])
		el.Reset()
		if i > 0 {
			el.WriteByte(',')
		}
		el.WriteString("\n    ")
		if err := enc.Encode(&r); err != nil {
			return err
		}
		el.Truncate(el.Len() - 1) // Encode's newline
		if _, err := w.Write(jsonUnicodeEscape(el.Bytes())); err != nil {
			return err
		}
	}
	if _, err := io.WriteString(w, "\n  ]"); err != nil {
		return err
	}
	_, err := w.Write(jsonUnicodeEscape(tail))
	return err
}

// jsonResult is a result as the JSON report writes it. Message text is for
// people: its controls are escaped visibly, so even a decoded message
// (jq -r) holds none. Names, ARNs and evidence keep their exact values; in
// the bytes, C1, bidi and invisible characters are written as \u escapes
// (jsonUnicodeEscape).
func jsonResult(r findings.Result) findings.Result {
	r.Message = escapeControls(r.Message)
	return r
}

// jsonDocument is the report as the JSON report writes it, with an empty
// results list (renderJSON streams them in, each through jsonResult).
func jsonDocument(rep *findings.Report) findings.Report {
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
	// Cause messages, like result messages, have their controls escaped.
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

	out.Results = []findings.Result{}
	return out
}

// resultsKey is the report's top-level "results" key with an empty list,
// as the 2-space indented encoding writes it: only a top-level key follows
// a newline and exactly two spaces (strings hold no raw newline).
var resultsKey = []byte("\n  \"results\": []")
