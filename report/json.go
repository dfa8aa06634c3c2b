package report

import (
	"bytes"
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
	out.Incomplete = make([]findings.Cause, len(rep.Incomplete))
	copy(out.Incomplete, rep.Incomplete)
	for i := range out.Incomplete {
		out.Incomplete[i].Message = escapeControls(out.Incomplete[i].Message)
		if out.Incomplete[i].Checks == nil {
			out.Incomplete[i].Checks = []string{}
		}
	}
	// The document is encoded with no results, and the results are then
	// streamed into its "results" array one at a time, each through the
	// same encoding (findings.Result's), so that a large report is never
	// held in memory whole. The bytes are those of encoding the whole
	// report at once.
	out.Results = []findings.Result{}
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
		r := rep.Results[i]
		r.Message = escapeControls(r.Message)
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

// resultsKey is the report's top-level "results" key with an empty list,
// as the 2-space indented encoding writes it: only a top-level key follows
// a newline and exactly two spaces (strings hold no raw newline).
var resultsKey = []byte("\n  \"results\": []")
