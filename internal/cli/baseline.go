package cli

import (
	"bytes"
	"encoding/json"
	"os"

	"github.com/lockdown-dev/lockdown/internal/findings"
	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

// loadBaseline reads a previous JSON report (--baseline); nil when none is
// named. It is read before any collection, so a bad file costs nothing.
func loadBaseline(path string) (*findings.Report, error) {
	if path == "" {
		return nil, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, inputErr("--baseline: %v", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	var rep findings.Report
	if err := dec.Decode(&rep); err != nil {
		// Line and column of the fault, as for a snapshot.
		return nil, inputErr("--baseline: %v", snapshot.JSONError(path, data, err))
	}
	if rep.Schema != findings.ReportSchemaV1 {
		return nil, inputErr("--baseline %s: schema %q, want %q (a lockdown JSON report)", path, rep.Schema, findings.ReportSchemaV1)
	}
	return &rep, nil
}

// baselineFailures are the baseline's failing results.
func baselineFailures(rep *findings.Report) []findings.Result {
	if rep == nil {
		return nil
	}
	var out []findings.Result
	for _, r := range rep.Results {
		if r.Status == findings.Fail {
			out = append(out, r)
		}
	}
	return out
}
