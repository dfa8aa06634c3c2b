package cli

import (
	"github.com/lockdown-dev/lockdown/internal/findings"
	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

// locateResults gives every result of rep its location in the snapshot file
// data, indexing the file once. The baseline's results get theirs in this
// snapshot too (SARIF shows the baseline failures it keeps against it), so
// no location from another snapshot survives. Data that cannot be indexed
// leaves every location nil; SARIF then points at line 1 and says so.
func locateResults(data []byte, rep, baseline *findings.Report) {
	ix, err := snapshot.Index(data)
	if err != nil {
		ix = nil
	}
	checks := rep.CheckByID()
	locate := func(results []findings.Result) {
		locs := make([]findings.Location, len(results))
		for i := range results {
			r := &results[i]
			if ix == nil {
				r.Location = nil
				continue
			}
			l, found := ix.Locate(r.Resource.ARN, r.Resource.Type, checks[r.CheckID].Requires)
			locs[i] = findings.Location{StartLine: l.StartLine, EndLine: l.EndLine, Fallback: !found}
			r.Location = &locs[i]
		}
	}
	locate(rep.Results)
	if baseline != nil {
		locate(baseline.Results)
	}
}
